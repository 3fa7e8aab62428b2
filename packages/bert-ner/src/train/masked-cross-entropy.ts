import * as tf from '@tensorflow/tfjs';

/** Label id that marks positions the loss ignores (PyTorch's `ignore_index`, HF's convention). */
export const IGNORE_INDEX = -100;

/**
 * Mean cross-entropy over the positions whose label is not -100, as PyTorch's
 * `CrossEntropyLoss(ignore_index=-100)` (0 when no position is labelled).
 * @param logits [B, T, K]
 * @param labels [B, T] int32, -100 where ignored
 * @returns scalar loss to minimise
 */
export function maskedCrossEntropy(logits: tf.Tensor3D, labels: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const numClasses = logits.shape[2];
    const labelsInt = tf.cast(labels, 'int32');
    // [B, T]: 1 where the position counts
    const mask = tf.cast(tf.notEqual(labelsInt, IGNORE_INDEX), 'float32');
    // [B, T, K]: one-hot of the label (all zero where ignored); built with equal() because
    // tf.oneHot refuses depth 1
    const target = tf.cast(tf.equal(tf.expandDims(labelsInt, -1), tf.range(0, numClasses, 1, 'int32')), 'float32');
    // [B, T]
    const nll = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits, -1), target), -1));
    const count = tf.maximum(tf.sum(mask), 1);
    return tf.div(tf.sum(tf.mul(nll, mask)), count) as tf.Scalar;
  });
}
