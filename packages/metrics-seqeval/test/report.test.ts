import { classificationReport, formatFixed, formatReport } from '../src/index';

describe('classificationReport', () => {
  it('prints the seqeval docstring report character for character', () => {
    const yTrue = [['O', 'O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'O'], ['B-PER', 'I-PER', 'O']];
    const yPred = [['O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'I-MISC', 'O'], ['B-PER', 'I-PER', 'O']];
    expect(classificationReport(yTrue, yPred)).toBe(
      [
        '              precision    recall  f1-score   support',
        '',
        '        MISC       0.00      0.00      0.00         1',
        '         PER       1.00      1.00      1.00         1',
        '',
        '   micro avg       0.50      0.50      0.50         2',
        '   macro avg       0.50      0.50      0.50         2',
        'weighted avg       0.50      0.50      0.50         2',
        '',
      ].join('\n'),
    );
  });

  const v1True = [['B-A', 'B-B', 'O', 'B-A']];
  const v1Pred = [['O', 'B-B', 'B-C', 'B-A']];

  it('prints seqeval test_v1 expected text, in default and strict IOB2 mode', () => {
    const expected = `\
              precision    recall  f1-score   support

           A       1.00      0.50      0.67         2
           B       1.00      1.00      1.00         1
           C       0.00      0.00      0.00         0

   micro avg       0.67      0.67      0.67         3
   macro avg       0.67      0.50      0.56         3
weighted avg       1.00      0.67      0.78         3
`;
    expect(classificationReport(v1True, v1Pred)).toBe(expected);
    expect(classificationReport(v1True, v1Pred, { mode: 'strict', scheme: 'IOB2' })).toBe(expected);
  });

  it('returns seqeval test_v1 expected dict, bit for bit', () => {
    expect(classificationReport(v1True, v1Pred, { outputDict: true })).toEqual({
      A: { 'f1-score': 0.6666666666666666, precision: 1.0, recall: 0.5, support: 2 },
      B: { 'f1-score': 1.0, precision: 1.0, recall: 1.0, support: 1 },
      C: { 'f1-score': 0.0, precision: 0.0, recall: 0.0, support: 0 },
      'macro avg': { 'f1-score': 0.5555555555555555, precision: 0.6666666666666666, recall: 0.5, support: 3 },
      'micro avg': { 'f1-score': 0.6666666666666666, precision: 0.6666666666666666, recall: 0.6666666666666666, support: 3 },
      'weighted avg': { 'f1-score': 0.7777777777777777, precision: 1.0, recall: 0.6666666666666666, support: 3 },
    });
  });

  // A: 8 predicted, 1 right (p = 1/8); B: 8 predicted, 3 right (3/8); C: 8 predicted, 5 right (5/8).
  // Recall is 1 everywhere. Exact binary ties must round half to even as Python does.
  const sentence = (type: string, right: number) => ({
    t: Array.from({ length: 16 }, (_, i) => (i % 2 === 0 && i / 2 < right ? `B-${type}` : 'O')),
    p: Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? `B-${type}` : 'O')),
  });
  const ties = [sentence('A', 1), sentence('B', 3), sentence('C', 5)];
  const tiesTrue = ties.map((s) => s.t);
  const tiesPred = ties.map((s) => s.p);

  it('rounds exact ties half to even, as Python prints 0.125 -> 0.12 and 0.625 -> 0.62', () => {
    // f1: A 2/9 = 0.222, B 6/11 = 0.545, C 10/13 = 0.769; micro p = 9/24 = 0.375;
    // macro p = (1/8 + 3/8 + 5/8) / 3 = 0.375; weighted p = (1/8 + 9/8 + 25/8) / 9 = 0.486;
    // macro f1 = 0.512; weighted f1 = (2/9 + 18/11 + 50/13) / 9 = 0.634
    expect(classificationReport(tiesTrue, tiesPred)).toBe(`\
              precision    recall  f1-score   support

           A       0.12      1.00      0.22         1
           B       0.38      1.00      0.55         3
           C       0.62      1.00      0.77         5

   micro avg       0.38      1.00      0.55         9
   macro avg       0.38      1.00      0.51         9
weighted avg       0.49      1.00      0.63         9
`);
    expect((0.125).toFixed(2)).toBe('0.13'); // what a naive port would print
  });

  it('honours digits', () => {
    const text = classificationReport(tiesTrue, tiesPred, { digits: 4 });
    expect(text.split('\n')[2]).toBe('           A     0.1250    1.0000    0.2222         1');
    expect(text.split('\n')[6]).toBe('   micro avg     0.3750    1.0000    0.5455         9');
  });

  it('widens the name column for long type names and for many digits', () => {
    const long = classificationReport([['B-a_rather_long_type']], [['B-a_rather_long_type']]);
    // 18 characters: wider than 'weighted avg'
    expect(long.split('\n')[0]).toBe(`${' '.repeat(18)}  precision    recall  f1-score   support`);
    expect(long.split('\n')[2]).toBe('a_rather_long_type       1.00      1.00      1.00         1');
    expect(long.split('\n')[6]).toBe('      weighted avg       1.00      1.00      1.00         1');
    const wide = classificationReport([['B-A']], [['B-A']], { digits: 14 });
    // width max(12, digits) = 14; a 16-character number overflows its 9 columns as in Python
    expect(wide.split('\n')[2]).toBe(`${'A'.padStart(14)}  1.00000000000000 1.00000000000000 1.00000000000000         1`);
  });

  it('lists types that occur only in the predictions with support 0', () => {
    const dict = classificationReport([['B-A', 'O']], [['B-A', 'B-Z']], { outputDict: true });
    expect(Object.keys(dict)).toEqual(['A', 'Z', 'micro avg', 'macro avg', 'weighted avg']);
    expect(dict.Z).toEqual({ precision: 0, recall: 0, 'f1-score': 0, support: 0 });
  });

  it('prints a report with no rows and a nan macro average when there is no entity (seqeval raises)', () => {
    expect(classificationReport([['O']], [['O']])).toBe(`\
              precision    recall  f1-score   support


   micro avg       0.00      0.00      0.00         0
   macro avg        nan       nan       nan         0
weighted avg       0.00      0.00      0.00         0
`);
  });

  it('formats a dict with formatReport the way classificationReport prints it', () => {
    const dict = classificationReport(tiesTrue, tiesPred, { outputDict: true });
    expect(formatReport(dict, { digits: 3 })).toBe(classificationReport(tiesTrue, tiesPred, { digits: 3 }));
  });

  it('uses zeroDivision 1 for a type never predicted', () => {
    const dict = classificationReport([['B-A', 'B-B']], [['B-A', 'O']], { outputDict: true, zeroDivision: 1 });
    expect(dict.B).toEqual({ precision: 1, recall: 0, 'f1-score': 0, support: 1 });
  });
});

describe('formatFixed (Python float formatting)', () => {
  test.each([
    [0.125, 2, '0.12'],
    [0.375, 2, '0.38'],
    [0.625, 2, '0.62'],
    [0.675, 2, '0.68'], // the double is 0.67500000000000004441: above the tie
    [1.005, 2, '1.00'], // the double is 1.00499999999999989342: below the tie
    [2.5, 0, '2'],
    [0.5, 0, '0'],
    [1.5, 0, '2'],
    [1 / 3, 4, '0.3333'],
    [2 / 3, 2, '0.67'],
    [-0.125, 2, '-0.12'],
    [-0, 2, '-0.00'],
    [100, 2, '100.00'],
    [1e22, 1, '10000000000000000000000.0'],
    [5e-324, 3, '0.000'],
    [NaN, 2, 'nan'],
    [Infinity, 2, 'inf'],
  ])('formats %p with %p digits as %p', (x, digits, expected) => {
    expect(formatFixed(x, digits)).toBe(expected);
  });
});
