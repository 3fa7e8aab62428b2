import * as tf from '@tensorflow/tfjs';
import { embeddingLookup, FusedBidirectionalLSTM, FusedEmbedding, ValueError } from '../src';
import { activate, BACKENDS, maxAbsDiff } from './helpers';

const V = 9;
const E = 5;
const T = 4;
const IDS = [
  [3, 5, 3, 1],
  [4, 8, 0, 0],
  [3, 0, 0, 0],
];

function embeddingModel(fused: boolean): tf.LayersModel {
  const input = tf.input({ shape: [T], dtype: 'int32' });
  const layer = fused ? new FusedEmbedding({ inputDim: V, outputDim: E, maskZero: true }) : tf.layers.embedding({ inputDim: V, outputDim: E, maskZero: true });
  const h = new FusedBidirectionalLSTM({ units: 2 }).apply(layer.apply(input)) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: h });
}

describe.each(BACKENDS)('embeddingLookup on %s', (backend) => {
  beforeAll(() => activate(backend));

  it('returns table rows and scatter-adds the gradient of repeated ids', () => {
    const table = tf.variable(tf.randomNormal([V, E], 0, 1, 'float32', 1));
    const ids = tf.tensor2d(IDS, [3, T], 'int32');
    const probe = tf.randomNormal([3, T, E], 0, 1, 'float32', 2);
    const before = tf.memory().numTensors;
    const y = embeddingLookup(table, ids);
    const truth = tf.gather(table, ids);
    expect(maxAbsDiff(y, truth)).toBe(0);
    const fused = tf.variableGrads(() => tf.sum(tf.mul(embeddingLookup(table, ids), probe)) as tf.Scalar, [table]);
    const unfused = tf.variableGrads(() => tf.sum(tf.mul(tf.gather(table, ids), probe)) as tf.Scalar, [table]);
    expect(maxAbsDiff(fused.grads[table.name], unfused.grads[table.name])).toBeLessThan(1e-6);
    tf.dispose([y, truth, fused.value, unfused.value, ...Object.values(fused.grads), ...Object.values(unfused.grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([table, ids, probe]);
  });

  it('runs its gradient without the UnsortedSegmentSum kernel', async () => {
    const table = tf.variable(tf.randomNormal([V, E]));
    const ids = tf.tensor2d(IDS, [3, T], 'int32');
    const info = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(embeddingLookup(table, ids)) as tf.Scalar, [table]);
      tf.dispose([value, ...Object.values(grads)]);
    });
    expect(info.kernelNames).not.toContain('UnsortedSegmentSum');
    tf.dispose([table, ids]);
  });

  it('rejects ids outside the table', () => {
    const table = tf.zeros([V, E]);
    const ids = tf.tensor1d([1, V], 'int32');
    expect(() => embeddingLookup(table, ids)).toThrow(ValueError);
    expect(() => embeddingLookup(table, ids)).toThrow(`ids must lie in [0, ${V}), got ${V} at flat index 1`);
    tf.dispose([table, ids]);
  });
});

describe.each(BACKENDS)('FusedEmbedding on %s', (backend) => {
  beforeAll(() => activate(backend));

  it('matches tf.layers.embedding(maskZero) outputs, mask and gradients with copied weights', () => {
    const reference = embeddingModel(false);
    const fused = embeddingModel(true);
    expect(fused.weights.map((w) => w.shape)).toEqual(reference.weights.map((w) => w.shape));
    expect(fused.weights[0].name.split('/').pop()).toBe('embeddings');
    fused.setWeights(reference.getWeights());
    const ids = tf.tensor2d(IDS, [3, T], 'int32');
    const a = reference.predict(ids) as tf.Tensor;
    const b = fused.predict(ids) as tf.Tensor;
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
    const grad = (m: tf.LayersModel) => {
      const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(m.apply(ids) as tf.Tensor)) as tf.Scalar, vars);
      value.dispose();
      return vars.map((v) => grads[v.name]);
    };
    const ga = grad(reference);
    const gb = grad(fused);
    ga.forEach((g, i) => expect(maxAbsDiff(gb[i], g)).toBeLessThan(1e-5));
    const layer = fused.layers[1] as FusedEmbedding;
    const mask = layer.computeMask(ids) as tf.Tensor;
    expect(mask.dtype).toBe('bool');
    expect(mask.arraySync()).toEqual(IDS.map((r) => r.map((v) => (v !== 0 ? 1 : 0))));
    tf.dispose([ids, a, b, mask, ...ga, ...gb]);
    reference.dispose();
    fused.dispose();
  });

  it('saves and loads with its config', async () => {
    const model = embeddingModel(true);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (x) => ((artifacts = x), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    expect(loaded.layers[1].getConfig()).toMatchObject({ inputDim: V, outputDim: E, maskZero: true });
    const ids = tf.tensor2d(IDS, [3, T], 'int32');
    const a = model.predict(ids) as tf.Tensor;
    const b = loaded.predict(ids) as tf.Tensor;
    expect(maxAbsDiff(a, b)).toBe(0);
    tf.dispose([ids, a, b]);
    model.dispose();
    loaded.dispose();
  });
});
