import * as tf from '@tensorflow/tfjs';

// Forward and backward halves shared by the fused transformer blocks. Every function takes and
// returns plain tensors; the blocks call them inside `tf.customGrad`, so nothing here is taped.

/** LayerNorm's forward over the last axis, keeping what its backward needs. */
export function layerNormForward(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): { y: tf.Tensor2D; xHat: tf.Tensor2D; inverseStd: tf.Tensor2D } {
  // [N, 1]
  const mean = tf.mean(x, -1, true);
  const centred = tf.sub(x, mean);
  const inverseStd = tf.rsqrt(tf.add(tf.mean(tf.square(centred), -1, true), eps)) as tf.Tensor2D;
  // [N, H]
  const xHat = tf.mul(centred, inverseStd) as tf.Tensor2D;
  return { y: tf.add(tf.mul(xHat, gamma), beta) as tf.Tensor2D, xHat, inverseStd };
}

/**
 * LayerNorm's backward: dβ = Σ dy, dγ = Σ dy ⊙ x̂, dx = (1/σ)(g − mean(g) − x̂ · mean(g ⊙ x̂)), g = dy ⊙ γ.
 * @param dy [N, H]
 */
export function layerNormBackward(dy: tf.Tensor2D, xHat: tf.Tensor2D, inverseStd: tf.Tensor2D, gamma: tf.Tensor1D): { dx: tf.Tensor2D; dGamma: tf.Tensor1D; dBeta: tf.Tensor1D } {
  const g = tf.mul(dy, gamma);
  const dx = tf.mul(inverseStd, tf.sub(tf.sub(g, tf.mean(g, -1, true)), tf.mul(xHat, tf.mean(tf.mul(g, xHat), -1, true)))) as tf.Tensor2D;
  return { dx, dGamma: tf.sum(tf.mul(dy, xHat), 0), dBeta: tf.sum(dy, 0) };
}

/**
 * The gradients of y = x·W + b from dy, as untransposed products: tfjs' matmul gradient uses
 * transpose flags, which the wasm backend runs far off its fast (XNNPACK) path.
 * @returns dx [N, I], dW [I, O], db [O]
 */
export function linearBackward(dy: tf.Tensor2D, x: tf.Tensor2D, weight: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D] {
  return [tf.matMul(dy, tf.transpose(weight)), tf.matMul(tf.transpose(x), dy), tf.sum(dy, 0)];
}

/**
 * Frees the activations a block kept for its backward pass once that pass has used them. tfjs
 * frees kept tensors only when the whole backward pass ends, so every layer's activations would
 * stay until then; freeing them here lowers the peak by all layers' activations but one. (A
 * kept tensor is the engine's own reference, disposed again — a no-op — at the end.) Weights
 * and other tensors in `keep` stay.
 */
export function releaseSaved(saved: tf.Tensor[], keep: tf.Tensor[]): void {
  for (const t of saved) if (!keep.includes(t)) t.dispose();
}
