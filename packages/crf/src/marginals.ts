import * as tf from '@tensorflow/tfjs';
import { backwardBetas, forwardAlphas, rawLogNorm } from './forward';
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
    const { B } = p;
    const alphas = forwardAlphas(p);
    // [B]
    const logZ = rawLogNorm(p, alphas);
    const betas = backwardBetas(p);
    // [B, T, K]
    const logPosterior = tf.sub(tf.add(tf.stack(alphas, 1), tf.stack(betas, 1)), tf.reshape(logZ, [B, 1, 1]));
    return tf.mul(tf.exp(logPosterior), tf.expandDims(p.mask, 2)) as tf.Tensor3D;
  });
}
