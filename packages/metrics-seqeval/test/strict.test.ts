import { classificationReport, f1Score, InvalidSchemeTagError, MissingSchemeError, sentenceSpans, type StrictScheme } from '../src/index';

type Row = [string[], Array<[string, number, number]>];

const spans = (tags: string[], scheme: StrictScheme, suffix = false) =>
  sentenceSpans([tags], { mode: 'strict', scheme, suffix })[0].map((s) => [s.type, s.start, s.end]);

// Expected spans (end exclusive) from seqeval's scheme tables, as tabulated in its tests/test_scheme.py.
const cases: Record<StrictScheme, Row[]> = {
  IOB1: [
    [['B-PER'], []],
    [['I-PER'], [['PER', 0, 1]]],
    [['O', 'I-PER'], [['PER', 1, 2]]],
    [['I-PER', 'I-ORG'], [['PER', 0, 1], ['ORG', 1, 2]]],
    [['I-PER', 'B-PER'], [['PER', 0, 1], ['PER', 1, 2]]],
    [['I-PER', 'B-ORG'], [['PER', 0, 1]]],
    [['B-PER', 'I-PER'], [['PER', 1, 2]]],
    [['B-PER', 'B-ORG'], []],
    [['I', 'I'], [['_', 0, 2]]],
  ],
  IOB2: [
    [['B-PER'], [['PER', 0, 1]]],
    [['I-PER'], []],
    [['O', 'I-PER'], []],
    [['I-PER', 'B-ORG'], [['ORG', 1, 2]]],
    [['B-PER', 'I-PER'], [['PER', 0, 2]]],
    [['B-PER', 'I-ORG'], [['PER', 0, 1]]],
    [['B-PER', 'B-PER'], [['PER', 0, 1], ['PER', 1, 2]]],
    [['B', 'I'], [['_', 0, 2]]],
  ],
  IOE1: [
    [['E-PER'], []],
    [['I-PER'], [['PER', 0, 1]]],
    [['I-PER', 'I-ORG'], [['PER', 0, 1], ['ORG', 1, 2]]],
    [['I-PER', 'E-ORG'], [['PER', 0, 1]]],
    [['E-PER', 'I-PER'], [['PER', 1, 2]]],
    [['E-PER', 'E-PER'], []],
  ],
  IOE2: [
    [['E-PER'], [['PER', 0, 1]]],
    [['I-PER'], []],
    [['I-PER', 'E-PER'], [['PER', 0, 2]]],
    [['I-PER', 'E-ORG'], [['ORG', 1, 2]]],
    [['E-PER', 'I-ORG'], [['PER', 0, 1]]],
    [['E-PER', 'E-ORG'], [['PER', 0, 1], ['ORG', 1, 2]]],
  ],
  IOBES: [
    [['S-PER'], [['PER', 0, 1]]],
    [['B-PER'], []],
    [['I-PER', 'S-PER'], [['PER', 1, 2]]],
    [['B-PER', 'E-PER'], [['PER', 0, 2]]],
    [['B-PER', 'E-ORG'], []],
    [['B-PER', 'I-PER', 'E-PER'], [['PER', 0, 3]]],
    [['S-PER', 'S-PER'], [['PER', 0, 1], ['PER', 1, 2]]],
    [['E-PER', 'S-PER'], [['PER', 1, 2]]],
  ],
  BILOU: [
    [['U-PER'], [['PER', 0, 1]]],
    [['B-PER'], []],
    [['L-PER'], []],
    [['B-PER', 'L-PER'], [['PER', 0, 2]]],
    [['B-PER', 'I-PER', 'L-PER'], [['PER', 0, 3]]],
    [['B-PER', 'L-ORG'], []],
    [['B-PER', 'U-PER'], [['PER', 1, 2]]],
    [['U-PER', 'U-LOC'], [['PER', 0, 1], ['LOC', 1, 2]]],
  ],
};

describe('strict mode', () => {
  for (const scheme of Object.keys(cases) as StrictScheme[]) {
    test.each(cases[scheme])(`${scheme}: %j has spans %j`, (tags, expected) => {
      expect(spans(tags, scheme)).toEqual(expected);
    });
  }

  it('reads suffix-style tags in strict mode', () => {
    expect(spans(['PER-B', 'PER-I', 'O'], 'IOB2', true)).toEqual([['PER', 0, 2]]);
  });

  it('drops entities that break the scheme, where default mode keeps them', () => {
    const yTrue = [['B-PER', 'I-PER', 'O']];
    const yPred = [['O', 'I-PER', 'O']];
    // default: ('PER', 1, 1) is predicted, and wrong -> F1 0; strict IOB2: nothing predicted
    expect(f1Score(yTrue, yPred)).toBe(0);
    const strict = classificationReport(yTrue, yPred, { mode: 'strict', scheme: 'IOB2', outputDict: true });
    expect(strict['micro avg']).toEqual({ precision: 0, recall: 0, 'f1-score': 0, support: 1 });
    const defaults = classificationReport(yTrue, [['B-PER', 'I-PER', 'I-PER']], { outputDict: true });
    expect(defaults.PER.precision).toBe(0);
  });

  it('counts an entity in strict mode only if the sentence, type, start and end all agree', () => {
    const yTrue = [['B-A', 'I-A'], ['B-A', 'I-A']];
    const yPred = [['B-A', 'I-A'], ['O', 'B-A']];
    // tp 1 (sentence 0), pred 2, true 2
    expect(f1Score(yTrue, yPred, { mode: 'strict', scheme: 'IOB2' })).toBe(0.5);
    // same type, start and end, but another sentence: no match
    expect(f1Score([['B-A'], ['O']], [['O'], ['B-A']], { mode: 'strict', scheme: 'IOB2' })).toBe(0);
  });

  it('throws when strict mode has no scheme (seqeval silently falls back)', () => {
    expect(() => f1Score([['B-A']], [['B-A']], { mode: 'strict' })).toThrow(MissingSchemeError);
    expect(() => classificationReport([['B-A']], [['B-A']], { mode: 'strict' })).toThrow(
      "mode 'strict' needs a scheme",
    );
  });

  it('names the first sentence and position whose prefix the scheme does not allow', () => {
    const call = () => f1Score([['O'], ['O', 'B-PER', 'E-PER']], [['O'], ['O', 'O', 'O']], { mode: 'strict', scheme: 'IOB2' });
    expect(call).toThrow(InvalidSchemeTagError);
    expect(call).toThrowErrorMatchingInlineSnapshot(
      `"Invalid tag in yTrue at sentence 1, position 2: the IOB2 scheme allows the prefixes B, I, O, received "E-PER"."`,
    );
    try {
      call();
    } catch (error) {
      expect(error).toMatchObject({ code: 'INVALID_TAG', argument: 'yTrue', sentence: 1, position: 2, tag: 'E-PER', scheme: 'IOB2' });
    }
  });

  it('rejects S- in IOB1, U- in IOBES and B- in IOE2, in yPred too', () => {
    const o = [['O']];
    expect(() => f1Score(o, [['S-X']], { mode: 'strict', scheme: 'IOB1' })).toThrow(/yPred at sentence 0, position 0/);
    expect(() => f1Score(o, [['U-X']], { mode: 'strict', scheme: 'IOBES' })).toThrow(InvalidSchemeTagError);
    expect(() => f1Score(o, [['B-X']], { mode: 'strict', scheme: 'IOE2' })).toThrow(InvalidSchemeTagError);
  });
});
