import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@twner/backend';
import { type HiddenAct, InvalidOptionError, setTransformerKernels, type TransformerKernels } from '../src';
import { activation, erf } from '../src/model/activations';
import { attentionBlock } from '../src/model/attention-block';
import { scaledDotProductAttention } from '../src/model/attention-core';
import { feedForwardBlock } from '../src/model/feed-forward-block';
import { layerNorm } from '../src/model/layer-norm';
import { linear } from '../src/model/linear';

// The fused ops (one op each, hand-written gradients) against the op-by-op compositions they
// replace, differentiated by tfjs itself: the independent truth.

function naiveLinear(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const [inDim, outDim] = w.shape as [number, number];
  return tf.add(tf.matMul(tf.reshape(x, [-1, inDim]), w), b).reshape([...x.shape.slice(0, -1), outDim]);
}

function naiveLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const centred = tf.sub(x, tf.mean(x, -1, true));
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

function naiveAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, bias: tf.Tensor, scale: number): tf.Tensor {
  return tf.matMul(tf.softmax(tf.add(tf.mul(tf.matMul(q, k, false, true), scale), bias), -1), v);
}

/** max |a − b| / (max |b| + 1e-6) */
function relError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / (tf.max(tf.abs(b)).dataSync()[0] + 1e-6));
}

/** Value and gradients of sum(f(inputs) ⊙ r) for a fixed random r, so every output position matters. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]): { value: tf.Tensor; grads: tf.Tensor[] } {
  const value = tf.tidy(() => f(...inputs));
  const r = tf.randomNormal(value.shape, 0, 1, 'float32', 7);
  const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), r)))(inputs);
  r.dispose();
  return { value, grads };
}

/** max |a − b| */
function absError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Gradients listed in `zeroGradients` are 0 in exact arithmetic: compared absolutely (1e-5). */
function expectSame(f: (...xs: tf.Tensor[]) => tf.Tensor, truth: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], tol: number, zeroGradients: number[] = []): void {
  const ours = valueAndGrads(f, inputs);
  const ref = valueAndGrads(truth, inputs);
  expect(ours.value.shape).toEqual(ref.value.shape);
  expect(relError(ours.value, ref.value)).toBeLessThan(tol);
  ours.grads.forEach((g, i) => {
    expect(g.shape).toEqual(ref.grads[i].shape);
    const error = zeroGradients.includes(i) ? (absError(g, ref.grads[i]) < 1e-5 ? 0 : absError(g, ref.grads[i])) : relError(g, ref.grads[i]) < tol ? 0 : relError(g, ref.grads[i]);
    expect({ input: i, error }).toEqual({ input: i, error: 0 });
  });
  tf.dispose([ours.value, ref.value, ...ours.grads, ...ref.grads]);
}

/** The activation as tfjs ops, differentiated by tfjs (GELU from erf, not the fused op). */
function naiveActivation(act: HiddenAct): (x: tf.Tensor) => tf.Tensor {
  return act === 'gelu' ? (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, erf(tf.mul(x, Math.SQRT1_2)))) : activation(act);
}

it('setTransformerKernels refuses a choice it does not know, naming the three it takes', () => {
  expect(() => setTransformerKernels('wasm' as TransformerKernels)).toThrow(InvalidOptionError);
  expect(() => setTransformerKernels('wasm' as TransformerKernels)).toThrow("setTransformerKernels: option `kernels` expected 'auto', 'simd' or 'tfjs', got \"wasm\"");
});

// every block on both backends, with the attention core and GELU on the SIMD kernels and op by op
describe.each([
  ['cpu', 'simd'],
  ['cpu', 'tfjs'],
  ['wasm', 'simd'],
  ['wasm', 'tfjs'],
] as const)('fused BERT ops on %s, transformer kernels %s', (backend, kernels) => {
  let previous: TransformerKernels;
  beforeAll(async () => {
    await useBackend(backend);
    previous = setTransformerKernels(kernels);
  });
  afterAll(() => setTransformerKernels(previous));

  it('linear: x·W + b and its gradients (x, W, b) match the composition', () => {
    const before = tf.memory().numTensors;
    const inputs = [tf.randomNormal([2, 5, 6], 0, 1, 'float32', 1), tf.randomNormal([6, 4], 0, 1, 'float32', 2), tf.randomNormal([4], 0, 1, 'float32', 3)];
    expectSame((x, w, b) => linear(x, w as tf.Tensor2D, b as tf.Tensor1D), naiveLinear, inputs, 1e-5);
    tf.dispose(inputs);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('layerNorm: values and gradients (x, γ, β) match the composition, also for rows of very different scale', () => {
    const before = tf.memory().numTensors;
    const x = tf.tidy(() => tf.mul(tf.randomNormal([3, 4, 8], 0, 1, 'float32', 4), tf.tensor1d([1e-2, 1, 30]).reshape([3, 1, 1])));
    const inputs = [x, tf.randomNormal([8], 1, 0.5, 'float32', 5), tf.randomNormal([8], 0, 1, 'float32', 6)];
    expectSame((a, g, b) => layerNorm(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-12), (a, g, b) => naiveLayerNorm(a, g, b, 1e-12), inputs, 1e-4);
    tf.dispose(inputs);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('scaledDotProductAttention: softmax(QKᵀ·s + bias)·V and its gradients (Q, K, V) match the composition, padding masked', () => {
    const before = tf.memory().numTensors;
    const [B, heads, T, D] = [2, 3, 5, 4];
    // sequence 1 has two padding positions
    const bias = tf.tensor4d([0, 0, 0, 0, 0, 0, 0, 0, -3.4e38, -3.4e38], [B, 1, 1, T]);
    const inputs = [1, 2, 3].map((s) => tf.randomNormal([B, heads, T, D], 0, 1, 'float32', 10 + s));
    const scale = 1 / Math.sqrt(D);
    expectSame(
      (q, k, v) => scaledDotProductAttention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D, bias, scale, 0.1, false),
      (q, k, v) => naiveAttention(q, k, v, bias, scale),
      inputs,
      1e-5,
    );
    tf.dispose([bias, ...inputs]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('scaledDotProductAttention with dropout: the output is a masked, rescaled mix of V rows and the gradients are finite', () => {
    const before = tf.memory().numTensors;
    const [B, heads, T, D] = [1, 2, 6, 3];
    const bias = tf.zeros([B, 1, 1, T]) as tf.Tensor4D;
    const [q, k] = [1, 2].map((s) => tf.randomNormal([B, heads, T, D], 0, 1, 'float32', 20 + s)) as tf.Tensor4D[];
    // V = 1 everywhere: each output value is the sum of the kept, rescaled probabilities of its row
    const v = tf.ones([B, heads, T, D]) as tf.Tensor4D;
    const rate = 0.5;
    const { value, grads } = valueAndGrads((a, b, c) => scaledDotProductAttention(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D, bias, 0.5, rate, true), [q, k, v]);
    const rows = value.arraySync() as number[][][][];
    // every row is constant across D and lies in [0, 1 / (1 − rate)]
    for (const row of rows.flat(2)) {
      expect(Math.max(...row) - Math.min(...row)).toBeLessThan(1e-6);
      expect(row[0]).toBeGreaterThanOrEqual(-1e-6);
      expect(row[0]).toBeLessThanOrEqual(1 / (1 - rate) + 1e-5);
    }
    for (const g of grads) expect(tf.tidy(() => tf.all(tf.isFinite(g)).dataSync()[0])).toBe(1);
    tf.dispose([bias, q, k, v, value, ...grads]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(['gelu', 'gelu_new', 'relu', 'silu', 'tanh'] as HiddenAct[])(
    'feedForwardBlock (%s): LayerNorm(act(x·W₁ + b₁)·W₂ + b₂ + x) and all 7 gradients match the composition',
    (act) => {
      const before = tf.memory().numTensors;
      const [N, H, I] = [6, 4, 10];
      const inputs = [[N, H], [H, I], [I], [I, H], [H], [H], [H]].map((shape, i) => tf.randomNormal(shape, i === 5 ? 1 : 0, 1, 'float32', 30 + i));
      const ours = (...t: tf.Tensor[]) =>
        feedForwardBlock(t[0] as tf.Tensor2D, { inner: t[1] as tf.Tensor2D, innerBias: t[2] as tf.Tensor1D, outer: t[3] as tf.Tensor2D, outerBias: t[4] as tf.Tensor1D, gamma: t[5] as tf.Tensor1D, beta: t[6] as tf.Tensor1D }, act, 1e-12, 0.1, false);
      const truth = (...t: tf.Tensor[]) => naiveLayerNorm(tf.add(naiveLinear(naiveActivation(act)(naiveLinear(t[0], t[1], t[2])), t[3], t[4]), t[0]), t[5], t[6], 1e-12);
      expectSame(ours, truth, inputs, 1e-4);
      tf.dispose(inputs);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('attentionBlock: BertAttention (Q, K, V, per-head attention, output dense, residual, LayerNorm) and all 11 gradients match the composition', () => {
    const before = tf.memory().numTensors;
    const [B, T, H, heads] = [2, 5, 6, 2];
    const bias = tf.tensor4d([0, 0, 0, 0, 0, 0, 0, 0, -3.4e38, -3.4e38], [B, 1, 1, T]);
    const shapes = [[B, T, H], [H, H], [H], [H, H], [H], [H, H], [H], [H, H], [H], [H], [H]];
    const inputs = shapes.map((shape, i) => tf.randomNormal(shape, i === 9 ? 1 : 0, 1, 'float32', 40 + i));
    const ours = (...t: tf.Tensor[]) =>
      attentionBlock(
        t[0] as tf.Tensor3D,
        bias,
        {
          query: t[1] as tf.Tensor2D, queryBias: t[2] as tf.Tensor1D, key: t[3] as tf.Tensor2D, keyBias: t[4] as tf.Tensor1D,
          value: t[5] as tf.Tensor2D, valueBias: t[6] as tf.Tensor1D, output: t[7] as tf.Tensor2D, outputBias: t[8] as tf.Tensor1D,
          gamma: t[9] as tf.Tensor1D, beta: t[10] as tf.Tensor1D,
        },
        { heads, eps: 1e-12, attentionDropout: 0.1, hiddenDropout: 0.1, training: false },
      );
    const truth = (...t: tf.Tensor[]) => {
      const split = (x: tf.Tensor) => tf.transpose(tf.reshape(x, [B, T, heads, H / heads]), [0, 2, 1, 3]);
      const context = naiveAttention(split(naiveLinear(t[0], t[1], t[2])), split(naiveLinear(t[0], t[3], t[4])), split(naiveLinear(t[0], t[5], t[6])), bias, 1 / Math.sqrt(H / heads));
      const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [B, T, H]);
      return naiveLayerNorm(tf.add(naiveLinear(merged, t[7], t[8]), t[0]), t[9], t[10], 1e-12);
    };
    // the key bias's gradient is 0: softmax ignores a constant added to every score of a query
    expectSame(ours, truth, inputs, 1e-4, [4]);
    tf.dispose([bias, ...inputs]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the fused blocks with dropout in training mode: finite values and gradients, nothing leaked', () => {
    const before = tf.memory().numTensors;
    const [N, H, I] = [8, 4, 6];
    const inputs = [[N, H], [H, I], [I], [I, H], [H], [H], [H]].map((shape, i) => tf.randomNormal(shape, 0, 1, 'float32', 60 + i));
    const { value, grads } = valueAndGrads(
      (...t: tf.Tensor[]) =>
        feedForwardBlock(t[0] as tf.Tensor2D, { inner: t[1] as tf.Tensor2D, innerBias: t[2] as tf.Tensor1D, outer: t[3] as tf.Tensor2D, outerBias: t[4] as tf.Tensor1D, gamma: t[5] as tf.Tensor1D, beta: t[6] as tf.Tensor1D }, 'gelu', 1e-12, 0.5, true),
      inputs,
    );
    for (const t of [value, ...grads]) expect(tf.tidy(() => tf.all(tf.isFinite(t)).dataSync()[0])).toBe(1);
    tf.dispose([value, ...grads, ...inputs]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
