import * as tf from '@tensorflow/tfjs';
import type { HiddenAct } from '../config';
import { activation, activationBackward } from './activations';
import { layerNormBackward, layerNormForward, linearBackward, releaseSaved } from './block-parts';
import { dropoutMask } from './dropout';

/** Weights of {@link feedForwardBlock}. */
export interface FeedForwardWeights {
  /** [H, I] and [I] */
  inner: tf.Tensor2D;
  innerBias: tf.Tensor1D;
  /** [I, H] and [H] */
  outer: tf.Tensor2D;
  outerBias: tf.Tensor1D;
  /** LayerNorm [H] */
  gamma: tf.Tensor1D;
  beta: tf.Tensor1D;
}

/**
 * The second half of a BERT layer as one differentiable op:
 *
 *   y = LayerNorm(dropout(act(x·W₁ + b₁)·W₂ + b₂) + x)
 *
 * with a hand-written backward pass. On the op-by-op tape, tfjs keeps every intermediate and
 * every intermediate's gradient until the whole backward pass ends (~0.2 GB per bert-base layer
 * at 768 tokens); here the block keeps x, x·W₁ + b₁ (its activation is computed again in the
 * backward pass), the dropout mask, x̂ and 1/σ, and frees its own temporaries as it goes.
 * @param x [N, H]
 * @returns [N, H]
 */
export function feedForwardBlock(
  x: tf.Tensor2D,
  w: FeedForwardWeights,
  act: HiddenAct,
  eps: number,
  dropoutRate: number,
  training: boolean,
): tf.Tensor2D {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, inner, innerBias, outer, outerBias, gamma, beta, save] = args as [
      tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc,
    ];
    // [N, I]
    const pre = tf.fused.matMul({ a: input, b: inner, bias: innerBias });
    const activated = activation(act)(pre) as tf.Tensor2D;
    // [N, H]
    const out = tf.fused.matMul({ a: activated, b: outer, bias: outerBias });
    const mask = dropoutMask(out.shape, dropoutRate, training);
    const ln = layerNormForward(tf.add(mask ? tf.mul(out, mask) : out, input) as tf.Tensor2D, gamma, beta, eps);
    save([input, pre, inner, outer, gamma, ln.xHat, ln.inverseStd, ...(mask ? [mask] : [])]);
    return {
      value: ln.y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        // a scope: tfjs keeps what a custom gradient leaves behind until the backward pass ends
        tf.tidy(() => {
          const [xs, preS, innerS, outerS, gammaS, xHat, inverseStd, maskS] = saved as tf.Tensor2D[];
          // the activation again rather than kept: one [N, I] tensor less per layer while training
          const actS = activation(act)(preS) as tf.Tensor2D;
          const norm = layerNormBackward(dy as tf.Tensor2D, xHat, inverseStd, gammaS as unknown as tf.Tensor1D);
          const dOut = maskS ? (tf.mul(norm.dx, maskS) as tf.Tensor2D) : norm.dx;
          const [dAct, dOuter, dOuterBias] = linearBackward(dOut, actS, outerS);
          const dPre = activationBackward(act, preS, dAct) as tf.Tensor2D;
          const [dInput, dInner, dInnerBias] = linearBackward(dPre, xs, innerS);
          const grads = [tf.add(dInput, norm.dx), dInner, dInnerBias, dOuter, dOuterBias, norm.dGamma, norm.dBeta];
          releaseSaved(saved, [innerS, outerS, gammaS]);
          return grads;
        }),
    };
  }) as (...inputs: tf.Tensor[]) => tf.Tensor2D;
  return op(x, w.inner, w.innerBias, w.outer, w.outerBias, w.gamma, w.beta);
}
