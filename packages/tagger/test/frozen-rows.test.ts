import * as tf from '@tensorflow/tfjs';
import { buildEmissionModel, type ModelConfig } from '../src/models/bilstm-crf';
import { createCrfParams } from '../src/models/crf';
import type { EncodedSentence } from '../src/models/encode';
import { train } from '../src/train/loop';

const config: ModelConfig = {
  arch: 'notebook', vocabSize: 8, embeddingDim: 3, charVocabSize: 0, charDim: 0, charFilters: 0, charKernel: 1,
  maxChars: 1, featureDim: 0, units: 4, layers: 1, dropout: 0, denseUnits: 4, numTags: 3, seed: 5, fused: true, recurrentActivation: 'sigmoid',
};

// Words 2..6 occur in training; 7 never does. Rows 2, 3 and 7 are "pretrained" (held).
const sentence = (words: number[], tags: number[]): EncodedSentence => ({ length: words.length, words, chars: [], features: [], tags });
const data = [sentence([2, 3, 4], [1, 2, 0]), sentence([5, 6, 2], [0, 1, 2]), sentence([4, 3], [1, 0])];
const held = Uint8Array.from([0, 0, 1, 1, 0, 0, 0, 1]);

function rowsAfterTraining(frozenWordRows?: Uint8Array): { before: Float32Array; after: Float32Array } {
  const model = buildEmissionModel(config);
  const crf = createCrfParams(3, 5);
  const embedding = () => model.getLayer('word_embedding').getWeights()[0].dataSync() as Float32Array;
  const before = embedding().slice();
  train(model, crf, data, null, ['O', 'B-x', 'I-x'], { withChars: false, maxChars: 1, featureDim: 0 }, {
    epochs: 3, batchSize: 2, patience: 3, lr: 0.05, optimizer: 'adam', weightDecay: 0, seed: 1, plateauDecay: 1,
    timeBudgetSeconds: 0, emaDecay: 0.9, log: () => {}, ...(frozenWordRows ? { frozenWordRows } : {}),
  });
  const after = embedding().slice();
  model.dispose();
  tf.dispose([crf.transitions, crf.start, crf.end]);
  return { before, after };
}

const row = (m: Float32Array, i: number) => Array.from(m.subarray(i * 3, i * 3 + 3));

describe('frozenWordRows (freezePretrained)', () => {
  it('holds the marked rows bit for bit and trains the others, as training without it trains them', () => {
    // The freeze holds no tensor past training (compared with a run without it, which keeps what tfjs' layers keep).
    const start = tf.memory().numTensors;
    const free = rowsAfterTraining();
    const middle = tf.memory().numTensors;
    const frozen = rowsAfterTraining(held);
    for (let i = 0; i < 8; i++) {
      if (held[i]) expect(row(frozen.after, i)).toEqual(row(frozen.before, i));
    }
    // A row that occurs in training and is not held moves; without the mask the held ones move too.
    expect(row(frozen.after, 4)).not.toEqual(row(frozen.before, 4));
    for (const i of [2, 3]) expect(row(free.after, i)).not.toEqual(row(free.before, i));
    expect(frozen.before).toEqual(free.before);
    expect(tf.memory().numTensors - middle).toBe(middle - start);
  });

  it('refuses a mask of the wrong length', () => {
    expect(() => rowsAfterTraining(new Uint8Array(5))).toThrow(/5 rows given for a word embedding of 8 rows/);
  });
});
