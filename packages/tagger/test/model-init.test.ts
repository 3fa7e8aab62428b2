import * as tf from '@tensorflow/tfjs';
import { buildEmissionModel, type ModelConfig } from '../src/models/bilstm-crf';

const base: ModelConfig = {
  arch: 'notebook', vocabSize: 30, embeddingDim: 6, charVocabSize: 0, charDim: 0, charFilters: 0, charKernel: 1,
  maxChars: 1, featureDim: 0, units: 5, layers: 2, dropout: 0, denseUnits: 4, numTags: 21, seed: 3, fused: true, recurrentActivation: 'sigmoid',
};

/** The LSTM weights of a model as {name, shape, values}, both directions, every layer. */
function lstmWeights(model: tf.LayersModel): { name: string; shape: number[]; values: Float32Array }[] {
  return model.weights
    .filter((w) => /lstm/.test(w.name) && !/embedding|hidden|emissions/.test(w.name))
    .map((w) => ({ name: w.name, shape: w.shape as number[], values: w.read().dataSync() as Float32Array }));
}

describe('LSTM initialisation (--arch notebook starts as Keras does)', () => {
  it.each([true, false])('keras: forget-gate bias 1, other biases 0, kernels within the glorotUniform limit (fused %s)', (fused) => {
    const model = buildEmissionModel({ ...base, fused, lstmInit: 'keras' });
    const weights = lstmWeights(model);
    expect(weights.length).toBe(12); // 2 layers × 2 directions × (kernel, recurrent kernel, bias)
    const H = base.units;
    for (const w of weights) {
      if (/bias/.test(w.name)) {
        expect(Array.from(w.values)).toEqual([...Array(H).fill(0), ...Array(H).fill(1), ...Array(2 * H).fill(0)]);
      } else if (!/recurrent/.test(w.name)) {
        const limit = Math.sqrt(6 / (w.shape[0] + w.shape[1]));
        expect(Math.max(...Array.from(w.values, Math.abs))).toBeLessThanOrEqual(limit);
      }
    }
    model.dispose();
  });

  it('tfjs (the default of other archs): every bias 0, glorotNormal kernels (some beyond the uniform limit)', () => {
    const model = buildEmissionModel({ ...base, units: 12, embeddingDim: 40 });
    const weights = lstmWeights(model);
    for (const w of weights.filter((x) => /bias/.test(x.name))) expect(w.values.every((v) => v === 0)).toBe(true);
    const kernel = weights.find((w) => /kernel/.test(w.name) && !/recurrent/.test(w.name))!;
    const limit = Math.sqrt(6 / (kernel.shape[0] + kernel.shape[1]));
    expect(Math.max(...Array.from(kernel.values, Math.abs))).toBeGreaterThan(limit);
    model.dispose();
  });
});
