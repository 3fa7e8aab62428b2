import * as tf from '@tensorflow/tfjs';
import { attentionBackward, attentionForward, type AttentionLayout } from '@twner/kernels';
import { dropoutMask } from './dropout';
import { simdKernelsActive } from './transformer-kernels';

/** What the forward half of the attention core keeps for its backward half. */
export interface AttentionCoreCache {
  /** [B, heads, T, D] */
  query: tf.Tensor4D;
  key: tf.Tensor4D;
  value: tf.Tensor4D;
  /** [B, heads, T, T] softmax probabilities, and after dropout */
  probs: tf.Tensor4D;
  kept: tf.Tensor4D;
  mask: tf.Tensor4D | null;
}

/**
 * C = (softmax(Q·Kᵀ·scale + bias) ⊙ M)·V, every product a plain batched matmul of explicitly
 * transposed operands (the wasm backend runs transpose flags far off its fast path).
 * @returns context [B, heads, T, D] and the cache for {@link attentionCoreBackward}
 */
export function attentionCoreForward(
  query: tf.Tensor4D,
  key: tf.Tensor4D,
  value: tf.Tensor4D,
  bias: tf.Tensor4D,
  scale: number,
  dropoutRate: number,
  training: boolean,
): { context: tf.Tensor4D; cache: AttentionCoreCache } {
  // [B, heads, T, T]: entry (b, h, i, j) is how much query i attends to key j
  const probs = tf.softmax(tf.add(tf.mul(tf.matMul(query, tf.transpose(key, [0, 1, 3, 2])), scale), bias), -1) as tf.Tensor4D;
  const mask = dropoutMask(probs.shape, dropoutRate, training) as tf.Tensor4D | null;
  const kept = mask ? (tf.mul(probs, mask) as tf.Tensor4D) : probs;
  return { context: tf.matMul(kept, value) as tf.Tensor4D, cache: { query, key, value, probs, kept, mask } };
}

/**
 *   dV = P'ᵀ·dC;  dP = (dC·Vᵀ) ⊙ M;  dS = P ⊙ (dP − Σⱼ dP ⊙ P);  dQ = dS·K·scale;  dK = dSᵀ·Q·scale
 * @param dContext [B, heads, T, D]
 * @returns dQ, dK, dV [B, heads, T, D]
 */
export function attentionCoreBackward(dContext: tf.Tensor4D, cache: AttentionCoreCache, scale: number): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D] {
  const { query, key, value, probs, kept, mask } = cache;
  const dValue = tf.matMul(tf.transpose(kept, [0, 1, 3, 2]), dContext);
  const dKept = tf.matMul(dContext, tf.transpose(value, [0, 1, 3, 2]));
  const dProbs = mask ? tf.mul(dKept, mask) : dKept;
  const dScores = tf.mul(tf.mul(probs, tf.sub(dProbs, tf.sum(tf.mul(dProbs, probs), -1, true))), scale) as tf.Tensor4D;
  return [tf.matMul(dScores, key), tf.matMul(tf.transpose(dScores, [0, 1, 3, 2]), query), dValue] as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
}

/**
 * softmax(Q·Kᵀ·scale + bias)·V over every (sequence, head) pair, with dropout on the
 * probabilities, as one differentiable op that keeps Q, K, V, the probabilities (before and
 * after dropout) and the mask for its backward pass.
 * @param query [B, heads, T, D]
 * @param key [B, heads, T, D]
 * @param value [B, heads, T, D]
 * @param bias [B, 1, 1, T] additive mask (no gradient)
 * @returns context [B, heads, T, D]
 */
export function scaledDotProductAttention(
  query: tf.Tensor4D,
  key: tf.Tensor4D,
  value: tf.Tensor4D,
  bias: tf.Tensor4D,
  scale: number,
  dropoutRate: number,
  training: boolean,
): tf.Tensor4D {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [q, k, v, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    const { context, cache } = attentionCoreForward(q, k, v, bias, scale, dropoutRate, training);
    save([q, k, v, cache.probs, cache.kept, ...(cache.mask ? [cache.mask] : [])]);
    return {
      value: context,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        // a scope: tfjs keeps what a custom gradient leaves behind until the backward pass ends
        tf.tidy(() => {
          const [qs, ks, vs, probs, kept, mask] = saved as tf.Tensor4D[];
          return attentionCoreBackward(dy as tf.Tensor4D, { query: qs, key: ks, value: vs, probs, kept, mask: mask ?? null }, scale);
        }),
    };
  }) as (q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D) => tf.Tensor4D;
  return op(query, key, value);
}

/** [N, H] → [B, heads, T, D] */
function splitHeads(x: tf.Tensor, { batch, seqLen, heads }: AttentionLayout): tf.Tensor4D {
  return tf.transpose(tf.reshape(x, [batch, seqLen, heads, -1]), [0, 2, 1, 3]) as tf.Tensor4D;
}

/** [B, heads, T, D] → [N, H] */
function mergeHeads(x: tf.Tensor4D): tf.Tensor2D {
  const [batch, heads, seqLen, depth] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [batch * seqLen, heads * depth]) as tf.Tensor2D;
}

/** What {@link mergedAttentionForward} keeps: Q, K, V as [N, H] (SIMD kernels) or [B, heads, T, D] (tfjs). */
export interface MergedAttentionCache {
  simd: boolean;
  query: tf.Tensor;
  key: tf.Tensor;
  value: tf.Tensor;
  probs: tf.Tensor4D;
  kept: tf.Tensor4D;
  mask: tf.Tensor4D | null;
}

/**
 * The attention core on merged [N, H] activations (N = B·T): C = (softmax(Q·Kᵀ·scale + bias) ⊙ M)·V
 * per sequence and head, on `@twner/kernels`' SIMD kernels where {@link simdKernelsActive}
 * (no head transposes), op by op after explicit head splits otherwise.
 * @returns context [N, H] and the cache for {@link mergedAttentionBackward}
 */
export function mergedAttentionForward(
  query: tf.Tensor2D,
  key: tf.Tensor2D,
  value: tf.Tensor2D,
  bias: tf.Tensor4D,
  layout: AttentionLayout,
  scale: number,
  dropoutRate: number,
  training: boolean,
): { context: tf.Tensor2D; cache: MergedAttentionCache } {
  if (simdKernelsActive()) {
    const { batch, seqLen, heads } = layout;
    const mask = dropoutMask([batch, heads, seqLen, seqLen], dropoutRate, training) as tf.Tensor4D | null;
    const { context, probs, kept } = attentionForward(query, key, value, bias, layout, scale, mask);
    return { context, cache: { simd: true, query, key, value, probs, kept, mask } };
  }
  const core = attentionCoreForward(splitHeads(query, layout), splitHeads(key, layout), splitHeads(value, layout), bias, scale, dropoutRate, training);
  return { context: mergeHeads(core.context), cache: { simd: false, ...core.cache } };
}

/**
 * The backward half of {@link mergedAttentionForward}, on the kernels that made the cache.
 * @param dContext [N, H]
 * @returns dQ, dK, dV [N, H]
 */
export function mergedAttentionBackward(dContext: tf.Tensor2D, cache: MergedAttentionCache, layout: AttentionLayout, scale: number): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] {
  const { probs, kept, mask } = cache;
  if (cache.simd) {
    return attentionBackward(dContext, { query: cache.query as tf.Tensor2D, key: cache.key as tf.Tensor2D, value: cache.value as tf.Tensor2D, probs, kept, mask }, layout, scale);
  }
  const core = { query: cache.query as tf.Tensor4D, key: cache.key as tf.Tensor4D, value: cache.value as tf.Tensor4D, probs, kept, mask };
  return attentionCoreBackward(splitHeads(dContext, layout), core, scale).map(mergeHeads) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
}
