/**
 * SemEval-2013 task 9.1 style evaluation, as described by David Batista ("Named-Entity
 * evaluation metrics based on entity-level", 2018) and implemented by nervaluate. Each predicted
 * entity is compared with the true entities of its sentence:
 *
 * | case                                   | strict    | exact     | partial   | type      |
 * |----------------------------------------|-----------|-----------|-----------|-----------|
 * | same boundaries, same type             | correct   | correct   | correct   | correct   |
 * | same boundaries, other type            | incorrect | correct   | correct   | incorrect |
 * | overlap, same type                     | incorrect | incorrect | partial   | correct   |
 * | overlap, other type                    | incorrect | incorrect | partial   | incorrect |
 * | no overlap (spurious)                  | spurious  | spurious  | spurious  | spurious  |
 * | true entity matched by nothing         | missed    | missed    | missed    | missed    |
 *
 * possible = correct + incorrect + partial + missed; actual = correct + incorrect + partial +
 * spurious; precision = (correct + ½ partial) / actual, recall = (correct + ½ partial) / possible
 * (partial is 0 outside the 'partial' schema), F1 = 2PR / (P + R), 0 when undefined.
 */
import { checkOptionKeys, ENTITY_KEYS, resolveEntityOptions, type EntityOptions } from './options';
import { compareCodePoints } from './python-format';
import { sentenceSpans, type SentenceSpan } from './spans';
import { checkConsistentLength, type Sequences } from './validate';

export interface PartialMatchCounts {
  correct: number;
  incorrect: number;
  partial: number;
  missed: number;
  spurious: number;
  possible: number;
  actual: number;
  precision: number;
  recall: number;
  f1: number;
}

export type PartialMatchSchema = 'strict' | 'exact' | 'partial' | 'type';

export type PartialMatchScores = Record<PartialMatchSchema, PartialMatchCounts>;

export interface PartialMatchResult extends PartialMatchScores {
  /**
   * The same per entity type (sorted), counting each case under the true entity's type and a
   * spurious prediction under its own type.
   */
  byType: Record<string, PartialMatchScores>;
}

type Outcome = 'correct' | 'incorrect' | 'partial' | 'missed' | 'spurious';
const SCHEMAS: readonly PartialMatchSchema[] = ['strict', 'exact', 'partial', 'type'];

function emptyScores(): PartialMatchScores {
  const blank = (): PartialMatchCounts => ({
    correct: 0,
    incorrect: 0,
    partial: 0,
    missed: 0,
    spurious: 0,
    possible: 0,
    actual: 0,
    precision: 0,
    recall: 0,
    f1: 0,
  });
  return { strict: blank(), exact: blank(), partial: blank(), type: blank() };
}

function record(target: PartialMatchScores, outcomes: readonly Outcome[]): void {
  SCHEMAS.forEach((schema, i) => {
    target[schema][outcomes[i]] += 1;
  });
}

function finish(scores: PartialMatchScores): void {
  for (const schema of SCHEMAS) {
    const c = scores[schema];
    c.possible = c.correct + c.incorrect + c.partial + c.missed;
    c.actual = c.correct + c.incorrect + c.partial + c.spurious;
    const hits = schema === 'partial' ? c.correct + 0.5 * c.partial : c.correct;
    c.precision = c.actual > 0 ? hits / c.actual : 0;
    c.recall = c.possible > 0 ? hits / c.possible : 0;
    c.f1 = c.precision + c.recall > 0 ? (2 * c.precision * c.recall) / (c.precision + c.recall) : 0;
  }
}

function overlaps(a: SentenceSpan, b: SentenceSpan): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * Partial-match (SemEval-2013) evaluation of entities; mode/scheme/suffix choose the chunker
 * as for the other scores.
 *
 * @example
 * const r = partialMatch([['B-PER', 'I-PER', 'O']], [['B-PER', 'O', 'O']]);
 * [r.strict.f1, r.partial.f1]; // [0, 0.5]
 */
export function partialMatch(yTrue: Sequences, yPred: Sequences, options: EntityOptions = {}): PartialMatchResult {
  checkOptionKeys(options, ENTITY_KEYS, 'partialMatch');
  resolveEntityOptions(options);
  checkConsistentLength(yTrue, yPred);
  const truth = sentenceSpans(yTrue, options, 'yTrue');
  const guess = sentenceSpans(yPred, options, 'yPred');
  const overall = emptyScores();
  const byType = new Map<string, PartialMatchScores>();
  const add = (type: string, outcomes: readonly Outcome[]) => {
    record(overall, outcomes);
    let scores = byType.get(type);
    if (!scores) {
      scores = emptyScores();
      byType.set(type, scores);
    }
    record(scores, outcomes);
  };
  for (let s = 0; s < truth.length; s += 1) {
    const trueSpans = truth[s];
    const matched = new Array<boolean>(trueSpans.length).fill(false);
    for (const pred of guess[s]) {
      const exact = trueSpans.findIndex((t) => t.start === pred.start && t.end === pred.end && t.type === pred.type);
      if (exact >= 0) {
        matched[exact] = true;
        add(pred.type, ['correct', 'correct', 'correct', 'correct']);
        continue;
      }
      // the first true entity (in order) with the same boundaries or an overlap decides
      const k = trueSpans.findIndex((t) => overlaps(t, pred));
      if (k < 0) {
        add(pred.type, ['spurious', 'spurious', 'spurious', 'spurious']);
        continue;
      }
      const t = trueSpans[k];
      matched[k] = true;
      if (t.start === pred.start && t.end === pred.end) add(t.type, ['incorrect', 'correct', 'correct', 'incorrect']);
      else if (t.type === pred.type) add(t.type, ['incorrect', 'incorrect', 'partial', 'correct']);
      else add(t.type, ['incorrect', 'incorrect', 'partial', 'incorrect']);
    }
    trueSpans.forEach((t, k) => {
      if (!matched[k]) add(t.type, ['missed', 'missed', 'missed', 'missed']);
    });
  }
  finish(overall);
  const sortedTypes = [...byType.keys()].sort(compareCodePoints);
  const result: PartialMatchResult = { ...overall, byType: {} };
  for (const type of sortedTypes) {
    const scores = byType.get(type)!;
    finish(scores);
    result.byType[type] = scores;
  }
  return result;
}
