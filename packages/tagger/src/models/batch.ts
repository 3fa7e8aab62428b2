import * as tf from '@tensorflow/tfjs';
import type { EncodedSentence } from './encode';

const OOV_ID = 1;

/** A padded batch as plain arrays; `toTensors` makes the model inputs. */
export interface Batch {
  /** Indices of the sentences in the encoded list. */
  indices: number[];
  maxLen: number;
  lengths: number[];
}

/** Groups sentence indices into batches of similar length (less padding), in a seeded order. */
export function makeBatches(data: readonly EncodedSentence[], batchSize: number, rng?: () => number): Batch[] {
  const order = data.map((_, i) => i);
  if (rng) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
  }
  // Sort within windows of 50 batches by length, so batches stay varied across epochs.
  const window = batchSize * 50;
  const sorted: number[] = [];
  for (let i = 0; i < order.length; i += window) {
    sorted.push(...order.slice(i, i + window).sort((a, b) => data[a].length - data[b].length));
  }
  const batches: Batch[] = [];
  for (let i = 0; i < sorted.length; i += batchSize) {
    const indices = sorted.slice(i, i + batchSize);
    const lengths = indices.map((k) => data[k].length);
    batches.push({ indices, lengths, maxLen: Math.max(1, ...lengths) });
  }
  if (rng) {
    for (let i = batches.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [batches[i], batches[j]] = [batches[j], batches[i]];
    }
  }
  return batches;
}

export interface BatchTensors {
  inputs: tf.Tensor[];
  tags: tf.Tensor2D;
  mask: tf.Tensor2D;
  lastTags: tf.Tensor1D;
}

/** Right-padded tensors for a batch: inputs in the model's order (words[, chars, features]). */
/**
 * Word dropout for training: each occurrence of a training singleton becomes the OOV id with
 * probability `prob`, so the OOV embedding is trained (test tweets are full of unseen words);
 * with `allProb`, any word also does with that probability (the tagger must then lean on
 * characters, casing and gazetteers rather than memorised words).
 */
export interface WordDropout {
  singletons: ReadonlySet<number>;
  prob: number;
  allProb?: number;
  rng: () => number;
}

export function toTensors(
  data: readonly EncodedSentence[],
  batch: Batch,
  opts: { withChars: boolean; maxChars: number; featureDim: number },
  wordDropout?: WordDropout,
): BatchTensors {
  const B = batch.indices.length;
  const T = batch.maxLen;
  const words = new Int32Array(B * T);
  const tags = new Int32Array(B * T);
  const mask = new Float32Array(B * T);
  const last = new Int32Array(B);
  const C = opts.maxChars;
  const F = opts.featureDim;
  const chars = opts.withChars ? new Int32Array(B * T * C) : null;
  const feats = F > 0 ? new Float32Array(B * T * F) : null;
  batch.indices.forEach((k, b) => {
    const s = data[k];
    for (let t = 0; t < s.length; t++) {
      const w = s.words[t];
      const dropped = wordDropout !== undefined && (
        (wordDropout.singletons.has(w) && wordDropout.rng() < wordDropout.prob) ||
        ((wordDropout.allProb ?? 0) > 0 && wordDropout.rng() < (wordDropout.allProb ?? 0))
      );
      words[b * T + t] = dropped ? OOV_ID : w;
      tags[b * T + t] = s.tags[t];
      mask[b * T + t] = 1;
    }
    last[b] = s.tags[s.length - 1] ?? 0;
    if (chars) chars.set(s.chars, b * T * C);
    if (feats) feats.set(s.features, b * T * F);
  });
  const inputs: tf.Tensor[] = [tf.tensor2d(words, [B, T], 'int32')];
  if (chars) inputs.push(tf.tensor3d(chars, [B, T, C], 'int32'));
  if (feats) inputs.push(tf.tensor3d(feats, [B, T, F], 'float32'));
  return {
    inputs,
    tags: tf.tensor2d(tags, [B, T], 'int32'),
    mask: tf.tensor2d(mask, [B, T], 'float32'),
    lastTags: tf.tensor1d(last, 'int32'),
  };
}

export function disposeBatch(t: BatchTensors): void {
  tf.dispose([...t.inputs, t.tags, t.mask, t.lastTags]);
}

