import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from '../config';
import { bertAttention } from './attention';
import { feedForwardBlock } from './feed-forward-block';
import { type BertWeights, weight1d, weight2d } from './parameters';

/**
 * One transformer layer (`BertLayer`): attention block, then intermediate dense with
 * `hidden_act`, output dense, dropout, residual and LayerNorm — two fused ops.
 * @param hidden [B, T, H]
 * @param bias [B, 1, 1, T]
 * @returns [B, T, H]
 */
export function bertLayer(
  weights: BertWeights,
  config: BertConfig,
  index: number,
  hidden: tf.Tensor3D,
  bias: tf.Tensor4D,
  training: boolean,
): tf.Tensor3D {
  return tf.tidy(() => {
    const p = `bert.encoder.layer.${index}`;
    const attended = bertAttention(weights, config, `${p}.attention`, hidden, bias, training);
    const [batch, seqLen, size] = attended.shape;
    // [B·T, H]
    const output = feedForwardBlock(
      tf.reshape(attended, [batch * seqLen, size]) as tf.Tensor2D,
      {
        inner: weight2d(weights, `${p}.intermediate.dense.weight`),
        innerBias: weight1d(weights, `${p}.intermediate.dense.bias`),
        outer: weight2d(weights, `${p}.output.dense.weight`),
        outerBias: weight1d(weights, `${p}.output.dense.bias`),
        gamma: weight1d(weights, `${p}.output.LayerNorm.weight`),
        beta: weight1d(weights, `${p}.output.LayerNorm.bias`),
      },
      config.hiddenAct,
      config.layerNormEps,
      config.hiddenDropoutProb,
      training,
    );
    return tf.reshape(output, [batch, seqLen, size]) as tf.Tensor3D;
  });
}
