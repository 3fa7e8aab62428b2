import * as tf from '@tensorflow/tfjs';
import { charCnn, FusedCharCNN, ShapeError, ValueError } from '../src';
import { activate, BACKENDS, maxAbsDiff, seeded } from './helpers';

const V = 11;
const D = 4; // char embedding size d
const F = 5;

/**
 * The tfjs-layers composition of examples/src/models/bilstm-crf.ts (char-gazetteer): embedding
 * → zeroPadding2d → `width` cropping2D shifts → concatenate → dense(relu) → maxPooling2d over
 * the characters → reshape, per width, concatenated. Weights: embeddings, then kernel and bias
 * of each width's dense layer.
 */
function composition(C: number, widths: number[], filters = F): tf.LayersModel {
  const chars = tf.input({ shape: [null, C], dtype: 'int32' });
  const c = tf.layers.embedding({ inputDim: V, outputDim: D }).apply(chars) as tf.SymbolicTensor;
  const pooled: tf.SymbolicTensor[] = [];
  for (const width of widths) {
    const half = Math.floor(width / 2);
    const padded = tf.layers.zeroPadding2d({ padding: [[0, 0], [half, width - 1 - half]] }).apply(c) as tf.SymbolicTensor;
    const shifted: tf.SymbolicTensor[] = [];
    for (let k = 0; k < width; k++) {
      shifted.push(tf.layers.cropping2D({ cropping: [[0, 0], [k, width - 1 - k]] }).apply(padded) as tf.SymbolicTensor);
    }
    let w = shifted.length > 1 ? (tf.layers.concatenate().apply(shifted) as tf.SymbolicTensor) : shifted[0];
    w = tf.layers.dense({ units: filters, activation: 'relu' }).apply(w) as tf.SymbolicTensor;
    w = tf.layers.maxPooling2d({ poolSize: [1, C], strides: [1, C] }).apply(w) as tf.SymbolicTensor;
    pooled.push(tf.layers.reshape({ targetShape: [-1, filters] }).apply(w) as tf.SymbolicTensor);
  }
  const out = pooled.length > 1 ? (tf.layers.concatenate().apply(pooled) as tf.SymbolicTensor) : pooled[0];
  const model = tf.model({ inputs: chars, outputs: out });
  // Deterministic weights, nonzero biases (some filters die under relu, most do not).
  const weights = model.getWeights().map((w, i) => seeded(w.shape, 100 + i, i === 0 ? 1 : 0.5));
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

/** Char ids [B, T, C]: words of the given lengths (ids in [1, V)), right-padded with id 0. */
function charIds(lengths: number[][], C: number, seed: number): tf.Tensor3D {
  let s = seed;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return 1 + (s % (V - 1));
  };
  const data = lengths.map((row) => row.map((n) => Array.from({ length: C }, (_, c) => (c < n ? next() : 0))));
  return tf.tensor3d(data, [lengths.length, lengths[0].length, C], 'int32');
}

function fusedModel(C: number, widths: number[], filters = F): tf.LayersModel {
  const chars = tf.input({ shape: [null, C], dtype: 'int32' });
  const out = new FusedCharCNN({ inputDim: V, outputDim: D, filters, widths, seed: 7 }).apply(chars) as tf.SymbolicTensor;
  return tf.model({ inputs: chars, outputs: out });
}

/** Gradients of sum(f() · probe) w.r.t. `vars`, in order. */
function grads(f: () => tf.Tensor, vars: tf.Variable[], probe: tf.Tensor): tf.Tensor[] {
  const { value, grads: g } = tf.variableGrads(() => tf.sum(tf.mul(f(), probe)) as tf.Scalar, vars);
  value.dispose();
  return vars.map((v) => g[v.name]);
}

const CASES: { name: string; C: number; widths: number[]; lengths: number[][] }[] = [
  { name: 'width 3, short words', C: 6, widths: [3], lengths: [[6, 3, 1], [2, 0, 5]] },
  { name: 'widths [2, 3, 4], short words', C: 6, widths: [2, 3, 4], lengths: [[6, 3, 1], [2, 0, 5]] },
  { name: 'widths [2, 3, 4], C = 1', C: 1, widths: [2, 3, 4], lengths: [[1, 0, 1], [1, 1, 0]] },
  { name: 'widths [1, 5], C = 3 (wider than the word)', C: 3, widths: [1, 5], lengths: [[3, 2, 1]] },
];

describe.each(BACKENDS)('charCnn on %s', (backend) => {
  beforeAll(() => activate(backend));

  it.each(CASES)('matches the tfjs-layers composition: $name', ({ C, widths, lengths }) => {
    const reference = composition(C, widths);
    const ids = charIds(lengths, C, 3 + C);
    const [B, T] = ids.shape;
    const vars = reference.trainableWeights.map((w) => w.read() as tf.Variable);
    const probe = seeded([B * T, F * widths.length], 11);
    const before = tf.memory().numTensors;

    const fused = () =>
      tf.tidy(() =>
        charCnn(
          tf.reshape(ids, [B * T, C]),
          vars[0],
          widths.map((_, i) => vars[1 + 2 * i]),
          widths.map((_, i) => vars[2 + 2 * i]),
          widths,
        ),
      );
    const unfused = () => tf.tidy(() => tf.reshape(reference.apply(ids) as tf.Tensor, [B * T, F * widths.length]));
    const a = unfused();
    const b = fused();
    expect(b.shape).toEqual([B * T, F * widths.length]);
    expect(maxAbsDiff(b, a)).toBeLessThan(1e-5);
    // Not vacuous: some filters are active.
    expect(a.dataSync().some((v) => v > 0)).toBe(true);

    const ga = grads(unfused, vars, probe);
    const gb = grads(fused, vars, probe);
    expect(gb.length).toBe(1 + 2 * widths.length);
    ga.forEach((g, i) => {
      expect(maxAbsDiff(gb[i], g)).toBeLessThan(1e-5);
    });
    expect(ga.every((g) => g.dataSync().some((v) => v !== 0))).toBe(true);
    tf.dispose([a, b, ...ga, ...gb]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([ids, probe]);
    reference.dispose();
  });

  it('takes float ids and leaves no tensors behind', () => {
    const table = seeded([V, D], 1);
    const kernel = seeded([3 * D, F], 2);
    const bias = seeded([F], 3, 0.1);
    const ids = tf.tensor2d([[1, 2, 0], [4, 0, 0]], [2, 3], 'float32');
    const idsInt = tf.cast(ids, 'int32');
    const before = tf.memory().numTensors;
    const a = charCnn(ids, table, [kernel], [bias], [3]);
    const b = charCnn(idsInt, table, [kernel], [bias], [3]);
    expect(maxAbsDiff(a, b)).toBe(0);
    tf.dispose([a, b]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([table, kernel, bias, ids, idsInt]);
  });

  it('rejects bad shapes, widths and ids with typed errors', () => {
    const table = tf.zeros([V, D]);
    const k3 = tf.zeros([3 * D, F]);
    const b = tf.zeros([F]);
    const ids = tf.tensor2d([[1, 2, 0]], [1, 3], 'int32');
    expect(() => charCnn(tf.tensor1d([1, 2], 'int32'), table, [k3], [b], [3])).toThrow(ShapeError);
    expect(() => charCnn(tf.zeros([2, 0], 'int32'), table, [k3], [b], [3])).toThrow(ShapeError);
    expect(() => charCnn(ids, tf.zeros([V]), [k3], [b], [3])).toThrow(ShapeError);
    expect(() => charCnn(ids, table, [k3], [b], [2])).toThrow(ShapeError);
    expect(() => charCnn(ids, table, [k3], [b], [2])).toThrow(`kernels[0] must have shape [${2 * D}, F] (= [w·d, F]), got [${3 * D}, ${F}]`);
    expect(() => charCnn(ids, table, [k3], [tf.zeros([F + 1])], [3])).toThrow(ShapeError);
    expect(() => charCnn(ids, table, [k3, tf.zeros([2 * D, F + 1])], [b, b], [3, 2])).toThrow(ShapeError);
    expect(() => charCnn(ids, table, [k3], [b, b], [3])).toThrow(ValueError);
    expect(() => charCnn(ids, table, [], [], [])).toThrow(ValueError);
    expect(() => charCnn(ids, table, [k3], [b], [0])).toThrow(ValueError);
    const bad = tf.tensor2d([[1, V, 0]], [1, 3], 'int32');
    expect(() => charCnn(bad, table, [k3], [b], [3])).toThrow(ValueError);
    expect(() => charCnn(bad, table, [k3], [b], [3])).toThrow(`ids must lie in [0, ${V}), got ${V} at flat index 1`);
    const negative = tf.tensor2d([[-1, 0, 0]], [1, 3], 'int32');
    expect(() => charCnn(negative, table, [k3], [b], [3])).toThrow(ValueError);
    tf.dispose([bad, negative]);
    tf.dispose([table, k3, b, ids]);
  });
});

describe.each(BACKENDS)('FusedCharCNN on %s', (backend) => {
  beforeAll(() => activate(backend));

  it.each([[[3]], [[2, 3, 4]]])('matches the composition with copied weights, widths %j', (widths) => {
    const C = 7;
    const reference = composition(C, widths);
    const fused = fusedModel(C, widths);
    expect(fused.getWeights().map((w) => w.shape)).toEqual(reference.getWeights().map((w) => w.shape));
    expect(fused.weights.map((w) => w.name.split('/').pop())).toEqual(['embeddings', ...widths.flatMap((w) => [`kernel_w${w}`, `bias_w${w}`])]);
    fused.setWeights(reference.getWeights());
    const ids = charIds([[7, 3, 1, 0], [2, 5, 6, 4]], C, 5);
    const a = reference.predict(ids) as tf.Tensor;
    const b = fused.predict(ids) as tf.Tensor;
    expect(b.shape).toEqual([2, 4, F * widths.length]);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-5);
    const probe = seeded([2, 4, F * widths.length], 9);
    const g = (m: tf.LayersModel) => grads(() => m.apply(ids) as tf.Tensor, m.trainableWeights.map((w) => w.read() as tf.Variable), probe);
    const ga = g(reference);
    const gb = g(fused);
    ga.forEach((x, i) => expect(maxAbsDiff(gb[i], x)).toBeLessThan(1e-5));
    tf.dispose([ids, a, b, probe, ...ga, ...gb]);
    reference.dispose();
    fused.dispose();
  });

  it('trains with an optimizer without leaking tensors', () => {
    const model = fusedModel(5, [2, 3]);
    const ids = charIds([[5, 2], [1, 4]], 5, 1);
    const target = seeded([2, 2, 2 * F], 4);
    const optimizer = tf.train.adam(0.05);
    const loss = () => tf.mean(tf.square(tf.sub(model.apply(ids) as tf.Tensor, target))) as tf.Scalar;
    const first = loss();
    const start = first.dataSync()[0];
    first.dispose();
    optimizer.minimize(loss); // creates the optimizer's slots
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) optimizer.minimize(loss);
    expect(tf.memory().numTensors).toBe(before);
    const last = loss();
    expect(last.dataSync()[0]).toBeLessThan(start);
    tf.dispose([last, ids, target]);
    optimizer.dispose();
    model.dispose();
  });

  it('takes initial weights and seeds its initializers', () => {
    const widths = [2, 3];
    const init = [seeded([V, D], 1), seeded([2 * D, F], 2), seeded([F], 3), seeded([3 * D, F], 4), seeded([F], 5)];
    const layer = new FusedCharCNN({ inputDim: V, outputDim: D, filters: F, widths, weights: init });
    layer.apply(tf.input({ shape: [3, 4], dtype: 'int32' }));
    layer.getWeights().forEach((w, i) => expect(maxAbsDiff(w, init[i])).toBe(0));
    const seededWeights = (seed: number) => {
      const l = new FusedCharCNN({ inputDim: V, outputDim: D, filters: F, widths, seed });
      l.apply(tf.input({ shape: [3, 4], dtype: 'int32' }));
      return l.getWeights();
    };
    const [x, y, z] = [seededWeights(1), seededWeights(1), seededWeights(2)];
    x.forEach((w, i) => expect(maxAbsDiff(w, y[i])).toBe(0));
    expect(maxAbsDiff(x[0], z[0])).toBeGreaterThan(0);
    expect(Math.max(...(x[0].dataSync() as Float32Array).map(Math.abs))).toBeLessThanOrEqual(0.1);
    expect(x[2].dataSync().every((v) => v === 0)).toBe(true);
    expect(layer.computeOutputShape([null, null, 4])).toEqual([null, null, 2 * F]);
    tf.dispose([...init]);
  });

  it('saves and loads with its config', async () => {
    const model = fusedModel(6, [2, 3, 4]);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (x) => ((artifacts = x), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    expect(loaded.layers[1]).toBeInstanceOf(FusedCharCNN);
    expect(loaded.layers[1].getConfig()).toMatchObject({ inputDim: V, outputDim: D, filters: F, widths: [2, 3, 4], seed: 7 });
    const ids = charIds([[6, 3, 1], [2, 0, 5]], 6, 2);
    const a = model.predict(ids) as tf.Tensor;
    const b = loaded.predict(ids) as tf.Tensor;
    expect(maxAbsDiff(a, b)).toBe(0);
    tf.dispose([ids, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('rejects bad arguments and out-of-range ids with typed errors', () => {
    const base = { inputDim: V, outputDim: D, filters: F, widths: [3] };
    expect(() => new FusedCharCNN({ ...base, inputDim: 0 })).toThrow(ValueError);
    expect(() => new FusedCharCNN({ ...base, filters: 2.5 })).toThrow(ValueError);
    expect(() => new FusedCharCNN({ ...base, widths: [] })).toThrow(ValueError);
    expect(() => new FusedCharCNN({ ...base, widths: [3, 3] })).toThrow(ValueError);
    expect(() => new FusedCharCNN({ ...base, widths: [-1] })).toThrow(ValueError);
    const model = fusedModel(3, [3]);
    const bad = tf.tensor3d([[[1, 2, V]]], [1, 1, 3], 'int32');
    expect(() => model.predict(bad)).toThrow(ValueError);
    bad.dispose();
    model.dispose();
  });
});
