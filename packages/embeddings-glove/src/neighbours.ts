import { VectorOptionsError } from './errors';
import type { WordVectors } from './word-vectors';

export interface Neighbour {
  word: string;
  /** Cosine similarity in [-1, 1]. */
  similarity: number;
}

const norms = new WeakMap<WordVectors, Float32Array>();

function rowNorms(vectors: WordVectors): Float32Array {
  let n = norms.get(vectors);
  if (n === undefined) {
    const { data, dim, size } = vectors;
    n = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      let s = 0;
      for (let d = i * dim, end = d + dim; d < end; d++) s += data[d] * data[d];
      n[i] = Math.sqrt(s);
    }
    norms.set(vectors, n);
  }
  return n;
}

/**
 * The `k` words most similar to `query` by cosine similarity, most similar first; the query word itself is left out.
 * A linear scan (size × dim), meant for sanity checks and examples.
 *
 * @example
 * nearestNeighbours(vectors, 'paris', 3); // [{ word: 'london', similarity: 0.81 }, …]
 */
export function nearestNeighbours(vectors: WordVectors, query: string | Float32Array, k: number): Neighbour[] {
  if (!Number.isInteger(k) || k < 0) throw new VectorOptionsError(`nearestNeighbours: k must be an integer ≥ 0, received ${k}`);
  const self = typeof query === 'string' ? vectors.indexOf(query) : -1;
  const q = typeof query === 'string' ? vectors.get(query) : query;
  if (q === undefined) return [];
  if (q.length !== vectors.dim) {
    throw new VectorOptionsError(`nearestNeighbours: query has ${q.length} dimensions, expected ${vectors.dim}`);
  }
  let qn = 0;
  for (let d = 0; d < q.length; d++) qn += q[d] * q[d];
  qn = Math.sqrt(qn);
  const n = rowNorms(vectors);
  const { data, dim, size } = vectors;
  const words = vectors.words();
  // Kept sorted by similarity, descending; k is small, so insertion is cheap.
  const best: Neighbour[] = [];
  for (let i = 0; i < size; i++) {
    if (i === self) continue;
    let dot = 0;
    for (let d = 0, src = i * dim; d < dim; d++) dot += q[d] * data[src + d];
    const denominator = qn * n[i];
    const similarity = denominator === 0 ? 0 : dot / denominator;
    if (best.length === k && (k === 0 || similarity <= best[k - 1].similarity)) continue;
    let at = best.length;
    while (at > 0 && best[at - 1].similarity < similarity) at--;
    best.splice(at, 0, { word: words[i], similarity });
    if (best.length > k) best.pop();
  }
  return best;
}
