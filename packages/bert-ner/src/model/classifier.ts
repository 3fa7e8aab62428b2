import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from '../config';
import { dropout } from './dropout';
import { linear } from './linear';
import { type BertWeights, weight1d, weight2d } from './parameters';

/**
 * Token classification head: dropout (`classifier_dropout`, else `hidden_dropout_prob`) and a dense layer.
 * @param sequenceOutput [B, T, H]
 * @returns logits [B, T, K]
 */
export function tokenClassifier(weights: BertWeights, config: BertConfig, sequenceOutput: tf.Tensor3D, training: boolean): tf.Tensor3D {
  return tf.tidy(() => {
    const rate = config.classifierDropout ?? config.hiddenDropoutProb;
    return linear(
      dropout(sequenceOutput, rate, training),
      weight2d(weights, 'classifier.weight'),
      weight1d(weights, 'classifier.bias'),
    ) as tf.Tensor3D;
  });
}
