import * as tf from '@tensorflow/tfjs';
import { logNorm } from './forward';
import { sequenceScore } from './score';
import { prepareInputs, type CrfOptions } from './validate';
import { ValueError } from './errors';

/**
 * Log-likelihood of the gold paths: `crfSequenceScore − crfLogNorm` (≤ 0). An all-padding row gives 0.
 *
 * @param emissions [B, T, K] float32
 * @param tags [B, T] int32
 * @param mask [B, T] 1 = real token, 0 = padding, right-padded; null = all ones
 * @param transitions [K, K]
 * @returns [B] float32
 */
export function crfLogLikelihood(
  emissions: tf.Tensor,
  tags: tf.Tensor,
  mask: tf.Tensor | null | undefined,
  transitions: tf.Tensor,
  opts: CrfOptions = {},
): tf.Tensor1D {
  return tf.tidy(() => {
    const p = prepareInputs('crfLogLikelihood', emissions, mask, transitions, opts, tags);
    // [B]
    return tf.sub(sequenceScore(p, tags), logNorm(p));
  });
}

/** How {@link crfNegLogLikelihood} reduces the per-sequence losses. */
export type CrfReduction = 'mean' | 'sum' | 'none' | 'tokenMean';

export interface CrfLossOptions extends CrfOptions {
  /**
   * `mean` (default): mean over sequences; `sum`; `none`: `[B]`; `tokenMean`: sum divided by
   * the number of real tokens.
   */
  reduction?: CrfReduction;
}

/**
 * The training loss, a value to minimise: the negative log-likelihood of the gold paths,
 * averaged over the batch by default. Differentiable w.r.t. emissions, transitions and
 * start/end transitions.
 *
 * @param emissions [B, T, K] float32
 * @param tags [B, T] int32
 * @param mask [B, T] 1 = real token, 0 = padding, right-padded; null = all ones
 * @param transitions [K, K]
 * @returns a scalar, or `[B]` with `reduction: 'none'`
 */
export function crfNegLogLikelihood(
  emissions: tf.Tensor,
  tags: tf.Tensor,
  mask: tf.Tensor | null | undefined,
  transitions: tf.Tensor,
  opts: CrfLossOptions = {},
): tf.Tensor {
  const reduction = opts.reduction ?? 'mean';
  if (!['mean', 'sum', 'none', 'tokenMean'].includes(reduction)) {
    throw new ValueError('crfNegLogLikelihood', 'reduction', `must be mean, sum, none or tokenMean, got ${String(reduction)}`);
  }
  return tf.tidy(() => {
    const p = prepareInputs('crfNegLogLikelihood', emissions, mask, transitions, opts, tags);
    // [B]
    const nll = tf.sub(logNorm(p), sequenceScore(p, tags));
    switch (reduction) {
      case 'none':
        return nll;
      case 'sum':
        return tf.sum(nll);
      case 'tokenMean':
        return tf.div(tf.sum(nll), tf.maximum(tf.sum(p.mask), 1));
      default:
        return tf.mean(nll);
    }
  });
}
