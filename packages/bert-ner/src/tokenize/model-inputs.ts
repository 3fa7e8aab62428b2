/** An encoded batch as the int32 tensors `BertForTokenClassification.predict` takes. */
import * as tf from '@tensorflow/tfjs';
import type { EncodedBatch } from './types';

export interface ModelInputs {
  /** [B, S] int32 */
  inputIds: tf.Tensor2D;
  /** [B, S] int32 */
  attentionMask: tf.Tensor2D;
  /** [B, S] int32 */
  tokenTypeIds: tf.Tensor2D;
}

/**
 * Builds the model's input tensors from a padded batch. The caller disposes them.
 * @example
 * const inputs = toModelInputs(await tokenizer.encodeWords(words));
 * const { logits } = model.predict(inputs); // [B, S, K]
 * tf.dispose([inputs.inputIds, inputs.attentionMask, inputs.tokenTypeIds]);
 */
export function toModelInputs(batch: Pick<EncodedBatch, 'inputIds' | 'attentionMask' | 'tokenTypeIds'>): ModelInputs {
  const shape: [number, number] = [batch.inputIds.length, batch.inputIds[0]?.length ?? 0];
  return {
    inputIds: tf.tensor2d(batch.inputIds.flat(), shape, 'int32'),
    attentionMask: tf.tensor2d(batch.attentionMask.flat(), shape, 'int32'),
    tokenTypeIds: tf.tensor2d(batch.tokenTypeIds.flat(), shape, 'int32'),
  };
}
