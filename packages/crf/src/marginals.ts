import * as tf from '@tensorflow/tfjs';
import { forwardAlphas, rawLogNorm } from './forward';
import { prepareInputs, type CrfOptions } from './validate';

/**
 * Posterior probability of every tag at every token (forward-backward): entry (b, t, k) =
 * P(tag_t = k | row b). Rows sum to 1 at real tokens and are 0 at padding. Differentiable.
 *
 * @param emissions [B, T, K] float32
 * @param mask [B, T] 1 = real token, 0 = padding, right-padded; null = all ones
 * @param transitions [K, K]
 * @param opts start/end transitions `[K]`, constraints, penalty, validation
 * @returns [B, T, K] float32
 */
export function crfMarginals(
  emissions: tf.Tensor,
  mask: tf.Tensor | null | undefined,
  transitions: tf.Tensor,
  opts: CrfOptions = {},
): tf.Tensor3D {
  return tf.tidy(() => {
    const p = prepareInputs('crfMarginals', emissions, mask, transitions, opts);
    const { B, T, K } = p;
    const alphas = forwardAlphas(p);
    // [B]
    const logZ = rawLogNorm(p, alphas);
    // T × [B, K]
    const em = tf.unstack(p.emissions, 1) as tf.Tensor2D[];
    // T × [B, 1]
    const real = tf.unstack(tf.greater(tf.expandDims(p.mask, 2), 0), 1) as tf.Tensor2D[];
    // [1, K, K]
    const trans = tf.reshape(p.transitions, [1, K, K]);
    // [B, K]: beta[b, i] = log of the summed scores of all suffixes after tag i
    let beta: tf.Tensor2D = p.end === null ? tf.zeros([B, K]) : tf.tile(tf.reshape(p.end, [1, K]), [B, 1]);
    const betas: tf.Tensor2D[] = new Array(T);
    betas[T - 1] = beta;
    for (let t = T - 2; t >= 0; t--) {
      // [B, 1, K]
      const ahead = tf.expandDims(tf.add(em[t + 1], beta), 1);
      // [B, K]: logsumexp over j of transitions[i, j] + em[t+1, j] + beta[t+1, j]
      const next = tf.logSumExp(tf.add(trans, ahead), 2) as tf.Tensor2D;
      beta = tf.where(real[t + 1], next, beta);
      betas[t] = beta;
    }
    // [B, T, K]
    const logPosterior = tf.sub(tf.add(tf.stack(alphas, 1), tf.stack(betas, 1)), tf.reshape(logZ, [B, 1, 1]));
    return tf.mul(tf.exp(logPosterior), tf.expandDims(p.mask, 2)) as tf.Tensor3D;
  });
}
