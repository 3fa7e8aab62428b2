import * as tf from '@tensorflow/tfjs';

/**
 * y = x·W + b over the last axis.
 * @param x [..., I]
 * @param weight [I, O] (tfjs layout: PyTorch's `[O, I]` transposed)
 * @param bias [O]
 * @returns [..., O]
 */
export function linear(x: tf.Tensor, weight: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor {
  return tf.tidy(() => {
    const [inDim, outDim] = weight.shape;
    // [N, I] with N the product of the leading axes
    const flat = tf.reshape(x, [-1, inDim]) as tf.Tensor2D;
    // [N, O]
    const y = tf.fused.matMul({ a: flat, b: weight, bias });
    return tf.reshape(y, [...x.shape.slice(0, -1), outDim]);
  });
}
