import * as tf from '@tensorflow/tfjs';
import { makeBatches, toTensors, disposeBatch } from '../models/batch';
import type { EncodedSentence } from '../models/encode';
import type { CRFDecoder } from '@twner/crf';
import { averageEmissions } from '../models/ensemble';

export interface Tagger {
  /** One emission network, or an ensemble's members (their emissions are averaged). */
  model: tf.LayersModel | readonly tf.LayersModel[];
  decoder: CRFDecoder;
  withChars: boolean;
  maxChars: number;
  featureDim: number;
}

/** Viterbi-decoded tag ids for every sentence, in input order (batched, no dropout). */
export function predictIds(tagger: Tagger, data: readonly EncodedSentence[], batchSize = 128): number[][] {
  return emissionsOf(tagger, data, batchSize).map((em, k) => Array.from(tagger.decoder.decode(em, data[k].length).path));
}

/** The (ensemble-averaged) emissions [T, K] of each sentence, in input order (batched, no dropout). */
export function emissionsOf(tagger: Omit<Tagger, 'decoder'>, data: readonly EncodedSentence[], batchSize = 128): Float32Array[] {
  const out: Float32Array[] = new Array(data.length);
  for (const batch of makeBatches(data, batchSize)) {
    const t = toTensors(data, batch, tagger);
    const emissions = averageEmissions(Array.isArray(tagger.model) ? tagger.model : [tagger.model as tf.LayersModel], t.inputs);
    const values = emissions.dataSync() as Float32Array;
    const [, T, K] = emissions.shape;
    batch.indices.forEach((k, b) => {
      const n = data[k].length;
      out[k] = values.slice(b * T * K, b * T * K + n * K);
    });
    emissions.dispose();
    disposeBatch(t);
  }
  return out;
}
