import * as tf from '@tensorflow/tfjs';
import { checkOptionKeys } from '../tokenize/errors';

/** Options of {@link clipGradsByGlobalNorm}. */
export interface ClipGradsOptions {
  /**
   * Dispose each input gradient as soon as its clipped value exists, so that the step holds one
   * gradient twice at a time instead of all of them (bert-base: 0.4 GB less at the peak). The
   * input map must not be used afterwards. Default false.
   */
  consume?: boolean;
}

/**
 * Scales gradients so that their global L2 norm is at most `maxNorm`, as
 * `torch.nn.utils.clip_grad_norm_`: coefficient min(1, maxNorm / (norm + 1e-6)).
 * Returns new tensors (the caller disposes both maps, or only the result with `consume`) and
 * the norm before clipping.
 */
export function clipGradsByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number, options: ClipGradsOptions = {}): { grads: tf.NamedTensorMap; norm: number } {
  checkOptionKeys(options, ['consume'], 'clipGradsByGlobalNorm');
  const names = Object.keys(grads);
  const norm = tf.tidy(() => {
    const squares = names.map((n) => tf.sum(tf.square(grads[n])));
    return squares.length === 0 ? 0 : Math.sqrt(tf.addN(squares).dataSync()[0]);
  });
  const coef = Math.min(1, maxNorm / (norm + 1e-6));
  const clipped: tf.NamedTensorMap = {};
  for (const n of names) {
    clipped[n] = coef === 1 ? tf.clone(grads[n]) : tf.mul(grads[n], coef);
    if (options.consume) grads[n].dispose();
  }
  return { grads: clipped, norm };
}
