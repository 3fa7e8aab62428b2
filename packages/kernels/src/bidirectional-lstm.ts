import * as tf from '@tensorflow/tfjs';
import { directionBackward, directionForward } from './lstm-direction';
import type { RecurrenceOptions, RecurrenceShape } from './lstm-recurrence';
import { checkRecurrentActivation, type RecurrentActivation } from './recurrent-activation';
import { expectShape } from './validate';

/** The three weights of one LSTM direction, in tfjs-layers' order and layout. */
export interface LstmWeights {
  kernel: tf.Tensor; // [D, 4H], gates i, f, c, o
  recurrentKernel: tf.Tensor; // [H, 4H]
  bias: tf.Tensor; // [4H]
}

/** Options of {@link bidirectionalLstm}. */
export interface BidirectionalLstmOptions {
  /** Gate activation. Default `'hardSigmoid'`, as tfjs-layers' LSTM. */
  recurrentActivation?: RecurrentActivation;
}

/**
 * `tf.layers.bidirectional({ layer: tf.layers.lstm({ units: H, returnSequences: true }) })`
 * (merge mode concat) as one op: both directions in TypeScript time loops, gradient as one
 * backward-through-time pass per direction.
 *
 * @param x // [B, T, D]
 * @param mask // [B, T], 0 = padding, or null
 * @returns // [B, T, 2H]: forward outputs then backward outputs, both at time position t
 */
export function bidirectionalLstm(
  x: tf.Tensor,
  mask: tf.Tensor | null,
  forward: LstmWeights,
  backward: LstmWeights,
  options: BidirectionalLstmOptions = {},
): tf.Tensor3D {
  const op = 'bidirectionalLstm';
  const recurrentActivation = checkRecurrentActivation(op, options.recurrentActivation ?? 'hardSigmoid');
  expectShape(op, 'x', x, [null, null, null], '[B, T, D]');
  const [B, T, D] = x.shape;
  expectShape(op, 'forward.recurrentKernel', forward.recurrentKernel, [null, null], '[H, 4H]');
  const H = forward.recurrentKernel.shape[0];
  for (const [name, w] of [
    ['forward', forward],
    ['backward', backward],
  ] as const) {
    expectShape(op, `${name}.kernel`, w.kernel, [D, 4 * H], `[${D}, ${4 * H}] (= [D, 4H])`);
    expectShape(op, `${name}.recurrentKernel`, w.recurrentKernel, [H, 4 * H], `[${H}, ${4 * H}] (= [H, 4H])`);
    expectShape(op, `${name}.bias`, w.bias, [4 * H], `[${4 * H}] (= [4H])`);
  }
  if (mask !== null) expectShape(op, 'mask', mask, [B, T], `[${B}, ${T}] (= [B, T])`);

  const shape: RecurrenceShape = { batch: B, steps: T, units: H };
  const fwdOptions: RecurrenceOptions = { goBackwards: false, recurrentActivation, outputOrder: 'position' };
  const bwdOptions: RecurrenceOptions = { goBackwards: true, recurrentActivation, outputOrder: 'position' };
  const maskF = mask === null ? tf.ones([B, T]) : tf.cast(mask, 'float32'); // [B, T]
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, ms, kf, rf, bf, kb, rb, bb] = args as tf.Tensor[];
    const save = args[8] as tf.GradSaveFunc;
    const maskData = mask === null ? null : (ms.dataSync() as Float32Array);
    const rfData = rf.dataSync() as Float32Array;
    const rbData = rb.dataSync() as Float32Array;
    const x2d = tf.reshape(xs, [B * T, D]) as tf.Tensor2D; // [B·T, D]
    const tf_ = directionForward(x2d, maskData, kf as tf.Tensor2D, rfData, bf as tf.Tensor1D, shape, fwdOptions, true);
    const tb = directionForward(x2d, maskData, kb as tf.Tensor2D, rbData, bb as tf.Tensor1D, shape, bwdOptions, true);
    save([x2d, kf, kb]);
    const merged = new Float32Array(B * T * 2 * H); // [B, T, 2H]
    for (let r = 0; r < B * T; r++) {
      merged.set(tf_.out.subarray(r * H, (r + 1) * H), r * 2 * H);
      merged.set(tb.out.subarray(r * H, (r + 1) * H), r * 2 * H + H);
    }
    const value = tf.tensor3d(merged, [B, T, 2 * H]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [x2dSaved, kfSaved, kbSaved] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const dyData = dy.dataSync() as Float32Array; // [B, T, 2H]
      const dFwd = new Float32Array(B * T * H); // [B, T, H]
      const dBwd = new Float32Array(B * T * H); // [B, T, H]
      for (let r = 0; r < B * T; r++) {
        dFwd.set(dyData.subarray(r * 2 * H, r * 2 * H + H), r * H);
        dBwd.set(dyData.subarray(r * 2 * H + H, (r + 1) * 2 * H), r * H);
      }
      const gf = directionBackward(tf_, dFwd, null, maskData, x2dSaved, kfSaved, rfData, shape, fwdOptions);
      const gb = directionBackward(tb, dBwd, null, maskData, x2dSaved, kbSaved, rbData, shape, bwdOptions);
      const dx = tf.tidy(() => tf.reshape(tf.add(gf.dx, gb.dx), [B, T, D]));
      tf.dispose([gf.dx, gb.dx]);
      return [dx, tf.zeros([B, T]), gf.dKernel, gf.dRecurrentKernel, gf.dBias, gb.dKernel, gb.dRecurrentKernel, gb.dBias];
    };
    return { value, gradFunc };
  });
  const result = run(x, maskF, forward.kernel, forward.recurrentKernel, forward.bias, backward.kernel, backward.recurrentKernel, backward.bias);
  maskF.dispose();
  return result as tf.Tensor3D;
}
