import * as tf from '@tensorflow/tfjs';
import { lstmSequence, type RecurrenceKernels, setRecurrenceKernels, ShapeError, type RecurrentActivation } from '../src';
import { activate, CASES, maskFromLengths, maxAbsDiff, seeded } from './helpers';

const B = 4;
const T = 6;
const D = 5;
const H = 3;
const LENGTHS = [6, 4, 1, 0];

/** The unfused truth: tf.layers.lstm with the given weights. */
function referenceLayer(options: { goBackwards: boolean; returnSequences: boolean; recurrentActivation: RecurrentActivation }): tf.layers.Layer {
  const layer = tf.layers.lstm({ units: H, ...options });
  tf.tidy(() => {
    layer.apply(tf.zeros([B, T, D]));
    layer.setWeights([seeded([D, 4 * H], 1, 0.8), seeded([H, 4 * H], 2, 0.8), seeded([4 * H], 3, 0.5)]);
  });
  return layer;
}

describe.each(CASES)('lstmSequence on %s, %s time loops', (backend, kernels) => {
  let previous: RecurrenceKernels;
  beforeAll(async () => {
    await activate(backend);
    previous = setRecurrenceKernels(kernels);
  });
  afterAll(() => setRecurrenceKernels(previous));

  const cases: [string, boolean, boolean, RecurrentActivation, boolean][] = [
    ['forward, sequences, hardSigmoid, masked', false, true, 'hardSigmoid', true],
    ['backward, sequences, hardSigmoid, masked', true, true, 'hardSigmoid', true],
    ['forward, last step, sigmoid, masked', false, false, 'sigmoid', true],
    ['backward, last step, sigmoid, masked', true, false, 'sigmoid', true],
    ['backward, sequences, sigmoid, no mask', true, true, 'sigmoid', false],
  ];

  it.each(cases)('matches tf.layers.lstm outputs and gradients within 1e-5 (%s)', (_, goBackwards, returnSequences, recurrentActivation, masked) => {
    const layer = referenceLayer({ goBackwards, returnSequences, recurrentActivation });
    const x = tf.variable(seeded([B, T, D], 4, 1.5), true, `x_${backend}_${goBackwards}_${returnSequences}_${recurrentActivation}_${masked}`);
    const mask = masked ? maskFromLengths(LENGTHS, T) : null;
    const kwargs = mask === null ? {} : { mask: tf.cast(mask, 'bool') };
    const probe = seeded(returnSequences ? [B, T, H] : [B, H], 5);
    const [kernel, recurrentKernel, bias] = layer.trainableWeights.map((w) => w.read());

    const unfused = tf.variableGrads(() => {
      const y = layer.apply(x, kwargs) as tf.Tensor;
      return tf.sum(tf.mul(y, probe)) as tf.Scalar;
    });
    const fused = tf.variableGrads(() => {
      const y = lstmSequence(x, mask, kernel as tf.Tensor2D, recurrentKernel as tf.Tensor2D, bias as tf.Tensor1D, {
        goBackwards,
        returnSequences,
        recurrentActivation,
      });
      return tf.sum(tf.mul(y, probe)) as tf.Scalar;
    });
    const yUnfused = layer.apply(x, kwargs) as tf.Tensor;
    const yFused = lstmSequence(x, mask, kernel as tf.Tensor2D, recurrentKernel as tf.Tensor2D, bias as tf.Tensor1D, {
      goBackwards,
      returnSequences,
      recurrentActivation,
    });
    expect(yFused.shape).toEqual(returnSequences ? [B, T, H] : [B, H]);
    expect(maxAbsDiff(yFused, yUnfused)).toBeLessThan(1e-5);
    expect(Math.abs(fused.value.dataSync()[0] - unfused.value.dataSync()[0])).toBeLessThan(1e-4);
    const names = Object.keys(unfused.grads).sort();
    expect(Object.keys(fused.grads).sort()).toEqual(names);
    expect(names).toHaveLength(4);
    for (const name of names) expect(maxAbsDiff(fused.grads[name], unfused.grads[name])).toBeLessThan(1e-5);

    tf.dispose([yUnfused, yFused, unfused.value, fused.value, ...Object.values(unfused.grads), ...Object.values(fused.grads)]);
    tf.dispose([x, probe, mask === null ? [] : mask, Object.values(kwargs)]);
    layer.dispose();
  });

  it('leaves no tensors behind', () => {
    const x = seeded([B, T, D], 7) as tf.Tensor3D;
    const mask = maskFromLengths(LENGTHS, T);
    const k = seeded([D, 4 * H], 8) as tf.Tensor2D;
    const r = seeded([H, 4 * H], 9) as tf.Tensor2D;
    const b = seeded([4 * H], 10) as tf.Tensor1D;
    const before = tf.memory().numTensors;
    const y = lstmSequence(x, mask, k, r, b, { returnSequences: true });
    const g = tf.grads((xs: tf.Tensor) => tf.sum(lstmSequence(xs as tf.Tensor3D, mask, k, r, b, { returnSequences: true })))([x]);
    tf.dispose([y, ...g]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, mask, k, r, b]);
  });
});

describe('lstmSequence validation', () => {
  it('names the argument whose shape is wrong', () => {
    const x = tf.zeros([2, 3, 4]) as tf.Tensor3D;
    const r = tf.zeros([2, 8]) as tf.Tensor2D;
    const b = tf.zeros([8]) as tf.Tensor1D;
    expect(() => lstmSequence(x, null, tf.zeros([5, 8]) as tf.Tensor2D, r, b)).toThrow(ShapeError);
    expect(() => lstmSequence(x, null, tf.zeros([5, 8]) as tf.Tensor2D, r, b)).toThrow('lstmSequence: kernel must have shape [4, 8] (= [D, 4H]), got [5, 8]');
    expect(() => lstmSequence(x, tf.zeros([2, 4]) as tf.Tensor2D, tf.zeros([4, 8]) as tf.Tensor2D, r, b)).toThrow('mask must have shape [2, 3]');
  });
});
