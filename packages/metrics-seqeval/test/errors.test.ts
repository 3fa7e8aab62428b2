import {
  accuracyScore,
  classificationReport,
  conlleval,
  EmptyInputError,
  f1Score,
  getEntities,
  InconsistentLengthError,
  InvalidInputError,
  InvalidOptionError,
  MalformedTagError,
  MetricsError,
  partialMatch,
  performanceMeasure,
  precisionRecallFscoreSupport,
  tokenReport,
} from '../src/index';

describe('errors', () => {
  it('names the first sentence whose lengths differ, with both lengths', () => {
    const call = () => f1Score([['O'], ['B-PER', 'O'], ['O']], [['O'], ['B-PER'], ['O', 'O']]);
    expect(call).toThrow(InconsistentLengthError);
    expect(call).toThrowErrorMatchingInlineSnapshot(
      `"Found input variables with inconsistent numbers of samples: sentence 1 has 2 tags in yTrue but 1 in yPred."`,
    );
  });

  it('reports different numbers of sentences', () => {
    expect(() => f1Score([['O'], ['O']], [['O']])).toThrowErrorMatchingInlineSnapshot(
      `"Found input variables with inconsistent numbers of samples: yTrue has 2 sentences, yPred has 1."`,
    );
  });

  test.each([
    ['f1Score', (t: string[][], p: string[][]) => f1Score(t, p)],
    ['classificationReport', (t: string[][], p: string[][]) => classificationReport(t, p)],
    ['accuracyScore', (t: string[][], p: string[][]) => accuracyScore(t, p)],
    ['performanceMeasure', (t: string[][], p: string[][]) => performanceMeasure(t, p)],
    ['conlleval', (t: string[][], p: string[][]) => conlleval(t, p)],
    ['partialMatch', (t: string[][], p: string[][]) => partialMatch(t, p)],
    ['tokenReport', (t: string[][], p: string[][]) => tokenReport(t, p)],
  ])('%s checks lengths', (_name, fn) => {
    expect(() => fn([['O', 'O']], [['O']])).toThrow(InconsistentLengthError);
  });

  it('rejects a flat list where sentences are expected', () => {
    expect(() => f1Score(['B-PER'] as unknown as string[][], [['B-PER']])).toThrowErrorMatchingInlineSnapshot(
      `"yTrue[0] must be an array of tags (string[]), received the string "B-PER"."`,
    );
    expect(() => f1Score([['O']], null as unknown as string[][])).toThrow(InvalidInputError);
  });

  it('rejects an empty tag with its place', () => {
    expect(() => f1Score([['O', '']], [['O', 'O']])).toThrowErrorMatchingInlineSnapshot(
      `"Malformed tag at sentence 0, position 1: expected a tag such as 'B-PER' or 'O', received ""."`,
    );
    expect(() => getEntities(['O', ''])).toThrow(MalformedTagError);
  });

  test.each([
    [{ average: 'mega' }, "Invalid option average: expected 'micro', 'macro', 'weighted' or null, received \"mega\"."],
    [{ zeroDivision: 2 }, "Invalid option zeroDivision: expected 'warn', 0 or 1, received 2."],
    [{ beta: -0.1 }, 'Invalid option beta: expected a number >= 0, received -0.1.'],
    [{ mode: 'lenient' }, "Invalid option mode: expected 'default' or 'strict', received \"lenient\"."],
    [{ mode: 'strict', scheme: 'BIO' }, "Invalid option scheme: expected 'IOB1', 'IOB2', 'IOE1', 'IOE2', 'IOBES', 'BILOU', received \"BIO\"."],
  ])('rejects the option %j', (options, message) => {
    const call = () => precisionRecallFscoreSupport([['O']], [['O']], options as never);
    expect(call).toThrow(InvalidOptionError);
    expect(call).toThrow(message);
  });

  it('rejects digits that are not a small non-negative integer', () => {
    expect(() => classificationReport([['B-A']], [['B-A']], { digits: -1 })).toThrow(InvalidOptionError);
    expect(() => classificationReport([['B-A']], [['B-A']], { digits: 1.5 })).toThrow(InvalidOptionError);
  });

  it('refuses accuracy on no tokens instead of dividing by zero', () => {
    expect(() => accuracyScore([], [])).toThrow(EmptyInputError);
    expect(() => accuracyScore([[]], [[]])).toThrow('accuracyScore is undefined for empty input');
  });

  it('gives every error a code and a common base class', () => {
    try {
      f1Score([['O']], [['O', 'O']]);
    } catch (error) {
      expect(error).toBeInstanceOf(MetricsError);
      expect(error).toMatchObject({ code: 'INCONSISTENT_LENGTH', sentence: 0, expected: 1, received: 2, name: 'InconsistentLengthError' });
    }
  });
});
