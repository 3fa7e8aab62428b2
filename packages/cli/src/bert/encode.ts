/**
 * Tweets → sub-token training examples (ids, word ids, aligned labels), encoded once, and
 * batches padded to their longest member. Legend: B tweets per batch, S sub-tokens.
 */
import * as tf from '@tensorflow/tfjs';
import { alignLabels, type BertTokenizer, IGNORE_INDEX } from '@twner/bert-ner';
import type { TaggedTweet } from './data';

export interface EncodedExample {
  /** [S] ids with [CLS]/[SEP] from the tokenizer, no padding. */
  inputIds: number[];
  /** [S] label id per sub-token; IGNORE_INDEX (-100) where the loss skips. */
  labels: number[];
  truncated: boolean;
}

export interface EncodeExamplesOptions {
  label2id: Record<string, number>;
  labelAllTokens: boolean;
  /** Longest sequence, special tokens included; longer tweets lose their last sub-tokens. */
  maxLength: number;
}

/** Encodes and aligns every tweet (Hugging Face's `tokenize_and_align_labels`, truncation on). */
export async function encodeExamples(tokenizer: BertTokenizer, tweets: readonly TaggedTweet[], options: EncodeExamplesOptions): Promise<EncodedExample[]> {
  const batch = await tokenizer.encodeWords(
    tweets.map((t) => t.words),
    { maxLength: options.maxLength, truncation: 'tokens', padding: false },
  );
  const labels = alignLabels(
    tweets.map((t) => t.tags),
    batch.wordIds,
    { label2id: options.label2id, labelAllTokens: options.labelAllTokens },
  );
  return batch.inputIds.map((inputIds, i) => ({ inputIds, labels: labels[i], truncated: batch.truncated[i] }));
}

/** A padded training batch; the caller disposes it with {@link disposeTrainBatch}. */
export interface TrainBatch {
  /** [B, S] int32 */
  inputIds: tf.Tensor2D;
  /** [B, S] int32 */
  attentionMask: tf.Tensor2D;
  /** [B, S] int32 */
  tokenTypeIds: tf.Tensor2D;
  /** [B, S] int32, -100 on padding */
  labels: tf.Tensor2D;
}

/** Pads `examples` to the longest one. */
export function toTrainBatch(examples: readonly EncodedExample[], padId: number): TrainBatch {
  const width = Math.max(...examples.map((e) => e.inputIds.length));
  const shape: [number, number] = [examples.length, width];
  const ids = new Int32Array(examples.length * width).fill(padId);
  const mask = new Int32Array(examples.length * width);
  const labels = new Int32Array(examples.length * width).fill(IGNORE_INDEX);
  examples.forEach((e, b) => {
    ids.set(e.inputIds, b * width);
    mask.fill(1, b * width, b * width + e.inputIds.length);
    labels.set(e.labels, b * width);
  });
  return {
    inputIds: tf.tensor2d(ids, shape, 'int32'),
    attentionMask: tf.tensor2d(mask, shape, 'int32'),
    tokenTypeIds: tf.zeros(shape, 'int32') as tf.Tensor2D,
    labels: tf.tensor2d(labels, shape, 'int32'),
  };
}

export function disposeTrainBatch(batch: TrainBatch): void {
  tf.dispose([batch.inputIds, batch.attentionMask, batch.tokenTypeIds, batch.labels]);
}


/** Indices 0..n-1 shuffled (Fisher–Yates), cut into batches of `batchSize` (the last may be smaller). */
export function shuffledBatches(n: number, batchSize: number, random: () => number): number[][] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const out: number[][] = [];
  for (let i = 0; i < n; i += batchSize) out.push(order.slice(i, i + batchSize));
  return out;
}
