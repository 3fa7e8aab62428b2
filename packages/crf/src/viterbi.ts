import * as tf from '@tensorflow/tfjs';
import { oneHotFloat, prepareInputs, type CrfOptions } from './validate';

/** Result of {@link crfDecode}. */
export interface CrfDecodeResult {
  /** [B, T] int32 best path, 0 past each row's length */
  tags: tf.Tensor2D;
  /** [B] float32 score of the best path (0 for an all-padding row) */
  scores: tf.Tensor1D;
}

/** Pick `x[b, idx[b]]` for int32 `x` [B, K] and `idx` [B], without gather. */
function pick(x: tf.Tensor2D, idx: tf.Tensor1D, K: number): tf.Tensor1D {
  // [B]
  return tf.sum(tf.mul(x, tf.cast(oneHotFloat(idx, K), 'int32')), 1) as tf.Tensor1D;
}

/**
 * Batched Viterbi: the highest-scoring path of every row (ties go to the lower tag index).
 *
 * @param emissions [B, T, K] float32
 * @param mask [B, T] 1 = real token, 0 = padding, right-padded; null = all ones
 * @param transitions [K, K]
 * @param opts start/end transitions `[K]`, constraints, penalty, validation
 * @returns `tags` [B, T] int32 (0 past each length) and `scores` [B]
 */
export function crfDecode(
  emissions: tf.Tensor,
  mask: tf.Tensor | null | undefined,
  transitions: tf.Tensor,
  opts: CrfOptions = {},
): CrfDecodeResult {
  return tf.tidy(() => {
    const p = prepareInputs('crfDecode', emissions, mask, transitions, opts);
    const { B, T, K } = p;
    // T × [B, K]
    const em = tf.unstack(p.emissions, 1) as tf.Tensor2D[];
    // T × [B, 1]
    const real = tf.unstack(tf.greater(tf.expandDims(p.mask, 2), 0), 1) as tf.Tensor2D[];
    // [1, K, K]: entry (0, j, i) = score of i → j (reduce along the innermost axis)
    const transT = tf.reshape(tf.transpose(p.transitions), [1, K, K]);
    // [B, K]: backpointer at a padded step = identity, so backtracking walks through padding
    const identity = tf.tile(tf.reshape(tf.range(0, K, 1, 'int32'), [1, K]), [B, 1]) as tf.Tensor2D;
    // [B, K]
    let delta: tf.Tensor2D = p.start === null ? em[0] : tf.add(em[0], p.start);
    const backpointers: tf.Tensor2D[] = [identity];
    for (let t = 1; t < T; t++) {
      // [B, K, K]: entry (b, j, i) = delta[b, i] + transitions[i, j]
      const paths = tf.add(tf.expandDims(delta, 1), transT);
      // [B, K]
      const next = tf.add(tf.max(paths, 2), em[t]);
      backpointers.push(tf.where(real[t], tf.cast(tf.argMax(paths, 2), 'int32'), identity) as tf.Tensor2D);
      delta = tf.where(real[t], next, delta) as tf.Tensor2D;
    }
    // [B, K]
    const final = p.end === null ? delta : tf.add(delta, p.end);
    // [B]
    const nonEmpty = tf.greater(tf.sum(p.mask, 1), 0);
    const scores = tf.where(nonEmpty, tf.max(final, 1), tf.zeros([B])) as tf.Tensor1D;
    // [B]: tag at each row's last real token
    let cur = tf.cast(tf.argMax(final, 1), 'int32') as tf.Tensor1D;
    // T × [B]
    const maskInt = tf.unstack(tf.cast(p.mask, 'int32'), 1) as tf.Tensor1D[];
    const out: tf.Tensor1D[] = new Array(T);
    for (let t = T - 1; t >= 0; t--) {
      out[t] = tf.mul(cur, maskInt[t]);
      if (t > 0) cur = pick(backpointers[t], cur, K);
    }
    // [B, T]
    const tags = tf.stack(out, 1) as tf.Tensor2D;
    return { tags, scores };
  });
}
