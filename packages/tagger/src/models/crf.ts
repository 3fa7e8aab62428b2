import * as tf from '@tensorflow/tfjs';
import { allowedTransitions, CRFDecoder, crfNegLogLikelihood, type TransitionConstraints } from '@twner/crf';

/**
 * The CRF on top of the emission network: trainable transition, start and end scores
 * (pytorch-crf style), the loss and Viterbi decoding from `@twner/crf`.
 * Shapes: B batch, T time, K tags.
 */
export interface CrfParams {
  /** [K, K]: score of tag i followed by tag j. */
  transitions: tf.Variable;
  /** [K]: score of starting with a tag. */
  start: tf.Variable;
  /** [K]: score of ending with a tag. */
  end: tf.Variable;
}

/** IOB2 constraints (`I-x` only after `B-x` or `I-x`, never first), or none. */
export function iob2Constraints(labels: readonly string[]): TransitionConstraints {
  return allowedTransitions(labels, 'IOB2');
}

export function createCrfParams(numTags: number, seed: number): CrfParams {
  return {
    transitions: tf.variable(tf.randomUniform([numTags, numTags], -0.1, 0.1, 'float32', seed), true),
    start: tf.variable(tf.zeros([numTags]), true),
    end: tf.variable(tf.zeros([numTags]), true),
  };
}

/**
 * Mean negative log-likelihood of the gold tags (the value to minimise).
 * @param emissions [B, T, K]
 * @param tags [B, T] int32 gold tag ids
 * @param mask [B, T] float32, 1 on real tokens, right-padded
 */
export function crfNll(
  emissions: tf.Tensor3D,
  tags: tf.Tensor2D,
  mask: tf.Tensor2D,
  crf: CrfParams,
  constraints?: TransitionConstraints,
): tf.Scalar {
  return crfNegLogLikelihood(emissions, tags, mask, crf.transitions, {
    startTransitions: crf.start,
    endTransitions: crf.end,
    constraints,
    validate: false,
    reduction: 'mean',
  }) as tf.Scalar;
}

/** CRF parameters from plain arrays (`crf.json`), as non-trainable variables. */
export function crfParamsFromArrays(saved: { transitions: number[][]; start: number[]; end: number[] }): CrfParams {
  // tf.variable keeps its own reference to the data: the source tensors are disposed by tidy.
  return tf.tidy(() => ({
    transitions: tf.variable(tf.tensor2d(saved.transitions), false),
    start: tf.variable(tf.tensor1d(saved.start), false),
    end: tf.variable(tf.tensor1d(saved.end), false),
  }));
}

/** A plain-TS Viterbi decoder over the current CRF scores. */
export function crfDecoder(crf: CrfParams, constraints?: TransitionConstraints): CRFDecoder {
  return new CRFDecoder({
    transitions: crf.transitions.dataSync(),
    startTransitions: crf.start.dataSync(),
    endTransitions: crf.end.dataSync(),
    constraints,
  }, crf.start.shape[0]);
}
