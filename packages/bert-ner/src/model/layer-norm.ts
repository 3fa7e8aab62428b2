import * as tf from '@tensorflow/tfjs';

/**
 * LayerNorm over the last axis, as PyTorch: (x − mean) / √(var + eps) · γ + β with the biased variance.
 * @param x [..., H]
 * @param gamma [H]
 * @param beta [H]
 */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor {
  return tf.tidy(() => {
    // [..., 1]
    const mean = tf.mean(x, -1, true);
    // [..., H]
    const centred = tf.sub(x, mean);
    // [..., 1]
    const variance = tf.mean(tf.square(centred), -1, true);
    const normed = tf.mul(centred, tf.rsqrt(tf.add(variance, eps)));
    return tf.add(tf.mul(normed, gamma), beta);
  });
}
