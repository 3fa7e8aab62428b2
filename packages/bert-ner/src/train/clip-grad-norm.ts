import * as tf from '@tensorflow/tfjs';

/**
 * Scales gradients so that their global L2 norm is at most `maxNorm`, as
 * `torch.nn.utils.clip_grad_norm_`: coefficient min(1, maxNorm / (norm + 1e-6)).
 * Returns new tensors (the caller disposes both maps) and the norm before clipping.
 */
export function clipGradsByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): { grads: tf.NamedTensorMap; norm: number } {
  const names = Object.keys(grads);
  const norm = tf.tidy(() => {
    const squares = names.map((n) => tf.sum(tf.square(grads[n])));
    return squares.length === 0 ? 0 : Math.sqrt(tf.addN(squares).dataSync()[0]);
  });
  const coef = Math.min(1, maxNorm / (norm + 1e-6));
  const clipped: tf.NamedTensorMap = {};
  for (const n of names) clipped[n] = coef === 1 ? tf.clone(grads[n]) : tf.mul(grads[n], coef);
  return { grads: clipped, norm };
}
