import * as tf from '@tensorflow/tfjs';
import { makeBatches, toTensors, disposeBatch } from '../models/batch';
import type { EncodedSentence } from '../models/encode';
import { viterbi, type CrfScores } from '../models/crf';

export interface Tagger {
  model: tf.LayersModel;
  scores: CrfScores;
  withChars: boolean;
  maxChars: number;
  featureDim: number;
}

/** Viterbi-decoded tag ids for every sentence, in input order (batched, no dropout). */
export function predictIds(tagger: Tagger, data: readonly EncodedSentence[], batchSize = 128): number[][] {
  const out: number[][] = new Array(data.length);
  const K = tagger.scores.start.shape[0];
  const trans = tagger.scores.transitions.dataSync();
  const start = tagger.scores.start.dataSync();
  const end = tagger.scores.end.dataSync();
  for (const batch of makeBatches(data, batchSize)) {
    const t = toTensors(data, batch, tagger);
    const emissions = tf.tidy(() => tagger.model.predict(t.inputs) as tf.Tensor3D);
    const values = emissions.dataSync();
    const T = batch.maxLen;
    batch.indices.forEach((k, b) => {
      const n = data[k].length;
      out[k] = viterbi(values.subarray(b * T * K, (b * T + n) * K), n, K, trans, start, end);
    });
    emissions.dispose();
    disposeBatch(t);
  }
  return out;
}
