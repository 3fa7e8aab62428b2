import * as tf from '@tensorflow/tfjs';
import { TrainingError } from '../errors';
import { IGNORE_INDEX } from './masked-cross-entropy';

/** One encoded sequence for training or evaluation (sub-token level, [CLS] … [SEP] included). */
export interface TrainingExample {
  inputIds: number[];
  /** Label id per sub-token, -100 where ignored (HF convention). */
  labels: number[];
  /** Default: all ones. */
  attentionMask?: number[];
  /** Default: all zeros. */
  tokenTypeIds?: number[];
  /** Word index of each sub-token, null for special tokens; lets evaluation score words rather than sub-tokens. */
  wordIds?: (number | null)[];
}

/** A padded batch; the caller disposes the tensors. */
export interface PaddedBatch {
  inputIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  tokenTypeIds: tf.Tensor2D;
  labels: tf.Tensor2D;
}

/**
 * Pads examples to the longest of the batch: ids with `padTokenId`, mask and token types
 * with 0, labels with -100. Validates lengths and label ids.
 */
export function padBatch(examples: TrainingExample[], padTokenId: number, numLabels: number): PaddedBatch {
  const length = Math.max(...examples.map((e) => e.inputIds.length));
  const ids: number[][] = [];
  const mask: number[][] = [];
  const types: number[][] = [];
  const labels: number[][] = [];
  for (const [i, e] of examples.entries()) {
    const n = e.inputIds.length;
    for (const [field, values] of [['labels', e.labels], ['attentionMask', e.attentionMask], ['tokenTypeIds', e.tokenTypeIds]] as const) {
      if (values && values.length !== n) {
        throw new TrainingError(`example ${i}: ${field} has ${values.length} entries but inputIds has ${n}`);
      }
    }
    const bad = e.labels.find((l) => l !== IGNORE_INDEX && !(Number.isInteger(l) && l >= 0 && l < numLabels));
    if (bad !== undefined) throw new TrainingError(`example ${i}: label id ${bad} is neither -100 nor in [0, ${numLabels})`);
    const pad = length - n;
    ids.push([...e.inputIds, ...Array<number>(pad).fill(padTokenId)]);
    mask.push([...(e.attentionMask ?? Array<number>(n).fill(1)), ...Array<number>(pad).fill(0)]);
    types.push([...(e.tokenTypeIds ?? Array<number>(n).fill(0)), ...Array<number>(pad).fill(0)]);
    labels.push([...e.labels, ...Array<number>(pad).fill(IGNORE_INDEX)]);
  }
  return {
    inputIds: tf.tensor2d(ids, undefined, 'int32'),
    attentionMask: tf.tensor2d(mask, undefined, 'int32'),
    tokenTypeIds: tf.tensor2d(types, undefined, 'int32'),
    labels: tf.tensor2d(labels, undefined, 'int32'),
  };
}
