import { nearestNeighbours, VectorOptionsError, WordVectors, type LoadReport } from '../src';

function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296) - 0.5;
}

describe('nearestNeighbours', () => {
  const rand = seeded(3);
  const words = Array.from({ length: 300 }, (_, i) => `w${i}`);
  const vectors = new WordVectors(words, new Float32Array(300 * 8).map(() => rand()), 8, {} as LoadReport);

  it('matches a brute-force cosine ranking, without the query word', () => {
    const q = Array.from(vectors.get('w5') ?? []);
    const cos = (a: number[], b: number[]): number => {
      const dot = a.reduce((s, x, i) => s + x * b[i], 0);
      return dot / Math.hypot(...a) / Math.hypot(...b);
    };
    const brute = words
      .filter((w) => w !== 'w5')
      .map((w) => ({ word: w, similarity: cos(q, Array.from(vectors.get(w) ?? [])) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, 10);
    const found = nearestNeighbours(vectors, 'w5', 10);
    expect(found.map((n) => n.word)).toEqual(brute.map((n) => n.word));
    found.forEach((n, i) => expect(n.similarity).toBeCloseTo(brute[i].similarity, 5));
  });

  it('accepts a vector as query and returns [] for an unknown word', () => {
    expect(nearestNeighbours(vectors, vectors.get('w7') as Float32Array, 1)[0]).toMatchObject({ word: 'w7' });
    expect(nearestNeighbours(vectors, 'nope', 3)).toEqual([]);
    expect(nearestNeighbours(vectors, 'w1', 0)).toEqual([]);
  });

  it('rejects a query vector of the wrong dimension and data of the wrong length', () => {
    expect(() => nearestNeighbours(vectors, new Float32Array(3), 1)).toThrow(VectorOptionsError);
    expect(() => new WordVectors(['a', 'b'], new Float32Array(3), 2, {} as LoadReport)).toThrow(
      'WordVectors: data must hold words × dim floats: expected 2 × 2 = 4, received 3',
    );
  });
});
