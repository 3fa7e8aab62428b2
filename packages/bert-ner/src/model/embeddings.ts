import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from '../config';
import { dropout } from './dropout';
import { embeddingLookup } from './embedding-lookup';
import { layerNorm } from './layer-norm';
import { type BertWeights, weight1d, weight2d } from './parameters';

/**
 * BERT embeddings: word + absolute position + token type, then LayerNorm and dropout.
 * @param inputIds [B, T] int32
 * @param tokenTypeIds [B, T] int32
 * @returns [B, T, H]
 */
export function bertEmbeddings(
  weights: BertWeights,
  config: BertConfig,
  inputIds: tf.Tensor2D,
  tokenTypeIds: tf.Tensor2D,
  training: boolean,
): tf.Tensor3D {
  return tf.tidy(() => {
    const seqLen = inputIds.shape[1];
    // [B, T, H]
    const words = embeddingLookup(weight2d(weights, 'bert.embeddings.word_embeddings.weight'), inputIds);
    // [T, H], broadcast over the batch
    const positions = tf.slice(weight2d(weights, 'bert.embeddings.position_embeddings.weight'), [0, 0], [seqLen, -1]);
    // [B, T, H]
    const types = embeddingLookup(weight2d(weights, 'bert.embeddings.token_type_embeddings.weight'), tokenTypeIds);
    const sum = tf.add(tf.add(words, types), positions);
    const normed = layerNorm(
      sum,
      weight1d(weights, 'bert.embeddings.LayerNorm.weight'),
      weight1d(weights, 'bert.embeddings.LayerNorm.bias'),
      config.layerNormEps,
    );
    return dropout(normed, config.hiddenDropoutProb, training) as tf.Tensor3D;
  });
}
