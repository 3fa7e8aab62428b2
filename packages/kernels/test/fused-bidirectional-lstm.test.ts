import * as tf from '@tensorflow/tfjs';
import { FusedBidirectionalLSTM, type RecurrenceKernels, setRecurrenceKernels, ValueError } from '../src';
import { activate, CASES, maxAbsDiff } from './helpers';

const V = 12;
const D = 6;
const H = 4;
const T = 7;
// Right-padded word ids (0 = padding), lengths 7, 4, 1, 0.
const IDS = [
  [3, 5, 7, 1, 2, 9, 11],
  [4, 4, 8, 10, 0, 0, 0],
  [6, 0, 0, 0, 0, 0, 0],
  [0, 0, 0, 0, 0, 0, 0],
];

/** Embedding(maskZero) → two BiLSTMs, either tfjs-layers' or the fused one. */
function buildModel(fused: boolean): tf.LayersModel {
  const input = tf.input({ shape: [T], dtype: 'int32' });
  let h = tf.layers.embedding({ inputDim: V, outputDim: D, maskZero: true }).apply(input) as tf.SymbolicTensor;
  for (let i = 0; i < 2; i++) {
    const layer = fused
      ? new FusedBidirectionalLSTM({ units: H })
      : tf.layers.bidirectional({ layer: tf.layers.lstm({ units: H, returnSequences: true }) as tf.RNN });
    h = layer.apply(h) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: h });
}

/** Gradient of a fixed probe loss w.r.t. every trainable weight, in model order. */
function weightGrads(model: tf.LayersModel, ids: tf.Tensor, probe: tf.Tensor): tf.Tensor[] {
  const { grads, value } = tf.variableGrads(
    () => tf.sum(tf.mul(model.apply(ids) as tf.Tensor, probe)) as tf.Scalar,
    model.trainableWeights.map((w) => w.read() as tf.Variable),
  );
  value.dispose();
  return model.trainableWeights.map((w) => grads[(w.read() as tf.Variable).name]);
}

describe.each(CASES)('FusedBidirectionalLSTM on %s, %s time loops', (backend, kernels) => {
  let previous: RecurrenceKernels;
  beforeAll(async () => {
    await activate(backend);
    previous = setRecurrenceKernels(kernels);
  });
  afterAll(() => setRecurrenceKernels(previous));

  it('has the weight names, shapes and order of tf.layers.bidirectional(lstm)', () => {
    const reference = buildModel(false);
    const fused = buildModel(true);
    const describeWeights = (m: tf.LayersModel) => m.weights.map((w) => [w.name.split('/').slice(1).join('/').replace(/_lstm_LSTM\d+/, '_lstm'), w.shape]);
    expect(describeWeights(fused)).toEqual(describeWeights(reference));
    expect(describeWeights(fused).slice(1, 4)).toEqual([
      ['forward_lstm/kernel', [D, 4 * H]],
      ['forward_lstm/recurrent_kernel', [H, 4 * H]],
      ['forward_lstm/bias', [4 * H]],
    ]);
    reference.dispose();
    fused.dispose();
  });

  it('gives tfjs-layers outputs and weight gradients (within 1e-5) with weights copied from a tfjs-layers model', () => {
    const reference = buildModel(false);
    const fused = buildModel(true);
    fused.setWeights(reference.getWeights());
    const ids = tf.tensor2d(IDS, [IDS.length, T], 'int32');
    const probe = tf.randomNormal([IDS.length, T, 2 * H], 0, 1, 'float32', 7);
    const before = tf.memory().numTensors;
    const yRef = reference.predict(ids) as tf.Tensor;
    const yFused = fused.predict(ids) as tf.Tensor;
    expect(maxAbsDiff(yFused, yRef)).toBeLessThan(1e-5);
    const gRef = weightGrads(reference, ids, probe);
    const gFused = weightGrads(fused, ids, probe);
    expect(gFused).toHaveLength(gRef.length);
    gRef.forEach((g, i) => expect(maxAbsDiff(gFused[i], g)).toBeLessThan(1e-5));
    tf.dispose([yRef, yFused, ...gRef, ...gFused]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([ids, probe]);
    reference.dispose();
    fused.dispose();
  });

  it('hands its weights back to a tfjs-layers model unchanged', () => {
    const reference = buildModel(false);
    const fused = buildModel(true);
    reference.setWeights(fused.getWeights());
    const ids = tf.tensor2d(IDS, [IDS.length, T], 'int32');
    const yRef = reference.predict(ids) as tf.Tensor;
    const yFused = fused.predict(ids) as tf.Tensor;
    expect(maxAbsDiff(yFused, yRef)).toBeLessThan(1e-5);
    tf.dispose([ids, yRef, yFused]);
    reference.dispose();
    fused.dispose();
  });

  it('takes an explicit mask in apply(x, { mask })', () => {
    const fused = new FusedBidirectionalLSTM({ units: H });
    const reference = tf.layers.bidirectional({ layer: tf.layers.lstm({ units: H, returnSequences: true }) as tf.RNN });
    const x = tf.randomNormal([3, T, D], 0, 1, 'float32', 3);
    const mask = tf.tensor2d([[1, 1, 1, 1, 1, 1, 1], [1, 1, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 0, 0]], [3, T], 'bool');
    tf.dispose(fused.apply(x) as tf.Tensor);
    tf.dispose(reference.apply(x) as tf.Tensor);
    reference.setWeights(fused.getWeights());
    const yRef = reference.apply(x, { mask }) as tf.Tensor;
    const yFused = fused.apply(x, { mask }) as tf.Tensor;
    expect(maxAbsDiff(yFused, yRef)).toBeLessThan(1e-5);
    tf.dispose([x, mask, yRef, yFused]);
  });

  it('survives a save/load round trip through an in-memory IOHandler', async () => {
    const model = buildModel(true);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Embedding', 'FusedBidirectionalLSTM', 'FusedBidirectionalLSTM']);
    const ids = tf.tensor2d(IDS, [IDS.length, T], 'int32');
    const a = model.predict(ids) as tf.Tensor;
    const b = loaded.predict(ids) as tf.Tensor;
    expect(maxAbsDiff(a, b)).toBe(0);
    tf.dispose([ids, a, b]);
    model.dispose();
    loaded.dispose();
  });
});

describe('FusedBidirectionalLSTM configuration', () => {
  it('rejects merge modes other than concat', () => {
    expect(() => new FusedBidirectionalLSTM({ units: 3, mergeMode: 'sum' as 'concat' })).toThrow(ValueError);
    expect(() => new FusedBidirectionalLSTM({ units: 0 })).toThrow('units must be a positive integer, got 0');
  });

  it('writes units and recurrentActivation to its config', () => {
    const layer = new FusedBidirectionalLSTM({ units: 5, recurrentActivation: 'sigmoid' });
    expect(layer.getConfig()).toMatchObject({ units: 5, recurrentActivation: 'sigmoid', mergeMode: 'concat', returnSequences: true });
  });
});
