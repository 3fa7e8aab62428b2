import * as tf from '@tensorflow/tfjs';

/**
 * y = x·W + b for x [N, I], with a gradient of plain, untransposed matrix products:
 * dx = dy·Wᵀ and dW = xᵀ·dy with Wᵀ and xᵀ formed by `tf.transpose` first. tfjs' own gradient of
 * a matmul multiplies with transpose flags, which the wasm backend runs outside its fast
 * (XNNPACK) path: 4–30× slower than the transposes plus a plain product. Only x and W are kept
 * for the backward pass.
 */
const affine = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, weight, bias, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, weight]);
  return {
    // [N, O]
    value: tf.fused.matMul({ a: x, b: weight, bias }),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, w] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dy2 = dy as tf.Tensor2D;
      // [N, I], [I, O], [O]; in a scope: tfjs keeps what a custom gradient leaves behind until
      // the whole backward pass ends
      return tf.tidy(() => [tf.matMul(dy2, tf.transpose(w)), tf.matMul(tf.transpose(xs), dy2), tf.sum(dy2, 0)]);
    },
  };
}) as (x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D) => tf.Tensor2D;

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
    const y = affine(flat, weight, bias);
    return tf.reshape(y, [...x.shape.slice(0, -1), outDim]);
  });
}
