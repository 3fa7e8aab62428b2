import * as tf from '@tensorflow/tfjs';
import { attentionBackward, attentionForward, geluBackward, geluForward, type AttentionLayout, ShapeError, ValueError } from '../src';
import { activate, BACKENDS, maxAbsDiff, seeded } from './helpers';

// The truth: the same attention written op by op in tfjs ([B, heads, T, D] after explicit
// head splits), differentiated by tfjs' autodiff.

function split(x: tf.Tensor, { batch, seqLen, heads }: AttentionLayout): tf.Tensor4D {
  return tf.transpose(tf.reshape(x, [batch, seqLen, heads, -1]), [0, 2, 1, 3]) as tf.Tensor4D;
}

function merge(x: tf.Tensor): tf.Tensor2D {
  const [b, h, t, d] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [b * t, h * d]) as tf.Tensor2D;
}

function reference(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, bias: tf.Tensor, layout: AttentionLayout, scale: number, mask: tf.Tensor | null) {
  const b4 = tf.reshape(bias, [layout.batch, 1, 1, layout.seqLen]);
  const probs = tf.softmax(tf.add(tf.mul(tf.matMul(split(q, layout), split(k, layout), false, true), scale), b4), -1);
  const kept = mask ? tf.mul(probs, mask) : probs;
  return { probs, context: merge(tf.matMul(kept, split(v, layout))) };
}

/** [B, T] additive mask: the last `pad[b]` keys of sequence b get −10000 (BERT's padding). */
function paddingBias(batch: number, seqLen: number, pad: number[]): tf.Tensor2D {
  const data = new Float32Array(batch * seqLen);
  for (let b = 0; b < batch; b++) for (let t = seqLen - pad[b]; t < seqLen; t++) data[b * seqLen + t] = -10000;
  return tf.tensor2d(data, [batch, seqLen]);
}

function dropout(shape: number[], seed: number, rate: number): tf.Tensor4D {
  return tf.tidy(() => tf.mul(tf.cast(tf.greaterEqual(tf.randomUniform(shape, 0, 1, 'float32', seed), rate), 'float32'), 1 / (1 - rate))) as tf.Tensor4D;
}

describe.each(BACKENDS)('attention kernels on %s', (backend) => {
  beforeAll(() => activate(backend));

  // head widths with and without a SIMD tail, odd sequence lengths, one and several heads
  it.each([
    [{ batch: 2, seqLen: 7, heads: 2 }, 8, true],
    [{ batch: 3, seqLen: 5, heads: 3 }, 5, false],
    [{ batch: 1, seqLen: 13, heads: 4 }, 64, true],
    [{ batch: 2, seqLen: 1, heads: 1 }, 4, false],
  ] as const)('%j, D = %d, dropout %s: context, probabilities and dQ, dK, dV match tfjs op by op', (layout, depth, withMask) => {
    const start = tf.memory().numTensors;
    const size = layout.heads * depth;
    const n = layout.batch * layout.seqLen;
    const scale = 1 / Math.sqrt(depth);
    const q = seeded([n, size], 1, 2) as tf.Tensor2D;
    const k = seeded([n, size], 2, 2) as tf.Tensor2D;
    const v = seeded([n, size], 3) as tf.Tensor2D;
    const dc = seeded([n, size], 4) as tf.Tensor2D;
    const bias = paddingBias(layout.batch, layout.seqLen, Array.from({ length: layout.batch }, (_, b) => Math.min(b * 2, layout.seqLen - 1)));
    const mask = withMask ? dropout([layout.batch, layout.heads, layout.seqLen, layout.seqLen], 5, 0.3) : null;

    const ours = attentionForward(q, k, v, bias, layout, scale, mask);
    const truth = tf.tidy(() => reference(q, k, v, bias, layout, scale, mask));
    expect(maxAbsDiff(ours.context, truth.context)).toBeLessThan(1e-5);
    expect(maxAbsDiff(ours.probs, truth.probs)).toBeLessThan(1e-6);
    if (!mask) expect(ours.kept).toBe(ours.probs);

    const [dq, dk, dv] = attentionBackward(dc, { query: q, key: k, value: v, probs: ours.probs, kept: ours.kept, mask }, layout, scale);
    const grads = tf.tidy(() => tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(reference(a, b, c, bias, layout, scale, mask).context, dc)))([q, k, v]));
    expect(maxAbsDiff(dq, grads[0])).toBeLessThan(2e-5);
    expect(maxAbsDiff(dk, grads[1])).toBeLessThan(2e-5);
    expect(maxAbsDiff(dv, grads[2])).toBeLessThan(2e-5);
    // the gradients are not trivially small, so the comparisons can fail (with one key, the
    // softmax is constant and dQ = dK = 0)
    const largest = (t: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(t)).dataSync()[0]);
    expect(largest(grads[2])).toBeGreaterThan(1e-2);
    if (layout.seqLen > 1) expect(largest(grads[0])).toBeGreaterThan(1e-2);

    tf.dispose([q, k, v, dc, bias, ...(mask ? [mask] : []), ours.context, ours.probs, ours.kept, truth.probs, truth.context, dq, dk, dv, ...grads]);
    expect(tf.memory().numTensors).toBe(start);
  });

  it.each([-10000, -3.4028234663852886e38])('a padded key (bias %d) gets probability exactly 0, as in tfjs', (masked) => {
    const layout = { batch: 1, seqLen: 6, heads: 1 };
    const q = seeded([6, 4], 7) as tf.Tensor2D;
    // key 1 goes through the SIMD exp, key 5 through the scalar tail
    const bias = tf.tensor2d([[0, masked, 0, 0, 0, masked]]);
    const out = attentionForward(q, q, q, bias, layout, 0.5);
    const p = out.probs.dataSync();
    for (let i = 0; i < 6; i++) expect([p[i * 6 + 1], p[i * 6 + 5]]).toEqual([0, 0]);
    tf.dispose([q, bias, out.context, out.probs]);
  });

  it('results are tensors of their own: a later call does not change an earlier result', () => {
    const layout = { batch: 1, seqLen: 4, heads: 2 };
    const a = seeded([4, 8], 21) as tf.Tensor2D;
    const b = seeded([4, 8], 22) as tf.Tensor2D;
    const bias = tf.zeros([1, 4]);
    const first = attentionForward(a, a, a, bias, layout, 0.5);
    const before = first.context.arraySync();
    const second = attentionForward(b, b, b, bias, layout, 0.5);
    const g = geluForward(b);
    expect(first.context.arraySync()).toEqual(before);
    expect(maxAbsDiff(first.context, second.context)).toBeGreaterThan(1e-3);
    tf.dispose([a, b, bias, first.context, first.probs, second.context, second.probs, g]);
  });

  it('refuses a layout that does not fit the tensors, naming the argument', () => {
    const q = tf.zeros([6, 8]) as tf.Tensor2D;
    const bias = tf.zeros([2, 3]);
    expect(() => attentionForward(q, q, q, bias, { batch: 2, seqLen: 3, heads: 3 }, 1)).toThrow(ValueError);
    expect(() => attentionForward(q, q, q, bias, { batch: 2, seqLen: 3, heads: 3 }, 1)).toThrow(/layout\.heads must divide the hidden size 8, got 3/);
    expect(() => attentionForward(q, q, q, bias, { batch: 3, seqLen: 3, heads: 2 }, 1)).toThrow(ShapeError);
    expect(() => attentionForward(q, q, q, tf.zeros([5]), { batch: 2, seqLen: 3, heads: 2 }, 1)).toThrow(/bias must hold B·T = 6 values/);
    tf.dispose([q, bias]);
  });
});

describe.each(BACKENDS)('GELU kernels on %s', (backend) => {
  beforeAll(() => activate(backend));

  it('x·Φ(x) and its derivative match the published formula in float64 (erf by series), over [-10, 10] and odd sizes', () => {
    // erf by its Maclaurin series for |z| ≤ 3, by the asymptotic continued fraction beyond: the
    // independent truth, in float64
    const erf = (z: number): number => {
      const a = Math.abs(z);
      if (a > 3) {
        let f = 0;
        for (let n = 60; n >= 1; n--) f = (n / 2) / (a + f);
        return Math.sign(z) * (1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / (a + f));
      }
      let term = a;
      let sum = a;
      for (let n = 1; n < 80; n++) {
        term *= (-a * a) / n;
        sum += term / (2 * n + 1);
      }
      return Math.sign(z) * (2 / Math.sqrt(Math.PI)) * sum;
    };
    const xs = Array.from({ length: 2001 }, (_, i) => -10 + i / 100).concat([0, -0, 1e-8, -1e-8, 30, -30]);
    const start = tf.memory().numTensors;
    const x = tf.tensor1d(xs);
    const dy = seeded([xs.length], 9, 3);
    const yT = geluForward(x);
    const dxT = geluBackward(x, dy);
    const y = yT.dataSync();
    const dx = dxT.dataSync();
    const dyv = dy.dataSync();
    let worstY = 0;
    let worstD = 0;
    xs.forEach((v, i) => {
      const cdf = 0.5 * (1 + erf(v / Math.SQRT2));
      const pdf = Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI);
      worstY = Math.max(worstY, Math.abs(y[i] - v * cdf));
      worstD = Math.max(worstD, Math.abs(dx[i] - dyv[i] * (cdf + v * pdf)));
    });
    // A&S 7.1.26's 1.5e-7, times |x| ≤ 10, plus float32 rounding
    expect(worstY).toBeLessThan(2e-6);
    expect(worstD).toBeLessThan(2e-6);
    tf.dispose([x, dy, yT, dxT]);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('keeps the shape, leaks no tensor, and refuses a dy of another size', () => {
    const start = tf.memory().numTensors;
    const x = seeded([3, 5, 7], 11, 4);
    const y = geluForward(x);
    expect(y.shape).toEqual([3, 5, 7]);
    const wrong = tf.zeros([3]);
    expect(() => geluBackward(x, wrong)).toThrow(/dy must have shape \[3, 5, 7\], got \[3\]/);
    tf.dispose([x, y, wrong]);
    expect(tf.memory().numTensors).toBe(start);
  });
});
