import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@twner/backend';
import { AdamW, clipGradsByGlobalNorm, erf, gelu, geluTanh, linearSchedule, maskedCrossEntropy, noDecayForBiasAndLayerNorm } from '../src';

beforeAll(() => useBackend('cpu'));

describe('AdamW', () => {
  it('follows torch.optim.AdamW step for step, decoupled decay skipped for excluded names', () => {
    const [lr, b1, b2, eps, wd] = [0.1, 0.9, 0.999, 1e-8, 0.5];
    const w = tf.variable(tf.tensor1d([1, -2]), true, 'adamw-test/layer.weight');
    const b = tf.variable(tf.tensor1d([0.5]), true, 'adamw-test/layer.bias');
    const opt = new AdamW({ learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd, excludeFromWeightDecay: noDecayForBiasAndLayerNorm });
    // reference in float64: torch's update written out
    const ref = { w: [1, -2], b: [0.5] };
    const m = { w: [0, 0], b: [0] };
    const v = { w: [0, 0], b: [0] };
    const grads = [{ w: [0.3, -1], b: [2] }, { w: [-0.2, 0.5], b: [-1] }, { w: [1, 1], b: [0.1] }];
    grads.forEach((g, i) => {
      const t = i + 1;
      for (const k of ['w', 'b'] as const) {
        ref[k] = ref[k].map((p, j) => {
          const decayed = k === 'w' ? p * (1 - lr * wd) : p;
          m[k][j] = b1 * m[k][j] + (1 - b1) * g[k][j];
          v[k][j] = b2 * v[k][j] + (1 - b2) * g[k][j] ** 2;
          return decayed - (lr / (1 - b1 ** t)) * (m[k][j] / (Math.sqrt(v[k][j]) / Math.sqrt(1 - b2 ** t) + eps));
        });
      }
      const gw = tf.tensor1d(g.w);
      const gb = tf.tensor1d(g.b);
      opt.applyGradients({ [w.name]: gw, [b.name]: gb });
      tf.dispose([gw, gb]);
    });
    Array.from(w.dataSync()).forEach((x, j) => expect(x).toBeCloseTo(ref.w[j], 6));
    expect(b.dataSync()[0]).toBeCloseTo(ref.b[0], 6);
    expect(opt.stepCount).toBe(3);
    opt.dispose();
    tf.dispose([w, b]);
  });
});

describe('linearSchedule', () => {
  it('warms up linearly from 0 then decays linearly to 0, as get_linear_schedule_with_warmup', () => {
    const s = linearSchedule({ learningRate: 1, warmupSteps: 2, totalSteps: 6 });
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(s)).toEqual([0, 0.5, 1, 0.75, 0.5, 0.25, 0, 0]);
  });
});

describe('clipGradsByGlobalNorm', () => {
  it('scales by maxNorm / (norm + 1e-6) when the global norm is larger, and leaves smaller gradients alone', () => {
    const grads = { a: tf.tensor1d([3]), b: tf.tensor1d([4]) };
    const big = clipGradsByGlobalNorm(grads, 1);
    expect(big.norm).toBeCloseTo(5, 6);
    expect(big.grads.a.dataSync()[0]).toBeCloseTo(3 / (5 + 1e-6), 6);
    const small = clipGradsByGlobalNorm(grads, 10);
    expect(small.grads.b.dataSync()[0]).toBe(4);
    tf.dispose([grads.a, grads.b, ...Object.values(big.grads), ...Object.values(small.grads)]);
  });

  it('with consume, disposes each input gradient and returns the same clipped values, leaking nothing', () => {
    const before = tf.memory().numTensors;
    const grads = { a: tf.tensor1d([3]), b: tf.tensor1d([4]) };
    const clipped = clipGradsByGlobalNorm(grads, 1, { consume: true });
    expect(grads.a.isDisposed && grads.b.isDisposed).toBe(true);
    expect(clipped.norm).toBeCloseTo(5, 6);
    expect(Array.from(clipped.grads.b.dataSync())[0]).toBeCloseTo(4 / (5 + 1e-6), 6);
    const kept = { c: tf.tensor1d([0.5]) };
    const unchanged = clipGradsByGlobalNorm(kept, 1, { consume: true });
    expect(kept.c.isDisposed).toBe(true);
    expect(unchanged.grads.c.dataSync()[0]).toBe(0.5);
    tf.dispose([...Object.values(clipped.grads), ...Object.values(unchanged.grads)]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with consume, clips a tensor given under two names once and gives both names its value', () => {
    const before = tf.memory().numTensors;
    const g = tf.tensor1d([30, 40]);
    const clipped = clipGradsByGlobalNorm({ a: g, b: g }, 1, { consume: true });
    expect(clipped.norm).toBeCloseTo(Math.sqrt(2) * 50, 4);
    const expected = Math.fround(30 * Math.fround(1 / (Math.sqrt(2) * 50 + 1e-6)));
    expect(clipped.grads.a.dataSync()[0]).toBeCloseTo(expected, 6);
    expect(clipped.grads.b.dataSync()[0]).toBeCloseTo(expected, 6);
    tf.dispose(Object.values(clipped.grads));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses an option it does not take', () => {
    expect(() => clipGradsByGlobalNorm({}, 1, { inPlace: true } as never)).toThrow(/clipGradsByGlobalNorm/);
  });
});

describe('maskedCrossEntropy', () => {
  it('averages −log softmax over labelled positions only, ignoring -100', () => {
    const logits = tf.tensor3d([[[0, 0], [2, 0], [5, 5]]]);
    const labels = tf.tensor2d([[0, 1, -100]], undefined, 'int32');
    const expected = (Math.log(2) + Math.log(1 + Math.exp(2))) / 2;
    expect(maskedCrossEntropy(logits, labels).dataSync()[0]).toBeCloseTo(expected, 6);
    tf.dispose([logits, labels]);
  });

  it('works with a single label class, where tf.oneHot would refuse depth 1', () => {
    const logits = tf.tensor3d([[[1.5], [0.2]]]);
    const labels = tf.tensor2d([[0, -100]], undefined, 'int32');
    expect(maskedCrossEntropy(logits, labels).dataSync()[0]).toBeCloseTo(0, 7);
    tf.dispose([logits, labels]);
  });
});

describe('activations', () => {
  // erf by its Maclaurin series (accurate in float64 for |x| ≤ 3)
  const erfRef = (x: number) => {
    let sum = 0;
    let term = x;
    for (let n = 0; n < 80; n++) {
      sum += term / (2 * n + 1);
      term *= (-x * x) / (n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  };
  const xs = Array.from({ length: 61 }, (_, i) => -3 + i * 0.1);

  it('computes erf within 1e-6', () => {
    const x = tf.tensor1d(xs);
    const y = erf(x);
    Array.from(y.dataSync()).forEach((v, i) => expect(Math.abs(v - erfRef(xs[i]))).toBeLessThan(1e-6));
    tf.dispose([x, y]);
  });

  it('computes exact GELU and its derivative Φ(x) + x·φ(x)', () => {
    const x = tf.tensor1d(xs);
    const y = gelu(x);
    const dy = tf.grad((t: tf.Tensor) => gelu(t))(x);
    const cdf = (z: number) => 0.5 * (1 + erfRef(z / Math.SQRT2));
    Array.from(y.dataSync()).forEach((v, i) => expect(Math.abs(v - xs[i] * cdf(xs[i]))).toBeLessThan(1e-6));
    Array.from(dy.dataSync()).forEach((v, i) =>
      expect(Math.abs(v - (cdf(xs[i]) + (xs[i] * Math.exp(-0.5 * xs[i] ** 2)) / Math.sqrt(2 * Math.PI)))).toBeLessThan(1e-6),
    );
    tf.dispose([x, y, dy]);
  });

  it('computes the tanh GELU of gelu_new', () => {
    const x = tf.tensor1d([-1, 0.5, 2]);
    const y = geluTanh(x);
    const ref = (z: number) => 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3)));
    Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(ref([-1, 0.5, 2][i]), 6));
    tf.dispose([x, y]);
  });
});
