import * as tf from '@tensorflow/tfjs';
import { buildEmissionModel, type ModelConfig } from '../src/models/bilstm-crf';

const config: ModelConfig = {
  arch: 'char-gazetteer', vocabSize: 30, embeddingDim: 16, charVocabSize: 0, charDim: 0, charFilters: 0, charKernel: 1,
  maxChars: 1, featureDim: 0, units: 8, layers: 1, dropout: 0.5, denseUnits: 0, numTags: 5, seed: 3, fused: true, recurrentActivation: 'sigmoid',
};

/** Which of the [B, T, D] entries a model's dropout layer zeroes in training, on an all-ones input. */
function dropped(model: tf.LayersModel, layer: string, B: number, T: number, D: number): boolean[][][] {
  const out = tf.tidy(() => model.getLayer(layer).apply(tf.ones([B, T, D]), { training: true }) as tf.Tensor);
  const v = out.arraySync() as number[][][];
  out.dispose();
  return v.map((s) => s.map((t) => t.map((x) => x === 0)));
}

describe('variationalDropout (one dropout mask per sentence)', () => {
  it.each(['input_dropout', 'dropout_1'])('%s: every token of a sentence loses the same features, sentences differ', (layer) => {
    const model = buildEmissionModel({ ...config, variationalDropout: true });
    const start = tf.memory().numTensors;
    const masks = dropped(model, layer, 3, 7, 64);
    for (const sentence of masks) for (const token of sentence) expect(token).toEqual(sentence[0]);
    // about half dropped, and not the same features in every sentence
    const share = masks[0][0].filter(Boolean).length / 64;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.8);
    expect(masks[1][0]).not.toEqual(masks[0][0]);
    expect(tf.memory().numTensors).toBe(start);
    model.dispose();
  });

  it('without it each token draws its own mask (the default)', () => {
    const model = buildEmissionModel(config);
    const masks = dropped(model, 'input_dropout', 1, 7, 64);
    expect(masks[0].some((token) => JSON.stringify(token) !== JSON.stringify(masks[0][0]))).toBe(true);
    model.dispose();
  });

  it('changes nothing at prediction time', () => {
    const a = buildEmissionModel(config);
    const b = buildEmissionModel({ ...config, variationalDropout: true });
    const words = tf.tensor2d([[3, 4, 5, 0]], [1, 4], 'int32');
    const [ea, eb] = [a, b].map((m) => m.predict(words) as tf.Tensor);
    expect(Array.from(eb.dataSync())).toEqual(Array.from(ea.dataSync()));
    tf.dispose([words, ea, eb]);
    a.dispose();
    b.dispose();
  });
});
