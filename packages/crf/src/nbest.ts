import * as tf from '@tensorflow/tfjs';
import { CRFDecoder } from './decoder';
import { ValueError } from './errors';
import { prepareInputs, type CrfOptions } from './validate';

/** Result of {@link crfNBest}. */
export interface CrfNBestResult {
  /** [B, n, T] int32: the n best paths of each row, best first, 0 past each length */
  tags: tf.Tensor3D;
  /** [B, n] float32 path scores, best first; `-Infinity` where fewer than n paths exist */
  scores: tf.Tensor2D;
}

/**
 * The n highest-scoring paths of every row (list Viterbi, run on the host: the inputs are read
 * back with `dataSync`). With `n = 1` it gives `crfDecode`'s path.
 *
 * @param emissions [B, T, K] float32
 * @param mask [B, T] 1 = real token, 0 = padding, right-padded; null = all ones
 * @param transitions [K, K]
 * @param n number of paths per row, ≥ 1
 * @param opts start/end transitions `[K]`, constraints, penalty, validation
 */
export function crfNBest(
  emissions: tf.Tensor,
  mask: tf.Tensor | null | undefined,
  transitions: tf.Tensor,
  n: number,
  opts: CrfOptions = {},
): CrfNBestResult {
  if (!Number.isInteger(n) || n < 1) throw new ValueError('crfNBest', 'n', `must be a positive integer, got ${n}`);
  const host = tf.tidy(() => {
    const p = prepareInputs('crfNBest', emissions, mask, transitions, opts);
    return {
      B: p.B,
      T: p.T,
      K: p.K,
      em: p.emissions.dataSync() as Float32Array,
      lengths: tf.sum(p.mask, 1).dataSync(),
      transitions: p.transitions.dataSync() as Float32Array,
      start: p.start === null ? undefined : (p.start.dataSync() as Float32Array),
      end: p.end === null ? undefined : (p.end.dataSync() as Float32Array),
    };
  });
  const { B, T, K } = host;
  const decoder = new CRFDecoder({ transitions: host.transitions, startTransitions: host.start, endTransitions: host.end }, K);
  const tags = new Int32Array(B * n * T);
  const scores = new Float32Array(B * n);
  for (let b = 0; b < B; b++) {
    const best = decoder.nBest(host.em, n, host.lengths[b], b * T * K);
    best.forEach(({ path, score }, r) => {
      tags.set(path, (b * n + r) * T);
      scores[b * n + r] = score;
    });
  }
  return { tags: tf.tensor3d(tags, [B, n, T], 'int32'), scores: tf.tensor2d(scores, [B, n], 'float32') };
}
