import * as tf from '@tensorflow/tfjs';
import { prepareInputs, type CrfOptions, type Prepared } from './validate';

/**
 * Forward variables of every step, in log space, with padding carried: `alphas[t][b, j]` = log of
 * the summed scores of all prefixes of row b ending in tag j at its last real token ≤ t.
 * Call inside `tf.tidy`.
 *
 * @returns T tensors of shape [B, K]
 */
export function forwardAlphas(p: Prepared): tf.Tensor2D[] {
  const { K } = p;
  // T × [B, K]
  const em = tf.unstack(p.emissions, 1) as tf.Tensor2D[];
  // T × [B, 1]: whether token t is real
  const real = tf.unstack(tf.greater(tf.expandDims(p.mask, 2), 0), 1) as tf.Tensor2D[];
  // [1, K, K]: entry (0, j, i) = score of i → j (transposed, so that the reduction over the
  // previous tag i runs along the innermost axis: much faster on the cpu backend)
  const transT = tf.reshape(tf.transpose(p.transitions), [1, K, K]);
  // [B, K]
  let alpha: tf.Tensor2D = p.start === null ? em[0] : tf.add(em[0], p.start);
  const alphas = [alpha];
  for (let t = 1; t < em.length; t++) {
    // [B, K, K]: entry (b, j, i) = alpha[b, i] + transitions[i, j]
    const paths = tf.add(tf.expandDims(alpha, 1), transT);
    // [B, K]
    const next = tf.add(tf.logSumExp(paths, 2), em[t]);
    // [B, K]: padding keeps the previous alpha
    alpha = tf.where(real[t], next, alpha) as tf.Tensor2D;
    alphas.push(alpha);
  }
  return alphas;
}

/** log Z per row from prepared inputs, not yet zeroed for empty rows: `[B]`. */
export function rawLogNorm(p: Prepared, alphas: tf.Tensor2D[]): tf.Tensor1D {
  const last = alphas[alphas.length - 1];
  // [B]
  return tf.logSumExp(p.end === null ? last : tf.add(last, p.end), 1) as tf.Tensor1D;
}

/** log Z with empty rows set to 0: `[B]`. Call inside `tf.tidy`. */
export function logNorm(p: Prepared): tf.Tensor1D {
  // [B]
  const nonEmpty = tf.greater(tf.sum(p.mask, 1), 0);
  return tf.where(nonEmpty, rawLogNorm(p, forwardAlphas(p)), tf.zeros([p.B], 'float32'));
}

/**
 * Log partition function: log of the summed exponentiated scores of every path (forward
 * algorithm in log space; stable for large emissions). An all-padding row gives 0.
 *
 * @param emissions [B, T, K] float32
 * @param mask [B, T] 1 = real token, 0 = padding, right-padded; null = all ones
 * @param transitions [K, K]
 * @param opts start/end transitions `[K]`, constraints, penalty, validation
 * @returns [B] float32
 */
export function crfLogNorm(
  emissions: tf.Tensor,
  mask: tf.Tensor | null | undefined,
  transitions: tf.Tensor,
  opts: CrfOptions = {},
): tf.Tensor1D {
  return tf.tidy(() => logNorm(prepareInputs('crfLogNorm', emissions, mask, transitions, opts)));
}
