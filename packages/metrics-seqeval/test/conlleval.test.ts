import fc from 'fast-check';
import { accuracyScore, conlleval, precisionRecallFscoreSupport } from '../src/index';

describe('conlleval', () => {
  // Worked by hand from conlleval's rules: true PER, LOC, ORG; predicted PER, ORG (for LOC), ORG.
  const yTrue = [['B-PER', 'I-PER', 'O', 'B-LOC'], ['B-ORG', 'O']];
  const yPred = [['B-PER', 'I-PER', 'O', 'B-ORG'], ['B-ORG', 'O']];

  it('counts tokens, phrases, found, correct and tags as conlleval', () => {
    const r = conlleval(yTrue, yPred);
    expect(r).toMatchObject({ tokens: 6, phrases: 3, found: 3, correct: 2, correctTags: 5 });
    expect(r.accuracy).toBeCloseTo(500 / 6, 12);
    expect(r.precision).toBeCloseTo(200 / 3, 12);
    expect(r.types.map((t) => [t.type, t.phrases, t.found, t.correct])).toEqual([
      ['LOC', 1, 0, 0],
      ['ORG', 1, 2, 1],
      ['PER', 1, 1, 1],
    ]);
  });

  it('prints conlleval.pl text byte for byte', () => {
    expect(conlleval(yTrue, yPred).text).toBe(
      'processed 6 tokens with 3 phrases; found: 3 phrases; correct: 2.\n' +
        'accuracy:  83.33%; precision:  66.67%; recall:  66.67%; FB1:  66.67\n' +
        '              LOC: precision:   0.00%; recall:   0.00%; FB1:   0.00  0\n' +
        '              ORG: precision:  50.00%; recall: 100.00%; FB1:  66.67  2\n' +
        '              PER: precision: 100.00%; recall: 100.00%; FB1: 100.00  1\n',
    );
  });

  it('prints only the first line when there are no tokens', () => {
    expect(conlleval([], []).text).toBe('processed 0 tokens with 0 phrases; found: 0 phrases; correct: 0.\n');
    expect(conlleval([[]], [[]]).accuracy).toBeNaN();
  });

  it('rounds %6.2f ties half to even as C printf does (100 * 1/800 = 0.125 -> 0.12)', () => {
    const t = [Array.from({ length: 1600 }, (_, i) => (i === 0 ? 'B-X' : 'O'))];
    const p = [Array.from({ length: 1600 }, (_, i) => (i % 2 === 0 ? 'B-X' : 'O'))];
    const r = conlleval(t, p);
    expect(r.found).toBe(800);
    expect(r.text.split('\n')[1]).toBe('accuracy:  50.06%; precision:   0.12%; recall: 100.00%; FB1:   0.25');
  });

  it('treats a sentence break as the end of every chunk', () => {
    // I-PER at the start of sentence 2 starts a new chunk
    expect(conlleval([['B-PER'], ['I-PER']], [['B-PER'], ['I-PER']]).phrases).toBe(2);
  });

  it('keeps conlleval quirks: S- only starts a chunk on a type change; E-X B-X is one chunk', () => {
    expect(conlleval([['S-PER', 'S-PER']], [['S-PER', 'S-PER']]).phrases).toBe(1);
    expect(conlleval([['E-PER', 'B-PER']], [['E-PER', 'B-PER']]).phrases).toBe(1);
  });

  it('reads hyphenated types, and lists the empty type of bare tags twice as conlleval.pl does', () => {
    // Its de-duplication of sorted type names is skipped after a name Perl reads as false ('').
    const r = conlleval([['B-geo-loc', 'I-geo-loc', 'B']], [['B-geo-loc', 'I-geo-loc', 'B']]);
    expect(r.types.map((t) => t.type)).toEqual(['', '', 'geo-loc']);
    expect(r.text.split('\n')[2]).toBe('                 : precision: 100.00%; recall: 100.00%; FB1: 100.00  1');
  });

  // seqeval's own oracle test: on BIO-only or EIO-only data seqeval's default mode and conlleval
  // agree; here conlleval's state machine is checked against the chunker behind the scores.
  test.each([['BIO'], ['EIO']])('agrees with the default-mode scores on random %s data', (prefixes) => {
    const tag = fc.tuple(fc.constantFrom(...prefixes.split('')), fc.constantFrom('PER', 'MISC', 'ORG', 'LOC')).map(([p, t]) => (p === 'O' ? 'O' : `${p}-${t}`));
    const data = fc
      .array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 10 })
      .chain((lens) => fc.tuple(...lens.map((n) => fc.tuple(fc.array(tag, { minLength: n, maxLength: n }), fc.array(tag, { minLength: n, maxLength: n })))));
    fc.assert(
      fc.property(data, (sents) => {
        const t = sents.map(([a]) => a);
        const p = sents.map(([, b]) => b);
        const c = conlleval(t, p);
        const s = precisionRecallFscoreSupport(t, p);
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        expect(c.phrases).toBe(sum(s.support));
        expect(c.types.map((x) => x.type)).toEqual(s.labels);
        expect(c.types.map((x) => x.phrases)).toEqual(s.support);
        const micro = precisionRecallFscoreSupport(t, p, { average: 'micro' });
        expect(c.precision / 100).toBeCloseTo(micro.precision, 12);
        expect(c.recall / 100).toBeCloseTo(micro.recall, 12);
        expect(c.fb1 / 100).toBeCloseTo(micro.fScore, 12);
        expect(c.accuracy / 100).toBeCloseTo(accuracyScore(t, p), 12);
      }),
      { seed: 5, numRuns: 300 },
    );
  });
});
