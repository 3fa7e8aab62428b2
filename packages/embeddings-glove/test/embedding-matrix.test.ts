import { buildEmbeddingMatrix, lookupKeys, VectorOptionsError, WordVectors, type LoadReport } from '../src';

const report = {} as LoadReport;
/** Word i has the vector [i+1, -(i+1), 2(i+1)]. */
function vectorsOf(words: string[]): WordVectors {
  const data = new Float32Array(words.flatMap((_, i) => [i + 1, -(i + 1), 2 * (i + 1)]));
  return new WordVectors(words, data, 3, report);
}
const row = (m: Float32Array, i: number): number[] => Array.from(m.subarray(i * 3, i * 3 + 3));

const vectors = vectorsOf(['Paris', 'paris', 'london', '<user>', '<hashtag>', 'new', 'york', 'way', 'soon']);
const v = (w: string): number[] => Array.from(vectors.get(w) ?? []);

describe('buildEmbeddingMatrix', () => {
  it('keeps the padding row zero and fills rows by exact, lowercase, then normalised lookup', () => {
    const vocab = ['<pad>', 'Paris', 'PARIS', '@bob', 'london', 'zzz'];
    const result = buildEmbeddingMatrix(vocab, vectors, { oov: 'zeros' });
    expect(result.dim).toBe(3);
    expect(result.matrix.length).toBe(vocab.length * 3);
    expect(row(result.matrix, 0)).toEqual([0, 0, 0]);
    expect(row(result.matrix, 1)).toEqual(v('Paris'));
    expect(row(result.matrix, 2)).toEqual(v('paris'));
    expect(row(result.matrix, 3)).toEqual(v('<user>'));
    expect(row(result.matrix, 5)).toEqual([0, 0, 0]);
    expect(result).toMatchObject({ hits: 4, misses: 1, missedWords: ['zzz'], hitsBy: { exact: 2, lowercase: 1, normalise: 1 } });
    expect(result.coverage).toEqual({ byType: 4 / 5 });
  });

  test.each([
    ['exact only', ['exact'] as const, { hits: 1, misses: 3 }],
    ['exact and lowercase', ['exact', 'lowercase'] as const, { hits: 2, misses: 2 }],
    ['normalise only', ['normalise'] as const, { hits: 3, misses: 1 }],
  ])('uses only the configured lookup steps: %s', (_name, lookup, counts) => {
    const result = buildEmbeddingMatrix(['<pad>', 'london', 'LONDON', '@bob', 'zzz'], vectors, { lookup, oov: 'zeros' });
    expect(result).toMatchObject(counts);
  });

  test.each([
    ['a hashtag body', '#london', 'body', () => v('london')],
    ['a hashtag body averaged with <hashtag>', '#london', 'mean-with-marker', () => v('london').map((x, d) => (x + v('<hashtag>')[d]) / 2)],
    ['a camel-case hashtag by its parts', '#NewYork', 'body', () => v('new').map((x, d) => (x + v('york')[d]) / 2)],
    ['an unknown hashtag by <hashtag>', '#qwerty', 'body', () => v('<hashtag>')],
    ['an elongation', 'wayyyy', 'body', () => v('way')],
    ['an elongation by its two-letter form', 'sooooon', 'body', () => v('soon')],
  ] as const)('maps %s', (_name, token, hashtag, expected) => {
    const result = buildEmbeddingMatrix(['<pad>', token], vectors, { hashtag, oov: 'zeros' });
    expect(row(result.matrix, 1)).toEqual(expected().map(Math.fround));
  });

  it('computes token coverage from counts and lists misses most frequent first', () => {
    const vocab = ['<pad>', 'london', 'aaa', 'bbb', 'paris'];
    const counts = new Map([['london', 5], ['aaa', 1], ['bbb', 3], ['paris', 1]]);
    const result = buildEmbeddingMatrix(vocab, vectors, { counts });
    expect(result.coverage).toEqual({ byType: 2 / 4, byToken: 6 / 10 });
    expect(result.missedWords).toEqual(['bbb', 'aaa']);
    expect(buildEmbeddingMatrix(vocab, vectors, { counts: [0, 5, 1, 3, 1] }).coverage.byToken).toBe(6 / 10);
    expect(buildEmbeddingMatrix(vocab, vectors, { counts: { london: 5, aaa: 1, bbb: 3, paris: 1 } }).coverage.byToken).toBe(6 / 10);
  });

  it('accepts a vocabulary object exposing tokens, itos or idToToken', () => {
    const list = ['<pad>', 'london'];
    const expected = buildEmbeddingMatrix(list, vectors).matrix;
    expect(buildEmbeddingMatrix({ tokens: list }, vectors).matrix).toEqual(expected);
    expect(buildEmbeddingMatrix({ itos: list }, vectors).matrix).toEqual(expected);
    expect(buildEmbeddingMatrix({ idToToken: list }, vectors).matrix).toEqual(expected);
  });

  it('draws missed rows from a seeded normal with the vectors’ mean and std', () => {
    const big = new WordVectors(
      ['a', 'b'],
      new Float32Array([1, 2, 3, 4, 5, 6]),
      3,
      report,
    );
    const vocab = ['<pad>', ...Array.from({ length: 4000 }, (_, i) => `oov${i}`)];
    const a = buildEmbeddingMatrix(vocab, big, { seed: 7 });
    const b = buildEmbeddingMatrix(vocab, big, { seed: 7 });
    const c = buildEmbeddingMatrix(vocab, big, { seed: 8 });
    expect(a.matrix).toEqual(b.matrix);
    expect(a.matrix).not.toEqual(c.matrix);
    const drawn = Array.from(a.matrix.subarray(3));
    const mean = drawn.reduce((s, x) => s + x, 0) / drawn.length;
    const std = Math.sqrt(drawn.reduce((s, x) => s + (x - mean) ** 2, 0) / drawn.length);
    // values 1..6: mean 3.5, population std sqrt(35/12); 12 000 draws put the sample within a few percent
    expect(mean).toBeCloseTo(3.5, 1);
    expect(std / Math.sqrt(35 / 12)).toBeCloseTo(1, 1);
    expect(row(a.matrix, 0)).toEqual([0, 0, 0]);
  });

  it('rejects an unknown lookup step', () => {
    expect(() => buildEmbeddingMatrix(['<pad>'], vectors, { lookup: ['stem' as never] })).toThrow(VectorOptionsError);
  });
});

describe('lookupKeys', () => {
  it('lists every key the matrix may look up, so a filtered load holds them all', () => {
    expect([...lookupKeys(['Paris', '@bob', '#NewYork', 'sooooon'])].sort()).toEqual(
      ['#NewYork', '#newyork', '<hashtag>', '<user>', '@bob', 'Paris', 'new', 'newyork', 'paris', 'son', 'soon', 'sooooon', 'york'].sort(),
    );
  });
});
