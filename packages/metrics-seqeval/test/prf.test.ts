import fc from 'fast-check';
import {
  f1Score,
  precisionRecallFscoreSupport,
  precisionScore,
  recallScore,
  accuracyScore,
  performanceMeasure,
} from '../src/index';

// seqeval's docstring examples (sequence_labeling.py)
const docTrue = [['O', 'O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'O'], ['B-PER', 'I-PER', 'O']];
const docPred = [['O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'I-MISC', 'O'], ['B-PER', 'I-PER', 'O']];
// f1_score docstring: MISC 1 of 2 true found with one wrong prediction, PER right
const avgTrue = [['O', 'O', 'B-MISC', 'I-MISC', 'B-MISC', 'O', 'O'], ['B-PER', 'I-PER', 'O']];
const avgPred = [['O', 'O', 'B-MISC', 'I-MISC', 'B-MISC', 'I-MISC', 'O'], ['B-PER', 'I-PER', 'O']];
// seqeval tests/test_v1.py
const v1True = [['B-A', 'B-B', 'O', 'B-A']];
const v1Pred = [['O', 'B-B', 'B-C', 'B-A']];

describe('entity precision, recall and F1', () => {
  it('scores the docstring example 0.5 / 0.5 / 0.5 and accuracy 0.8', () => {
    expect(precisionScore(docTrue, docPred)).toBe(0.5);
    expect(recallScore(docTrue, docPred)).toBe(0.5);
    expect(f1Score(docTrue, docPred)).toBe(0.5);
    expect(accuracyScore(docTrue, docPred)).toBe(0.8);
  });

  test.each([
    ['micro', 2 / 3],
    ['macro', 0.75],
    ['weighted', 2 / 3],
  ] as const)('gives the documented %s average F1', (average, expected) => {
    // MISC: tp 1, pred 2, true 2 -> F1 0.5; PER: F1 1; micro: tp 2 / pred 3 / true 3
    expect(f1Score(avgTrue, avgPred, { average })).toBeCloseTo(expected, 15);
    expect(recallScore(avgTrue, avgPred, { average })).toBeCloseTo(average === 'macro' ? 0.75 : 2 / 3, 15);
  });

  it('returns one F1 per type in sorted type order with average null', () => {
    expect(f1Score(avgTrue, avgPred, { average: null })).toEqual([0.5, 1]);
    expect(recallScore(avgTrue, avgPred, { average: null })).toEqual([0.5, 1]);
  });

  it('reproduces seqeval test_v1 per-type scores (A: 1/0.5, B: 1/1, C: 0/0)', () => {
    for (const mode of [{}, { mode: 'strict' as const, scheme: 'IOB2' as const }]) {
      const r = precisionRecallFscoreSupport(v1True, v1Pred, { ...mode, zeroDivision: 0 });
      expect(r.labels).toEqual(['A', 'B', 'C']);
      expect(r.precision).toEqual([1, 1, 0]);
      expect(r.recall).toEqual([0.5, 1, 0]);
      expect(r.fScore).toEqual([2 / 3, 1, 0]);
      expect(r.support).toEqual([2, 1, 0]);
    }
  });

  test.each([
    ['micro', [2 / 3, 2 / 3, 2 / 3, 3]],
    ['macro', [2 / 3, 0.5, 5 / 9, 3]],
    ['weighted', [1, 2 / 3, 7 / 9, 3]],
  ] as const)('reproduces seqeval test_v1 %s averages', (average, [p, r, f, s]) => {
    const got = precisionRecallFscoreSupport(v1True, v1Pred, { average, zeroDivision: 0 });
    expect(got.precision).toBeCloseTo(p, 15);
    expect(got.recall).toBeCloseTo(r, 15);
    expect(got.fScore).toBeCloseTo(f, 15);
    expect(got.support).toBe(s);
  });

  test.each([
    ['micro', [2 / 3, 2 / 3, 2 / 3]],
    ['macro', [2 / 3, 0.5, 0.5]],
    ['weighted', [1, 2 / 3, 2 / 3]],
  ] as const)('with beta = Infinity the F-score is the recall (%s)', (average, [p, r, f]) => {
    const got = precisionRecallFscoreSupport(v1True, v1Pred, { average, beta: Infinity });
    expect([got.precision, got.recall, got.fScore]).toEqual([p, r, f].map((x) => expect.closeTo(x, 15)));
  });

  it('weights precision against recall with beta', () => {
    // A: p = 1, r = 0.5; F2 = 5 * 0.5 / (4 + 0.5)
    const got = precisionRecallFscoreSupport([['B-A', 'B-A']], [['B-A', 'O']], { average: 'micro', beta: 2 });
    expect(got.fScore).toBeCloseTo(2.5 / 4.5, 15);
  });

  describe('zero division', () => {
    // no prediction at all: precision undefined; recall 0
    const t = [['B-PER', 'O']];
    const p = [['O', 'O']];
    test.each([
      ['warn', 0, 0],
      [0, 0, 0],
      [1, 1, 0],
    ] as const)('zeroDivision %s sets an undefined precision to %s (F1 %s)', (zeroDivision, precision, f1) => {
      expect(precisionScore(t, p, { zeroDivision })).toBe(precision);
      expect(recallScore(t, p, { zeroDivision })).toBe(0);
      expect(f1Score(t, p, { zeroDivision })).toBe(f1);
    });

    it('sets recall by zeroDivision when there is no true entity', () => {
      expect(recallScore([['O']], [['B-PER']], { zeroDivision: 1 })).toBe(1);
      expect(precisionScore([['O']], [['B-PER']], { zeroDivision: 1 })).toBe(0);
    });

    test.each([
      ['warn', 0],
      [0, 0],
      [1, 1],
    ] as const)('with no entity anywhere, micro F1 is %s -> %s', (zeroDivision, expected) => {
      expect(f1Score([['O', 'O']], [['O', 'O']], { zeroDivision })).toBe(expected);
    });

    it('returns (0, 0, 0, 0) for a weighted average with no true entity, as seqeval test_weighted_true_sum_zero', () => {
      expect(precisionRecallFscoreSupport([['O']], [['O']], { average: 'weighted' })).toEqual({
        precision: 0,
        recall: 0,
        fScore: 0,
        support: 0,
      });
    });

    it('gives zeroDivision for the weighted recall, and 0 precision when something was predicted', () => {
      expect(precisionRecallFscoreSupport([['O']], [['B-X']], { average: 'weighted', zeroDivision: 1 })).toEqual({
        precision: 0,
        recall: 1,
        fScore: 0,
        support: 0,
      });
    });

    it('makes the macro average NaN when there is no type at all (numpy mean of nothing)', () => {
      expect(f1Score([[]], [[]], { average: 'macro' })).toBeNaN();
      expect(f1Score([[]], [[]], { average: null })).toEqual([]);
    });

    it('reports seqeval warning texts when zeroDivision is warn', () => {
      const messages: string[] = [];
      precisionScore(t, p, { onWarning: (m) => messages.push(m) });
      f1Score([['O']], [['O']], { onWarning: (m) => messages.push(m) });
      precisionRecallFscoreSupport([['B-PER']], [['B-Test']], { onWarning: (m) => messages.push(m) });
      precisionScore(t, p, { zeroDivision: 0, onWarning: (m) => messages.push(m) });
      expect(messages).toEqual([
        'Precision is ill-defined and being set to 0.0 due to no predicted samples. Use `zero_division` parameter to control this behavior.',
        'F-score is ill-defined and being set to 0.0 due to no true nor predicted samples. Use `zero_division` parameter to control this behavior.',
        'Precision and F-score are ill-defined and being set to 0.0 in labels with no predicted samples. Use `zero_division` parameter to control this behavior.',
        'Recall and F-score are ill-defined and being set to 0.0 in labels with no true samples. Use `zero_division` parameter to control this behavior.',
      ]);
    });

    it('warns for tags that do not look like NE tags in default mode', () => {
      const messages: string[] = [];
      f1Score([['X-PER', 'O']], [['O', 'O']], { onWarning: (m) => messages.push(m) });
      expect(messages[0]).toBe('X-PER seems not to be NE tag.');
    });
  });

  it('scores a suffix-style copy exactly like the prefix-style original (metamorphic)', () => {
    const tag = fc.oneof(
      fc.constant('O'),
      fc.tuple(fc.constantFrom('B', 'I'), fc.constantFrom('PER', 'LOC', 'geo-loc')).map(([p, t]) => `${p}-${t}`),
    );
    const pair = fc
      .array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 6 })
      .chain((lens) => fc.tuple(...lens.map((n) => fc.tuple(fc.array(tag, { minLength: n, maxLength: n }), fc.array(tag, { minLength: n, maxLength: n })))));
    const toSuffix = (s: string[]) => s.map((t) => (t === 'O' ? 'O' : `${t.slice(2)}-${t[0]}`));
    fc.assert(
      fc.property(pair, (sents) => {
        const yTrue = sents.map(([a]) => a);
        const yPred = sents.map(([, b]) => b);
        for (const options of [{}, { mode: 'strict' as const, scheme: 'IOB2' as const }]) {
          const a = precisionRecallFscoreSupport(yTrue, yPred, options);
          const b = precisionRecallFscoreSupport(yTrue.map(toSuffix), yPred.map(toSuffix), { ...options, suffix: true });
          expect(b).toEqual(a);
        }
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it('agrees with a naive reference implementation on seeded random data', () => {
    // Naive: entities as 'sentence:type:start:end' strings from a plain-loop IOBES chunker.
    const naiveEntities = (seqs: string[][]): string[] => {
      const out: string[] = [];
      seqs.forEach((seq, s) => {
        let open: { type: string; start: number } | null = null;
        const close = (end: number) => {
          if (open) out.push(`${s}:${open.type}:${open.start}:${end}`);
          open = null;
        };
        seq.forEach((tag, i) => {
          const [p, type] = tag === 'O' ? ['O', ''] : [tag[0], tag.slice(2)];
          const cur = open as { type: string; start: number } | null;
          if (p === 'O') return close(i);
          const continues = cur !== null && cur.type === type && (p === 'I' || p === 'E') && !cur.type.startsWith('#');
          if (!continues) {
            close(i);
            open = { type, start: i };
          }
          if (p === 'E' || p === 'S') {
            close(i + 1);
          }
        });
        close(seq.length);
      });
      return out;
    };
    const tag = fc.oneof(
      fc.constant('O'),
      fc.tuple(fc.constantFrom('B', 'I', 'E', 'S'), fc.constantFrom('A', 'B', 'C', 'D')).map(([p, t]) => `${p}-${t}`),
    );
    const data = fc
      .array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 8 })
      .chain((lens) => fc.tuple(...lens.map((n) => fc.tuple(fc.array(tag, { minLength: n, maxLength: n }), fc.array(tag, { minLength: n, maxLength: n })))));
    fc.assert(
      fc.property(data, (sents) => {
        const yTrue = sents.map(([a]) => a);
        const yPred = sents.map(([, b]) => b);
        const t = new Set(naiveEntities(yTrue));
        const p = new Set(naiveEntities(yPred));
        const types = [...new Set([...t, ...p].map((e) => e.split(':')[1]))].sort();
        const per = types.map((type) => {
          const tt = [...t].filter((e) => e.split(':')[1] === type);
          const pp = [...p].filter((e) => e.split(':')[1] === type);
          const tp = tt.filter((e) => p.has(e)).length;
          return { tp, pred: pp.length, true: tt.length };
        });
        const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
        const f = (x: { tp: number; pred: number; true: number }) => {
          const pr = ratio(x.tp, x.pred);
          const rc = ratio(x.tp, x.true);
          return pr + rc === 0 ? 0 : (2 * pr * rc) / (pr + rc);
        };
        const got = precisionRecallFscoreSupport(yTrue, yPred);
        expect(got.labels).toEqual(types);
        expect(got.support).toEqual(per.map((x) => x.true));
        expect(got.precision).toEqual(per.map((x) => ratio(x.tp, x.pred)));
        expect(got.fScore).toEqual(per.map(f));
        const sum = (k: 'tp' | 'pred' | 'true') => per.reduce((a, x) => a + x[k], 0);
        expect(f1Score(yTrue, yPred)).toBeCloseTo(f({ tp: sum('tp'), pred: sum('pred'), true: sum('true') }), 12);
        if (types.length > 0) {
          expect(f1Score(yTrue, yPred, { average: 'macro' })).toBeCloseTo(per.map(f).reduce((a, b) => a + b, 0) / per.length, 12);
        }
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});

describe('token-level scores', () => {
  it('counts performanceMeasure as the seqeval docstring (TP 3, FP 3, FN 1, TN 4)', () => {
    const yTrue = [['O', 'O', 'O', 'B-MISC', 'I-MISC', 'O', 'B-ORG'], ['B-PER', 'I-PER', 'O', 'B-PER']];
    const yPred = [['O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'O', 'O'], ['B-PER', 'I-PER', 'O', 'B-MISC']];
    expect(performanceMeasure(yTrue, yPred)).toEqual({ TP: 3, FP: 3, FN: 1, TN: 4 });
  });

  it('counts performanceMeasure token by token (hand-worked: FP are O->B-MISC and B-MISC->I-MISC)', () => {
    // An old seqeval test pinned FP 3 for these lists; the formula seqeval 1.2 runs gives 2:
    // O/O O/O O/B-MISC(FP) B-MISC/I-MISC(FP) I-MISC/I-MISC(TP) O/O B-ORG/O(FN) | B-PER(TP) I-PER(TP) O/O
    const yTrue = [['O', 'O', 'O', 'B-MISC', 'I-MISC', 'O', 'B-ORG'], ['B-PER', 'I-PER', 'O']];
    const yPred = [['O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'O', 'O'], ['B-PER', 'I-PER', 'O']];
    expect(performanceMeasure(yTrue, yPred)).toEqual({ TP: 3, FP: 2, FN: 1, TN: 4 });
  });

  it('computes accuracy over every token, O included', () => {
    expect(accuracyScore([['O', 'B-PER', 'I-PER']], [['O', 'B-PER', 'O']])).toBe(2 / 3);
  });
});
