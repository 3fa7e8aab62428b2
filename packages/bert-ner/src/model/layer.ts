import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from '../config';
import { activation } from './activations';
import { bertAttention } from './attention';
import { dropout } from './dropout';
import { layerNorm } from './layer-norm';
import { linear } from './linear';
import { type BertWeights, weight1d, weight2d } from './parameters';

/**
 * One transformer layer (`BertLayer`): attention block, then intermediate dense with
 * `hidden_act`, output dense, dropout, residual and LayerNorm.
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
    // [B, T, I]
    const intermediate = activation(config.hiddenAct)(
      linear(attended, weight2d(weights, `${p}.intermediate.dense.weight`), weight1d(weights, `${p}.intermediate.dense.bias`)),
    );
    // [B, T, H]
    const output = linear(intermediate, weight2d(weights, `${p}.output.dense.weight`), weight1d(weights, `${p}.output.dense.bias`));
    return layerNorm(
      tf.add(dropout(output, config.hiddenDropoutProb, training), attended),
      weight1d(weights, `${p}.output.LayerNorm.weight`),
      weight1d(weights, `${p}.output.LayerNorm.bias`),
      config.layerNormEps,
    ) as tf.Tensor3D;
  });
}
