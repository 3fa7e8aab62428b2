import * as tf from '@tensorflow/tfjs';
import { clippedStep } from '../src/train/clip';

// f(a, b) = Σ c_a·a² + Σ c_b·b: its gradient is (2·c_a·a, c_b), known in closed form, so one SGD step
// with rate 1 must move (a, b) by exactly that gradient times min(1, maxNorm / ‖gradient‖).
const a0 = [1, -2, 0.5];
const b0 = [3, 4];
const ca = [1, 0.5, 2];
const cb = [-1, 2];

function step(maxNorm: number): { a: number[]; b: number[]; clipped: number; loss: number; held: number } {
  const a = tf.variable(tf.tensor1d(a0));
  const b = tf.variable(tf.tensor1d(b0));
  const sgd = tf.train.sgd(1);
  const clipped = { steps: 0 };
  const f = () => tf.add(tf.sum(tf.mul(tf.tensor1d(ca), tf.square(a))), tf.sum(tf.mul(tf.tensor1d(cb), b))) as tf.Scalar;
  // SGD keeps its rate as a tensor from its first step on: take one unclipped step first
  sgd.applyGradients({ [a.name]: tf.zerosLike(a), [b.name]: tf.zerosLike(b) });
  const before = tf.memory().numTensors;
  const lossTensor = clippedStep(sgd, f, [a, b], maxNorm, clipped);
  // what the step left behind besides the loss it returns
  const held = tf.memory().numTensors - before - 1;
  const out = { a: Array.from(a.dataSync()), b: Array.from(b.dataSync()), clipped: clipped.steps, loss: lossTensor.dataSync()[0], held };
  tf.dispose([lossTensor, a, b]);
  sgd.dispose();
  return out;
}

const grad = [...a0.map((x, i) => 2 * ca[i] * x), ...cb];
const norm = Math.hypot(...grad);

describe('clippedStep (global-norm gradient clipping)', () => {
  it('rescales the gradient of every variable together to the global norm, and counts the step', () => {
    expect(norm).toBeGreaterThan(2);
    const r = step(2);
    const scale = 2 / norm;
    expect(r.clipped).toBe(1);
    r.a.forEach((x, i) => expect(x).toBeCloseTo(a0[i] - scale * grad[i], 5));
    r.b.forEach((x, i) => expect(x).toBeCloseTo(b0[i] - scale * grad[3 + i], 5));
    // the step's length is the clip norm
    expect(Math.hypot(...r.a.map((x, i) => x - a0[i]), ...r.b.map((x, i) => x - b0[i]))).toBeCloseTo(2, 5);
    // the loss returned is the one before the step
    expect(r.loss).toBeCloseTo(a0.reduce((s, x, i) => s + ca[i] * x * x, 0) + b0.reduce((s, x, i) => s + cb[i] * x, 0), 5);
  });

  it('leaves a gradient within the norm as it is', () => {
    const r = step(norm * 1.01);
    expect(r.clipped).toBe(0);
    r.a.forEach((x, i) => expect(x).toBeCloseTo(a0[i] - grad[i], 5));
    r.b.forEach((x, i) => expect(x).toBeCloseTo(b0[i] - grad[3 + i], 5));
  });

  it('holds no tensor after the step, clipped or not', () => {
    expect(step(1).held).toBe(0);
    expect(step(1e9).held).toBe(0);
  });
});
