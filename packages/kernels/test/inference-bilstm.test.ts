import * as tf from '@tensorflow/tfjs';
import { InferenceBiLstm, type InferenceBiLstmConfig, ShapeError, ValueError } from '../src';
import { activate } from './helpers';

const CONFIG: InferenceBiLstmConfig = {
  vocabSize: 30,
  embeddingDim: 8,
  lstmUnits: [5, 4],
  dense: [
    { units: 6, activation: 'relu' },
    { units: 3, activation: 'linear' },
  ],
};
const T = 9;
const TWEETS = [
  [3, 17, 4, 29, 8, 1, 1, 22, 5],
  [12, 2, 7],
  [9],
  [4, 0, 6, 11], // an id 0 inside a tweet is masked, as with maskZero
];

/** The notebook architecture in tfjs-layers: the truth. */
function notebookModel(recurrentActivation: 'hardSigmoid' | 'sigmoid'): tf.LayersModel {
  const input = tf.input({ shape: [T], dtype: 'int32' });
  let h = tf.layers.embedding({ inputDim: CONFIG.vocabSize, outputDim: CONFIG.embeddingDim, maskZero: true }).apply(input) as tf.SymbolicTensor;
  for (const units of CONFIG.lstmUnits) {
    const lstm = tf.layers.lstm({ units, returnSequences: true, recurrentActivation, recurrentInitializer: 'glorotNormal', biasInitializer: 'randomNormal' });
    h = tf.layers.bidirectional({ layer: lstm as tf.RNN }).apply(h) as tf.SymbolicTensor;
  }
  for (const d of CONFIG.dense) h = tf.layers.dense({ units: d.units, activation: d.activation, biasInitializer: 'randomNormal' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: h });
}

describe('InferenceBiLstm', () => {
  beforeAll(() => activate('cpu'));

  it.each(['hardSigmoid', 'sigmoid'] as const)('gives the emissions of the tfjs-layers model at every real token (%s gates)', (recurrentActivation) => {
    const model = notebookModel(recurrentActivation);
    const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
    const net = new InferenceBiLstm(weights, { ...CONFIG, recurrentActivation });
    const padded = tf.tensor2d(TWEETS.map((ids) => [...ids, ...Array(T - ids.length).fill(0)]), [TWEETS.length, T], 'int32');
    const truth = (model.predict(padded) as tf.Tensor).arraySync() as number[][][];
    const ours = net.forwardBatch(TWEETS);
    expect(net.outputDim).toBe(3);
    TWEETS.forEach((ids, b) => {
      expect(ours[b]).toHaveLength(ids.length * 3);
      for (let t = 0; t < ids.length; t++) {
        for (let k = 0; k < 3; k++) expect(Math.abs(ours[b][t * 3 + k] - truth[b][t][k])).toBeLessThan(1e-5);
      }
    });
    padded.dispose();
    model.dispose();
  });

  it('rejects weights in the wrong number or size', () => {
    const model = notebookModel('hardSigmoid');
    const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
    expect(() => new InferenceBiLstm(weights.slice(1), CONFIG)).toThrow(ValueError);
    expect(() => new InferenceBiLstm(weights, { ...CONFIG, embeddingDim: 7 })).toThrow(ShapeError);
    const net = new InferenceBiLstm(weights, CONFIG);
    expect(() => net.forward([1, 30])).toThrow('ids must lie in [0, 30), got 30 at 1');
    model.dispose();
  });
});
