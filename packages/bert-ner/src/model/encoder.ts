import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from '../config';
import { attentionBias } from './attention';
import { bertEmbeddings } from './embeddings';
import { bertLayer } from './layer';
import type { BertWeights } from './parameters';

/** Inputs of the encoder, all [B, T] int32. */
export interface EncoderInputs {
  inputIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  tokenTypeIds: tf.Tensor2D;
}

/**
 * The BERT encoder without pooler (`BertModel(add_pooling_layer=False)`).
 * @returns hidden states [B, T, H]: the embeddings' output then each layer's output
 *   (N + 1 tensors, as HF's `output_hidden_states`); the last is the sequence output.
 */
export function bertEncoder(weights: BertWeights, config: BertConfig, inputs: EncoderInputs, training: boolean): tf.Tensor3D[] {
  return tf.tidy(() => {
    const bias = attentionBias(inputs.attentionMask);
    const states: tf.Tensor3D[] = [bertEmbeddings(weights, config, inputs.inputIds, inputs.tokenTypeIds, training)];
    for (let i = 0; i < config.numHiddenLayers; i++) {
      states.push(bertLayer(weights, config, i, states[states.length - 1], bias, training));
    }
    return states;
  });
}
