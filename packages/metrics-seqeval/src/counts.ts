/**
 * Per-type sufficient statistics: for each entity type, how many entities are true, predicted,
 * and both (same type, same start, same end; in strict mode also the same sentence).
 */
import { scanDefaultEntities } from './entities';
import { resolveEntityOptions, type EntityOptions } from './options';
import { compareCodePoints } from './python-format';
import { strictSpans } from './strict-entities';
import { checkConsistentLength, type Sequences } from './validate';

export interface EntityCounts {
  /** Entity types in sorted (code-point) order: the union of true and predicted types. */
  labels: string[];
  /** Correctly predicted entities per label (true positives). */
  tp: number[];
  /** Predicted entities per label. */
  pred: number[];
  /** True entities per label (the support). */
  true: number[];
}

class TypeTable {
  readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  readonly tp: number[] = [];
  readonly pred: number[] = [];
  readonly true: number[] = [];
  id(type: string): number {
    let id = this.ids.get(type);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(type, id);
      this.names.push(type);
      this.tp.push(0);
      this.pred.push(0);
      this.true.push(0);
    }
    return id;
  }
  sorted(): EntityCounts {
    const order = this.names.map((_, i) => i).sort((a, b) => compareCodePoints(this.names[a], this.names[b]));
    return {
      labels: order.map((i) => this.names[i]),
      tp: order.map((i) => this.tp[i]),
      pred: order.map((i) => this.pred[i]),
      true: order.map((i) => this.true[i]),
    };
  }
}

/**
 * Counts entities of yTrue and yPred per type, in default or strict mode.
 * @internal
 */
export function countEntities(
  yTrue: Sequences,
  yPred: Sequences,
  options: EntityOptions = {},
  onTag?: (argument: 'yTrue' | 'yPred', sentence: number, position: number, tag: string) => void,
): EntityCounts {
  const { mode, scheme, suffix } = resolveEntityOptions(options);
  const tokens = checkConsistentLength(yTrue, yPred);
  const table = new TypeTable();
  if (mode === 'strict' && scheme !== undefined) {
    const truth = strictSpans(yTrue, scheme, suffix, 'yTrue');
    const guess = strictSpans(yPred, scheme, suffix, 'yPred');
    for (let s = 0; s < truth.length; s += 1) {
      const t = truth[s];
      const p = guess[s];
      for (const span of p) table.pred[table.id(span.type)] += 1;
      // spans of one sentence are disjoint and sorted by start: merge on start
      let j = 0;
      for (const span of t) {
        const id = table.id(span.type);
        table.true[id] += 1;
        while (j < p.length && p[j].start < span.start) j += 1;
        if (j < p.length && p[j].start === span.start && p[j].end === span.end && p[j].type === span.type) {
          table.tp[id] += 1;
        }
      }
    }
    return table.sorted();
  }
  // Default mode: the chunker emits entities in strictly increasing order of their end, so an
  // entity of one sequence is identified by its end; match true against predicted on it.
  const capacity = tokens + yTrue.length + 1;
  const predStart = new Int32Array(capacity).fill(-1);
  const predType = new Int32Array(capacity);
  scanDefaultEntities(
    yPred,
    suffix,
    true,
    (type, start, end) => {
      const id = table.id(type);
      table.pred[id] += 1;
      predStart[end] = start;
      predType[end] = id;
    },
    onTag && ((s, j, tag) => onTag('yPred', s, j, tag)),
  );
  scanDefaultEntities(
    yTrue,
    suffix,
    true,
    (type, start, end) => {
      const id = table.id(type);
      table.true[id] += 1;
      if (predStart[end] === start && predType[end] === id) table.tp[id] += 1;
    },
    onTag && ((s, j, tag) => onTag('yTrue', s, j, tag)),
  );
  return table.sorted();
}
