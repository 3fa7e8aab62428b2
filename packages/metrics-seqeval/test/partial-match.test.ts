import { partialMatch } from '../src/index';

describe('partialMatch (SemEval-2013 / nervaluate schemas)', () => {
  //            0      1      2    3      4    5      6      7    8       9    10     11     12   13
  const t = ['B-PER', 'I-PER', 'O', 'B-LOC', 'O', 'B-ORG', 'I-ORG', 'O', 'B-MISC', 'O', 'B-PER', 'O', 'O', 'O'];
  const p = ['B-PER', 'I-PER', 'O', 'B-ORG', 'O', 'B-ORG', 'O', 'O', 'O', 'O', 'B-LOC', 'I-LOC', 'O', 'B-MISC'];
  // PER[0,2) exact; ORG[3] same boundaries as LOC, other type; ORG[5] overlaps ORG[5,7);
  // LOC[10,12) overlaps PER[10]; MISC[13] spurious; true MISC[8] missed.
  const r = partialMatch([t], [p]);

  test.each([
    ['strict', { correct: 1, incorrect: 3, partial: 0, missed: 1, spurious: 1, possible: 5, actual: 5 }, 0.2],
    ['exact', { correct: 2, incorrect: 2, partial: 0, missed: 1, spurious: 1, possible: 5, actual: 5 }, 0.4],
    ['partial', { correct: 2, incorrect: 0, partial: 2, missed: 1, spurious: 1, possible: 5, actual: 5 }, 0.6],
    ['type', { correct: 2, incorrect: 2, partial: 0, missed: 1, spurious: 1, possible: 5, actual: 5 }, 0.4],
  ] as const)('counts the %s schema by hand', (schema, counts, score) => {
    expect(r[schema]).toMatchObject(counts);
    expect(r[schema].precision).toBeCloseTo(score, 15);
    expect(r[schema].recall).toBeCloseTo(score, 15);
    expect(r[schema].f1).toBeCloseTo(score, 15);
  });

  it('attributes each case to the true type, and a spurious one to its own type', () => {
    expect(Object.keys(r.byType)).toEqual(['LOC', 'MISC', 'ORG', 'PER']);
    expect(r.byType.PER.strict).toMatchObject({ correct: 1, incorrect: 1, possible: 2, actual: 2, precision: 0.5 });
    expect(r.byType.PER.partial).toMatchObject({ correct: 1, partial: 1 });
    expect(r.byType.LOC.exact).toMatchObject({ correct: 1 });
    expect(r.byType.LOC.type).toMatchObject({ incorrect: 1 });
    expect(r.byType.ORG.type).toMatchObject({ correct: 1 });
    expect(r.byType.MISC.strict).toMatchObject({ missed: 1, spurious: 1, precision: 0, recall: 0, f1: 0 });
  });

  it('gives all zeros and no types for no entities', () => {
    const empty = partialMatch([['O']], [['O']]);
    expect(empty.strict).toEqual({ correct: 0, incorrect: 0, partial: 0, missed: 0, spurious: 0, possible: 0, actual: 0, precision: 0, recall: 0, f1: 0 });
    expect(empty.byType).toEqual({});
  });

  it('compares entities within a sentence only', () => {
    const split = partialMatch([['B-PER'], ['O']], [['O'], ['B-PER']]);
    expect(split.partial).toMatchObject({ missed: 1, spurious: 1, correct: 0 });
  });

  it('uses strict-mode spans when asked', () => {
    // strict IOB2 drops the I-PER-after-O prediction entirely: one miss, nothing spurious
    const strict = partialMatch([['B-PER', 'I-PER']], [['O', 'I-PER']], { mode: 'strict', scheme: 'IOB2' });
    expect(strict.partial).toMatchObject({ missed: 1, spurious: 0, partial: 0 });
    const lenient = partialMatch([['B-PER', 'I-PER']], [['O', 'I-PER']]);
    expect(lenient.partial).toMatchObject({ partial: 1, missed: 0 });
  });
});
