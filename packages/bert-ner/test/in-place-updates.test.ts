import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@twner/backend';
import { AdamW, type AdamWOptions, clipGradsByGlobalNorm } from '../src';

// On the wasm backend AdamW fuses its update into one pass and clipGradsByGlobalNorm scales the
// gradients it alone owns in place; the op-by-op path (the cpu backend's, or the wasm one taken
// when memory is shared) is the independent truth they must match bit for bit.

beforeAll(() => useBackend('wasm'));

/** Deterministic values spanning several magnitudes (tiny ones make ε matter in AdamW). */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 2 ** 32 - 0.5;
    out[i] = u * 10 ** ((i % 7) - 4);
  }
  return out;
}

/** A variable that alone owns its memory (the initial tensor freed, as models build theirs). */
const variable = (init: Float32Array, name: string): tf.Variable => tf.tidy(() => tf.variable(tf.tensor1d(init), true, name));

const bits = (t: tf.Tensor): number[] => Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer));

/** AdamW steps on `backend` from `init` with the gradients `grads`: θ's bits at the end. */
async function adamwRun(backend: 'cpu' | 'wasm', init: Float32Array, grads: Float32Array[], name: string, options: AdamWOptions): Promise<number[]> {
  await useBackend(backend);
  const before = tf.memory().numTensors;
  const theta = variable(init, name);
  const optimizer = new AdamW(options);
  for (const values of grads) {
    const g = tf.tensor1d(values);
    optimizer.applyGradients({ [theta.name]: g });
    g.dispose();
  }
  const result = bits(theta);
  optimizer.dispose();
  theta.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

describe('AdamW fused on wasm', () => {
  afterAll(() => useBackend('wasm'));

  it.each([
    ['with weight decay', 'fused-test/a.weight', { learningRate: 0.01, weightDecay: 0.1 }],
    ['with decay excluded for the name', 'fused-test/a.bias', { learningRate: 0.1, weightDecay: 0.5, excludeFromWeightDecay: (n: string) => n.endsWith('.bias') }],
  ] as const)('gives the bits of the op-by-op update on the cpu backend, %s', async (_, name, options) => {
    const n = 4099; // not a multiple of the SIMD width
    const init = values(n, 1);
    const grads = [0, 1, 2].map((i) => values(n, 100 + i));
    const cpu = await adamwRun('cpu', init, grads, name, options);
    const wasm = await adamwRun('wasm', init, grads, name, options);
    expect(wasm).toEqual(cpu);
    expect(wasm).not.toEqual(Array.from(new Uint32Array(init.buffer))); // it did move
  });

  it('writes m and v in place and θ into a new tensor, so matrix products see the new weights', async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const w = variable(values(64, 5), 'fused-test/matmul.weight');
    const x = tf.tensor2d(values(3 * 8, 6), [3, 8]);
    const weight = (): tf.Tensor2D => w.reshape([8, 8]) as tf.Tensor2D;
    const product = (): number[] => tf.tidy(() => bits(tf.matMul(x, weight())));
    product(); // the backend may now hold w packed for its matrix product
    const optimizer = new AdamW({ learningRate: 0.1 });
    const g = tf.tensor1d(values(64, 7));
    optimizer.applyGradients({ [w.name]: g });
    const [iterations, m] = await optimizer.getWeights();
    iterations.tensor.dispose();
    const mId = m.tensor.dataId;
    const wId = w.dataId;
    optimizer.applyGradients({ [w.name]: g });
    const fresh = tf.tidy(() => bits(tf.matMul(x, tf.add(weight(), 0) as tf.Tensor2D))); // a copy: packed anew
    expect(product()).toEqual(fresh); // fails if θ's memory is written under the packed weights' id
    expect(m.tensor.dataId).toBe(mId); // in place
    expect(w.dataId).not.toBe(wId); // a new tensor
    optimizer.dispose();
    tf.dispose([w, x, g]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('clipGradsByGlobalNorm in place on wasm', () => {
  it('with consume, scales a gradient it alone owns in place to the bits of tf.mul, and copies a shared one', () => {
    const before = tf.memory().numTensors;
    const ga = tf.tensor1d(values(1001, 3).map((x) => x * 1e4));
    const gb = tf.tensor1d(values(5, 4).map((x) => x * 1e4));
    const keep = tf.clone(gb); // gb shared: it must not be written
    const keepBits = bits(keep);
    const expected = clipGradsByGlobalNorm({ a: ga, b: gb }, 1); // no consume: the op path
    const clipped = clipGradsByGlobalNorm({ a: ga, b: gb }, 1, { consume: true });
    expect(clipped.norm).toBe(expected.norm);
    expect(clipped.grads.a).toBe(ga); // the same tensor, scaled in place
    expect(ga.isDisposed).toBe(false);
    expect(bits(clipped.grads.a)).toEqual(bits(expected.grads.a));
    expect(clipped.grads.b).not.toBe(gb);
    expect(bits(clipped.grads.b)).toEqual(bits(expected.grads.b));
    expect(bits(keep)).toEqual(keepBits);
    tf.dispose([keep, ...Object.values(expected.grads), ...Object.values(clipped.grads)]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('scales a tensor given under two names once, as the op path gives both names its scaled value', () => {
    const before = tf.memory().numTensors;
    const g = tf.tensor1d(values(33, 9).map((x) => x * 1e4));
    const copy = tf.add(g, 0); // the same values in memory of its own
    const expected = clipGradsByGlobalNorm({ a: copy, b: copy }, 1);
    const clipped = clipGradsByGlobalNorm({ a: g, b: g }, 1, { consume: true });
    expect(clipped.norm).toBe(expected.norm);
    expect(bits(clipped.grads.a)).toEqual(bits(expected.grads.a));
    expect(bits(clipped.grads.b)).toEqual(bits(expected.grads.b));
    tf.dispose([copy, ...Object.values(expected.grads), ...Object.values(clipped.grads)]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
