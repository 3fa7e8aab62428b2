import * as tf from '@tensorflow/tfjs';

/**
 * LayerNorm over the last axis, as PyTorch: (x − mean) / √(var + eps) · γ + β with the biased variance.
 * One differentiable op that keeps only the normalised input x̂ and 1/σ for its backward pass
 * (the op-by-op tape kept six tensors of x's size):
 *
 *   dβ = Σ dy;  dγ = Σ dy ⊙ x̂;  dx = (1/σ) · (g − mean(g) − x̂ · mean(g ⊙ x̂)),  g = dy ⊙ γ
 *
 * with the sums over every leading position and the means over the last axis.
 * @param x [..., H]
 * @param gamma [H]
 * @param beta [H]
 */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, g, b, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    // [..., 1]
    const mean = tf.mean(input, -1, true);
    // [..., H]
    const centred = tf.sub(input, mean);
    // [..., 1]
    const variance = tf.mean(tf.square(centred), -1, true);
    const inverseStd = tf.rsqrt(tf.add(variance, eps));
    const normed = tf.mul(centred, inverseStd);
    save([normed, inverseStd, g]);
    return {
      value: tf.add(tf.mul(normed, g), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xHat, rstd, gam] = saved;
        return tf.tidy(() => {
          const hidden = xHat.shape[xHat.rank - 1];
          // [N, H] views over all leading positions
          const dy2 = tf.reshape(dy, [-1, hidden]);
          const xHat2 = tf.reshape(xHat, [-1, hidden]);
          const dBeta = tf.sum(dy2, 0);
          const dGamma = tf.sum(tf.mul(dy2, xHat2), 0);
          const scaled = tf.mul(dy, gam);
          const dx = tf.mul(rstd, tf.sub(tf.sub(scaled, tf.mean(scaled, -1, true)), tf.mul(xHat, tf.mean(tf.mul(scaled, xHat), -1, true))));
          return [dx, dGamma, dBeta];
        });
      },
    };
  }) as (x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor;
  return op(x, gamma, beta);
}
