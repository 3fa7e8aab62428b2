// Hostile input (issue 16): tags that are not strings and option keys the functions do not take
// give typed errors naming the place or the key, never a TypeError or a silently ignored option.
import {
  accuracyScore,
  classificationReport,
  conlleval,
  f1Score,
  formatReport,
  getEntities,
  InvalidInputError,
  MetricsError,
  partialMatch,
  performanceMeasure,
  precisionRecallFscoreSupport,
  precisionScore,
  recallScore,
  sentenceSpans,
  tokenReport,
  UnknownOptionError,
  type Sequences,
} from '../src/index';

type Metric = (yTrue: Sequences, yPred: Sequences) => unknown;

const METRICS: Array<[string, Metric]> = [
  ['conlleval', (t, p) => conlleval(t, p)],
  ['tokenReport', (t, p) => tokenReport(t, p)],
  ['f1Score', (t, p) => f1Score(t, p)],
  ['precisionScore', (t, p) => precisionScore(t, p)],
  ['recallScore', (t, p) => recallScore(t, p)],
  ['precisionRecallFscoreSupport', (t, p) => precisionRecallFscoreSupport(t, p)],
  ['classificationReport', (t, p) => classificationReport(t, p)],
  ['accuracyScore', (t, p) => accuracyScore(t, p)],
  ['performanceMeasure', (t, p) => performanceMeasure(t, p)],
  ['partialMatch', (t, p) => partialMatch(t, p)],
];

function caught(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('tags that are not strings', () => {
  const cases: Array<[string, unknown, string]> = [
    ['null', null, 'null'],
    ['a number', 5, 'a value of type number (5)'],
    ['undefined', undefined, 'a value of type undefined'],
    ['an object', { tag: 'B-PER' }, 'a value of type object'],
    ['a nested array', ['B-PER'], 'an array'],
  ];

  describe.each(METRICS)('%s', (_name, metric) => {
    test.each(cases)('refuses %s in yPred with sentence and position', (_what, bad, received) => {
      const yPred = [['O'], ['B-PER', bad, 'O']] as unknown as Sequences;
      const error = caught(() => metric([['O'], ['B-PER', 'I-PER', 'O']], yPred));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({ code: 'INVALID_INPUT', argument: 'yPred', sentence: 1, position: 1 });
      expect(error.message).toBe(`yPred[1][1] (sentence 1, position 1) must be a tag string such as 'B-PER' or 'O', received ${received}.`);
    });

    it('refuses a bad tag in yTrue too', () => {
      const yTrue = [[7, 'O']] as unknown as Sequences;
      expect(caught(() => metric(yTrue, [['O', 'O']]))).toMatchObject({ code: 'INVALID_INPUT', argument: 'yTrue', sentence: 0, position: 0 });
    });
  });

  it('refuses them in getEntities and sentenceSpans', () => {
    expect(caught(() => getEntities(['B-PER', null] as unknown as string[]))).toMatchObject({ name: 'InvalidInputError', position: 1 });
    expect(caught(() => getEntities([['O'], ['B-PER', 3]] as unknown as string[][]))).toMatchObject({ sentence: 1, position: 1 });
    expect(caught(() => sentenceSpans([['O', false]] as unknown as Sequences))).toMatchObject({ sentence: 0, position: 1 });
    expect(caught(() => getEntities(null as unknown as string[]))).toMatchObject({ code: 'INVALID_INPUT', sentence: -1 });
    expect(getEntities([['B-PER'], ['I-PER']])).toEqual([['PER', 0, 0], ['PER', 2, 2]]);
    expect(caught(() => sentenceSpans('B-PER' as unknown as Sequences))).toMatchObject({ code: 'INVALID_INPUT', sentence: -1 });
  });

  it('cuts a long string in a message', () => {
    const error = caught(() => f1Score(['x'.repeat(10_000)] as unknown as Sequences, [['O']]));
    expect(error.message.length).toBeLessThan(200);
  });
});

describe('options', () => {
  it('refuses the snake_case zero_division and suggests zeroDivision', () => {
    const error = caught(() => f1Score([['B-PER']], [['O']], { zero_division: 1 } as never));
    expect(error).toBeInstanceOf(UnknownOptionError);
    expect(error).toBeInstanceOf(MetricsError);
    expect(error).toMatchObject({ code: 'UNKNOWN_OPTION', option: 'zero_division', suggestion: 'zeroDivision' });
    expect(error.message).toBe(
      'Unknown option "zero_division" for f1Score: did you mean zeroDivision? (options are camelCase); accepted options are mode, scheme, suffix, average, zeroDivision, onWarning.',
    );
  });

  test.each<[string, () => unknown, string, string | undefined]>([
    ['classificationReport output_dict', () => classificationReport([['O']], [['O']], { output_dict: true } as never), 'output_dict', 'outputDict'],
    ['tokenReport zero_division', () => tokenReport([['O']], [['O']], { zero_division: 0 } as never), 'zero_division', 'zeroDivision'],
    ['precisionScore a typo', () => precisionScore([['O']], [['O']], { averge: 'macro' } as never), 'averge', undefined],
    ['recallScore ZERODIVISION', () => recallScore([['O']], [['O']], { ZERODIVISION: 1 } as never), 'ZERODIVISION', 'zeroDivision'],
    ['precisionRecallFscoreSupport a scorer key', () => precisionRecallFscoreSupport([['O']], [['O']], { digits: 2 } as never), 'digits', undefined],
    ['f1Score beta (only precisionRecallFscoreSupport takes it)', () => f1Score([['O']], [['O']], { beta: 2 } as never), 'beta', undefined],
    ['partialMatch average', () => partialMatch([['O']], [['O']], { average: 'micro' } as never), 'average', undefined],
    ['getEntities mode', () => getEntities(['O'], { mode: 'strict' } as never), 'mode', undefined],
    ['sentenceSpans zeroDivision', () => sentenceSpans([['O']], { zeroDivision: 1 } as never), 'zeroDivision', undefined],
    ['formatReport output_dict', () => formatReport({}, { output_dict: true } as never), 'output_dict', undefined],
  ])('refuses %s', (_name, call, option, suggestion) => {
    const error = caught(call);
    expect(error).toBeInstanceOf(UnknownOptionError);
    expect(error).toMatchObject({ code: 'UNKNOWN_OPTION', option, suggestion });
    expect(error.message).toContain('accepted options are');
  });

  test.each<[string, () => unknown, string]>([
    ['options that are not an object', () => f1Score([['O']], [['O']], 'micro' as never), 'options'],
    ['a suffix that is not a boolean', () => f1Score([['O']], [['O']], { suffix: 'yes' } as never), 'suffix'],
    ['an onWarning that is not a function', () => f1Score([['O']], [['O']], { onWarning: true } as never), 'onWarning'],
    ['an outputDict that is not a boolean', () => classificationReport([['O']], [['O']], { outputDict: 1 } as never), 'outputDict'],
    ['labels that are not strings', () => tokenReport([['O']], [['O']], { labels: [1] } as never), 'labels'],
  ])('refuses %s with InvalidOptionError', (_name, call, option) => {
    expect(caught(call)).toMatchObject({ name: 'InvalidOptionError', code: 'INVALID_OPTION', option });
  });

  it('still takes every documented option, and undefined values as absent', () => {
    expect(f1Score([['B-PER']], [['B-PER']], { mode: 'strict', scheme: 'IOB2', average: 'micro', zeroDivision: 0, suffix: false, onWarning: () => undefined })).toBe(1);
    expect(precisionRecallFscoreSupport([['B-PER']], [['B-PER']], { beta: 2, average: 'macro' }).fScore).toBe(1);
    expect(f1Score([['B-PER']], [['B-PER']], { zeroDivision: undefined })).toBe(1);
    expect(classificationReport([['B-PER']], [['B-PER']], { digits: 3, outputDict: true }).PER.support).toBe(1);
    expect(tokenReport([['O']], [['O']], { labels: ['O'], zeroDivision: 1 }).O.precision).toBe(1);
  });
});
