import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from '../config';
import { dropout } from './dropout';
import { layerNorm } from './layer-norm';
import { linear } from './linear';
import { type BertWeights, weight1d, weight2d } from './parameters';

/** Additive score for masked keys, as transformers' eager attention (float32 lowest value). */
const MASKED_SCORE = -3.4028234663852886e38;

/**
 * Turns a padding mask into an additive attention bias.
 * @param attentionMask [B, T], 1 for real tokens, 0 for padding
 * @returns [B, 1, 1, T]: entry (b, 0, 0, j) is 0 when key j of sequence b is real, MASKED_SCORE otherwise
 */
export function attentionBias(attentionMask: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, seqLen] = attentionMask.shape;
    const masked = tf.sub(1, tf.cast(attentionMask, 'float32'));
    return tf.reshape(tf.mul(masked, MASKED_SCORE), [batch, 1, 1, seqLen]) as tf.Tensor4D;
  });
}

/** [B, T, H] → [B, heads, T, H / heads] */
function splitHeads(x: tf.Tensor, heads: number): tf.Tensor4D {
  const [batch, seqLen, hidden] = x.shape;
  return tf.transpose(tf.reshape(x, [batch, seqLen, heads, hidden / heads]), [0, 2, 1, 3]) as tf.Tensor4D;
}

/**
 * Multi-head self-attention plus its output block (`BertAttention`): dense, dropout,
 * residual and LayerNorm.
 * @param hidden [B, T, H]
 * @param bias [B, 1, 1, T] from {@link attentionBias}
 * @returns [B, T, H]
 */
export function bertAttention(
  weights: BertWeights,
  config: BertConfig,
  prefix: string,
  hidden: tf.Tensor3D,
  bias: tf.Tensor4D,
  training: boolean,
): tf.Tensor3D {
  return tf.tidy(() => {
    const heads = config.numAttentionHeads;
    const [batch, seqLen, size] = hidden.shape;
    const project = (name: string) =>
      splitHeads(linear(hidden, weight2d(weights, `${prefix}.self.${name}.weight`), weight1d(weights, `${prefix}.self.${name}.bias`)), heads);
    // [B, heads, T, D]
    const query = project('query');
    const key = project('key');
    const value = project('value');
    // [B, heads, T, T]: entry (b, h, i, j) is how much query i attends to key j
    const scores = tf.add(tf.mul(tf.matMul(query, key, false, true), 1 / Math.sqrt(size / heads)), bias);
    const probs = dropout(tf.softmax(scores, -1), config.attentionProbsDropoutProb, training);
    // [B, heads, T, D]
    const context = tf.matMul(probs, value);
    // [B, T, H]
    const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [batch, seqLen, size]);
    const projected = linear(merged, weight2d(weights, `${prefix}.output.dense.weight`), weight1d(weights, `${prefix}.output.dense.bias`));
    return layerNorm(
      tf.add(dropout(projected, config.hiddenDropoutProb, training), hidden),
      weight1d(weights, `${prefix}.output.LayerNorm.weight`),
      weight1d(weights, `${prefix}.output.LayerNorm.bias`),
      config.layerNormEps,
    ) as tf.Tensor3D;
  });
}
