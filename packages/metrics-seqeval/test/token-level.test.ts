import { accuracyScore, formatReport, tokenReport } from '../src/index';

describe('tokenReport', () => {
  const yTrue = [['B-PER', 'I-PER', 'O']];
  const yPred = [['B-PER', 'O', 'O']];

  it('scores every tag as a label, O included', () => {
    const r = tokenReport(yTrue, yPred);
    expect(Object.keys(r)).toEqual(['B-PER', 'I-PER', 'O', 'micro avg', 'macro avg', 'weighted avg']);
    expect(r['B-PER']).toEqual({ precision: 1, recall: 1, 'f1-score': 1, support: 1 });
    expect(r['I-PER']).toEqual({ precision: 0, recall: 0, 'f1-score': 0, support: 1 });
    expect(r.O).toEqual({ precision: 0.5, recall: 1, 'f1-score': 2 / 3, support: 1 });
  });

  it('has a micro average over all labels equal to accuracy', () => {
    expect(tokenReport(yTrue, yPred)['micro avg'].precision).toBe(accuracyScore(yTrue, yPred));
  });

  it('restricts the labels and their averages on request', () => {
    const r = tokenReport(yTrue, yPred, { labels: ['B-PER', 'I-PER'] });
    expect(Object.keys(r)).toEqual(['B-PER', 'I-PER', 'micro avg', 'macro avg', 'weighted avg']);
    // micro over B-PER, I-PER: tp 1, pred 1, true 2
    expect(r['micro avg']).toEqual({ precision: 1, recall: 0.5, 'f1-score': 2 / 3, support: 2 });
  });

  it('renders with formatReport', () => {
    expect(formatReport(tokenReport(yTrue, yPred)).split('\n')[4]).toBe(
      '           O       0.50      1.00      0.67         1',
    );
  });
});
