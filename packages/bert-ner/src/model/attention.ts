import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from '../config';
import { attentionBlock } from './attention-block';
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

/**
 * Multi-head self-attention plus its output block (`BertAttention`): dense, dropout,
 * residual and LayerNorm — one fused op ({@link attentionBlock}).
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
  const w = (name: string) => weight2d(weights, `${prefix}.${name}.weight`);
  const b = (name: string) => weight1d(weights, `${prefix}.${name}.bias`);
  return attentionBlock(
    hidden,
    bias,
    {
      query: w('self.query'),
      queryBias: b('self.query'),
      key: w('self.key'),
      keyBias: b('self.key'),
      value: w('self.value'),
      valueBias: b('self.value'),
      output: w('output.dense'),
      outputBias: b('output.dense'),
      gamma: weight1d(weights, `${prefix}.output.LayerNorm.weight`),
      beta: weight1d(weights, `${prefix}.output.LayerNorm.bias`),
    },
    {
      heads: config.numAttentionHeads,
      eps: config.layerNormEps,
      attentionDropout: config.attentionProbsDropoutProb,
      hiddenDropout: config.hiddenDropoutProb,
      training,
    },
  );
}
