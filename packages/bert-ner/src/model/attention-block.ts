import * as tf from '@tensorflow/tfjs';
import { mergedAttentionBackward, mergedAttentionForward } from './attention-core';
import { layerNormBackward, layerNormForward, linearBackward, releaseSaved } from './block-parts';
import { dropoutMask } from './dropout';

/** Weights of {@link attentionBlock}: linear weights [H, H], biases and LayerNorm [H]. */
export interface AttentionWeights {
  query: tf.Tensor2D;
  queryBias: tf.Tensor1D;
  key: tf.Tensor2D;
  keyBias: tf.Tensor1D;
  value: tf.Tensor2D;
  valueBias: tf.Tensor1D;
  output: tf.Tensor2D;
  outputBias: tf.Tensor1D;
  gamma: tf.Tensor1D;
  beta: tf.Tensor1D;
}

/** Options of {@link attentionBlock}. */
export interface AttentionBlockOptions {
  heads: number;
  eps: number;
  attentionDropout: number;
  hiddenDropout: number;
  training: boolean;
}

/**
 * The first half of a BERT layer (`BertAttention`) as one differentiable op:
 *
 *   Q, K, V = x·W_q + b_q, …;  C = softmax(Q·Kᵀ/√D + bias)·V per head;  y = LayerNorm(dropout(C·W_o + b_o) + x)
 *
 * with a hand-written backward pass that keeps x, the heads' Q, K, V, the attention probabilities
 * (and dropout masks), the merged context, x̂ and 1/σ — instead of every intermediate and its
 * gradient, which tfjs' tape keeps until the backward pass ends.
 * @param hidden [B, T, H]
 * @param bias [B, 1, 1, T] additive attention mask
 * @returns [B, T, H]
 */
export function attentionBlock(hidden: tf.Tensor3D, bias: tf.Tensor4D, w: AttentionWeights, options: AttentionBlockOptions): tf.Tensor3D {
  const [batch, seqLen, size] = hidden.shape;
  const scale = 1 / Math.sqrt(size / options.heads);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [x3, wq, bq, wk, bk, wv, bv, wo, bo, gamma, beta] = args.slice(0, -1) as tf.Tensor[];
    // [N, H]
    const x = tf.reshape(x3, [batch * seqLen, size]) as tf.Tensor2D;
    const layout = { batch, seqLen, heads: options.heads };
    const project = (wgt: tf.Tensor, b: tf.Tensor) => tf.fused.matMul({ a: x, b: wgt as tf.Tensor2D, bias: b }) as tf.Tensor2D;
    const core = mergedAttentionForward(project(wq, bq), project(wk, bk), project(wv, bv), bias, layout, scale, options.attentionDropout, options.training);
    const merged = core.context;
    const out = tf.fused.matMul({ a: merged, b: wo as tf.Tensor2D, bias: bo });
    const mask = dropoutMask(out.shape, options.hiddenDropout, options.training);
    const ln = layerNormForward(tf.add(mask ? tf.mul(out, mask) : out, x) as tf.Tensor2D, gamma as tf.Tensor1D, beta as tf.Tensor1D, options.eps);
    const { query, key, value, probs, kept, simd } = core.cache;
    save([x, wq, wk, wv, wo, gamma, query, key, value, probs, kept, merged, ln.xHat, ln.inverseStd, core.cache.mask ?? tf.zeros([0]), mask ?? tf.zeros([0])]);
    return {
      value: tf.reshape(ln.y, [batch, seqLen, size]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        // a scope: tfjs keeps what a custom gradient leaves behind until the backward pass ends
        tf.tidy(() => {
          const [xs, wqS, wkS, wvS, woS, gammaS, q, k, v, p, pk, mergedS, xHat, inverseStd, attnMask, hiddenMask] = saved;
          const norm = layerNormBackward(tf.reshape(dy, [batch * seqLen, size]) as tf.Tensor2D, xHat as tf.Tensor2D, inverseStd as tf.Tensor2D, gammaS as tf.Tensor1D);
          const dOut = hiddenMask.size > 0 ? (tf.mul(norm.dx, hiddenMask) as tf.Tensor2D) : norm.dx;
          const [dMerged, dWo, dBo] = linearBackward(dOut, mergedS as tf.Tensor2D, woS as tf.Tensor2D);
          const cache = { simd, query: q, key: k, value: v, probs: p as tf.Tensor4D, kept: pk as tf.Tensor4D, mask: attnMask.size > 0 ? (attnMask as tf.Tensor4D) : null };
          const [dq, dk, dv] = mergedAttentionBackward(dMerged, cache, layout, scale);
          const [dxq, dWq, dBq] = linearBackward(dq, xs as tf.Tensor2D, wqS as tf.Tensor2D);
          const [dxk, dWk, dBk] = linearBackward(dk, xs as tf.Tensor2D, wkS as tf.Tensor2D);
          const [dxv, dWv, dBv] = linearBackward(dv, xs as tf.Tensor2D, wvS as tf.Tensor2D);
          const dx = tf.reshape(tf.addN([dxq, dxk, dxv, norm.dx]), [batch, seqLen, size]);
          releaseSaved(saved, [wqS, wkS, wvS, woS, gammaS]);
          return [dx, dWq, dBq, dWk, dBk, dWv, dBv, dWo, dBo, norm.dGamma, norm.dBeta];
        }),
    };
  }) as (...inputs: tf.Tensor[]) => tf.Tensor3D;
  return op(hidden, w.query, w.queryBias, w.key, w.keyBias, w.value, w.valueBias, w.output, w.outputBias, w.gamma, w.beta);
}
