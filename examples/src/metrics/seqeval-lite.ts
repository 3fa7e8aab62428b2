/**
 * Entity-level scores as seqeval computes them (default/conlleval mode and strict IOB2 mode).
 * Local until `@twner/metrics-seqeval` lands; the run command switches to it then.
 */
export type Mode = 'default' | 'strict';

export interface Entity {
  type: string;
  start: number;
  end: number;
}

function split(tag: string): [string, string] {
  if (tag === 'O' || tag.length < 2) return ['O', ''];
  return [tag[0], tag.slice(2)];
}

/** Chunks by conlleval's rules (an `I-x` after `O` or another type starts a chunk). */
export function entitiesDefault(tags: readonly string[]): Entity[] {
  const out: Entity[] = [];
  let prev = 'O';
  let prevType = '';
  let start = -1;
  for (let i = 0; i <= tags.length; i++) {
    const [p, type] = i < tags.length ? split(tags[i]) : ['O', ''];
    const inChunk = prev === 'B' || prev === 'I';
    const ends = inChunk && (p === 'B' || p === 'O' || type !== prevType);
    if (ends) out.push({ type: prevType, start, end: i });
    const starts = p === 'B' || (p === 'I' && (!inChunk || type !== prevType));
    if (starts) start = i;
    prev = p;
    prevType = type;
  }
  return out;
}

/** Chunks in strict IOB2: `B-x I-x*`; an `I-x` without its `B-x` makes no entity. */
export function entitiesStrict(tags: readonly string[]): Entity[] {
  const out: Entity[] = [];
  let i = 0;
  while (i < tags.length) {
    const [p, type] = split(tags[i]);
    if (p !== 'B') {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < tags.length && tags[j] === `I-${type}`) j++;
    out.push({ type, start: i, end: j });
    i = j;
  }
  return out;
}

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
  support: number;
  predicted: number;
  correct: number;
}

export interface EntityReport {
  mode: Mode;
  perType: Record<string, Prf>;
  micro: Prf;
  macro: Prf;
  weighted: Prf;
}

function prf(correct: number, predicted: number, support: number): Prf {
  const precision = predicted === 0 ? 0 : correct / predicted;
  const recall = support === 0 ? 0 : correct / support;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support, predicted, correct };
}

export function entityReport(yTrue: readonly string[][], yPred: readonly string[][], mode: Mode = 'default'): EntityReport {
  if (yTrue.length !== yPred.length) throw new Error(`expected ${yTrue.length} predicted sequences, got ${yPred.length}`);
  const get = mode === 'strict' ? entitiesStrict : entitiesDefault;
  const counts = new Map<string, { c: number; p: number; s: number }>();
  const bump = (type: string, key: 'c' | 'p' | 's'): void => {
    const e = counts.get(type) ?? { c: 0, p: 0, s: 0 };
    e[key]++;
    counts.set(type, e);
  };
  yTrue.forEach((gold, i) => {
    const pred = yPred[i];
    const g = get(gold);
    const p = get(pred);
    const gs = new Set(g.map((e) => `${e.type}|${e.start}|${e.end}`));
    for (const e of g) bump(e.type, 's');
    for (const e of p) {
      bump(e.type, 'p');
      if (gs.has(`${e.type}|${e.start}|${e.end}`)) bump(e.type, 'c');
    }
  });
  const types = [...counts.keys()].sort();
  const perType: Record<string, Prf> = {};
  let c = 0;
  let p = 0;
  let s = 0;
  for (const t of types) {
    const e = counts.get(t)!;
    perType[t] = prf(e.c, e.p, e.s);
    c += e.c;
    p += e.p;
    s += e.s;
  }
  const goldTypes = types.filter((t) => perType[t].support > 0);
  const avg = (weight: (r: Prf) => number, total: number): Prf => {
    const sum = (f: (r: Prf) => number): number =>
      total === 0 ? 0 : goldTypes.reduce((a, t) => a + f(perType[t]) * weight(perType[t]), 0) / total;
    return { precision: sum((r) => r.precision), recall: sum((r) => r.recall), f1: sum((r) => r.f1), support: s, predicted: p, correct: c };
  };
  return {
    mode,
    perType,
    micro: prf(c, p, s),
    macro: avg(() => 1, goldTypes.length),
    weighted: avg((r) => r.support, s),
  };
}

/** seqeval's `classification_report` text. */
export function formatEntityReport(r: EntityReport, digits = 4): string {
  const names = Object.keys(r.perType);
  const width = Math.max(12, ...names.map((n) => n.length));
  const head = `${''.padStart(width)}  precision     recall   f1-score    support`;
  const row = (name: string, x: Prf): string =>
    `${name.padStart(width)}  ${x.precision.toFixed(digits).padStart(9)}  ${x.recall.toFixed(digits).padStart(9)}  ${x.f1
      .toFixed(digits)
      .padStart(9)}  ${String(x.support).padStart(9)}`;
  return [
    head,
    '',
    ...names.map((n) => row(n, r.perType[n])),
    '',
    row('micro avg', r.micro),
    row('macro avg', r.macro),
    row('weighted avg', r.weighted),
    '',
  ].join('\n');
}

/** Token accuracy over real tokens (padding never enters). */
export function tokenAccuracy(yTrue: readonly string[][], yPred: readonly string[][]): number {
  let n = 0;
  let ok = 0;
  yTrue.forEach((g, i) => g.forEach((t, j) => {
    n++;
    if (yPred[i][j] === t) ok++;
  }));
  return n === 0 ? 0 : ok / n;
}

/** conlleval.pl's summary text (default chunking), for `token gold pred` data. */
export function formatConlleval(yTrue: readonly string[][], yPred: readonly string[][]): string {
  const r = entityReport(yTrue, yPred, 'default');
  let tokens = 0;
  yTrue.forEach((g) => (tokens += g.length));
  const pct = (x: number): string => (100 * x).toFixed(2).padStart(6);
  const lines = [
    `processed ${tokens} tokens with ${r.micro.support} phrases; found: ${r.micro.predicted} phrases; correct: ${r.micro.correct}.`,
    `accuracy: ${pct(tokenAccuracy(yTrue, yPred))}%; precision: ${pct(r.micro.precision)}%; recall: ${pct(r.micro.recall)}%; FB1: ${pct(r.micro.f1)}`,
  ];
  for (const [t, x] of Object.entries(r.perType)) {
    lines.push(`${t.padStart(17)}: precision: ${pct(x.precision)}%; recall: ${pct(x.recall)}%; FB1: ${pct(x.f1)}  ${x.predicted}`);
  }
  return `${lines.join('\n')}\n`;
}
