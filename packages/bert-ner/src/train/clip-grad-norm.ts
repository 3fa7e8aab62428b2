import * as tf from '@tensorflow/tfjs';
import { checkOptionKeys } from '../tokenize/errors';
import { wasmHeapView } from './owned-heap-view';

/** Options of {@link clipGradsByGlobalNorm}. */
export interface ClipGradsOptions {
  /**
   * Dispose each input gradient as soon as its clipped value exists, so that the step holds one
   * gradient twice at a time instead of all of them (bert-base: 0.4 GB less at the peak). On the
   * wasm backend a gradient that alone owns its memory is scaled in place instead and comes back
   * as its own clipped value (no copy at all). The input map must not be used afterwards; dispose
   * the result's tensors. Default false.
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
  // Each gradient's square lives only in its own scope: one tidy around them all held a squared
  // copy of every gradient at once (bert-base: 0.4 GB at the step's peak).
  const sums = names.map((n) => tf.tidy(() => tf.sum(tf.square(grads[n]))));
  const norm = sums.length === 0 ? 0 : tf.tidy(() => Math.sqrt(tf.addN(sums).dataSync()[0]));
  tf.dispose(sums);
  const coef = Math.min(1, maxNorm / (norm + 1e-6));
  const clipped: tf.NamedTensorMap = {};
  const scale = Math.fround(coef);
  // With consume, a tensor given under several names is clipped once and its value shared (it is
  // disposed, or scaled in place, after the first); without, each name gets a tensor of its own.
  const done = new Map<tf.Tensor, tf.Tensor>();
  for (const n of names) {
    const given = grads[n];
    const again = options.consume ? done.get(given) : undefined;
    if (again) {
      clipped[n] = again;
      continue;
    }
    // With consume, a gradient no one else shares is scaled in place on the wasm backend (the
    // same bits as tf.mul, without a second copy of it) and returned as the clipped value.
    const own = options.consume && coef !== 1 ? wasmHeapView(given, { owned: true }) : null;
    if (own) {
      for (let i = 0; i < own.length; i++) own[i] = Math.fround(own[i] * scale);
      clipped[n] = given;
    } else {
      clipped[n] = coef === 1 ? tf.clone(given) : tf.mul(given, coef);
      if (options.consume) given.dispose();
    }
    done.set(given, clipped[n]);
  }
  return { grads: clipped, norm };
}
