import * as tf from '@tensorflow/tfjs';
import { directionBackward, directionForward } from './lstm-direction';
import type { RecurrenceShape } from './lstm-recurrence';
import { checkRecurrentActivation, type RecurrentActivation } from './recurrent-activation';
import { expectShape } from './validate';

/** Options of {@link lstmSequence}; defaults follow `tf.layers.lstm`. */
export interface LstmSequenceOptions {
  /** Walk the (padded) sequence from the last step to the first. Default false. */
  goBackwards?: boolean;
  /** Return every step's output `[B, T, H]` instead of the last one `[B, H]`. Default false. */
  returnSequences?: boolean;
  /** Gate activation. Default `'hardSigmoid'`, as tfjs-layers' LSTM. */
  recurrentActivation?: RecurrentActivation;
}

/**
 * A whole-sequence LSTM in one op: the same numbers as `tf.layers.lstm` with the same weights,
 * masks and `goBackwards`, with a gradient (w.r.t. x, kernel, recurrentKernel, bias) computed
 * by one backward-through-time pass instead of hundreds of small ops.
 *
 * With `goBackwards` and `returnSequences`, step s of the result is the output after reading
 * time T-1-s (tfjs-layers' order; `tf.layers.bidirectional` reverses it back).
 *
 * @param x // [B, T, D]
 * @param mask // [B, T], 0 = padding (state carried over), or null
 * @param kernel // [D, 4H], gates i, f, c, o
 * @param recurrentKernel // [H, 4H]
 * @param bias // [4H]
 * @returns // [B, T, H] with returnSequences, else [B, H]
 */
export function lstmSequence(
  x: tf.Tensor,
  mask: tf.Tensor | null,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  options: LstmSequenceOptions = {},
): tf.Tensor {
  const op = 'lstmSequence';
  const goBackwards = options.goBackwards ?? false;
  const returnSequences = options.returnSequences ?? false;
  const recurrentActivation = checkRecurrentActivation(op, options.recurrentActivation ?? 'hardSigmoid');
  expectShape(op, 'x', x, [null, null, null], '[B, T, D]');
  const [B, T, D] = x.shape;
  expectShape(op, 'recurrentKernel', recurrentKernel, [null, null], '[H, 4H]');
  const H = recurrentKernel.shape[0];
  expectShape(op, 'recurrentKernel', recurrentKernel, [H, 4 * H], `[${H}, ${4 * H}]`);
  expectShape(op, 'kernel', kernel, [D, 4 * H], `[${D}, ${4 * H}] (= [D, 4H])`);
  expectShape(op, 'bias', bias, [4 * H], `[${4 * H}] (= [4H])`);
  if (mask !== null) expectShape(op, 'mask', mask, [B, T], `[${B}, ${T}] (= [B, T])`);

  const shape: RecurrenceShape = { batch: B, steps: T, units: H };
  const dirOptions = { goBackwards, recurrentActivation, outputOrder: 'processing' as const };
  const maskF = mask === null ? tf.ones([B, T]) : tf.cast(mask, 'float32'); // [B, T]
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, ms, ks, rs, bs] = args as tf.Tensor[];
    const save = args[5] as tf.GradSaveFunc;
    const maskData = mask === null ? null : (ms.dataSync() as Float32Array);
    const recData = rs.dataSync() as Float32Array;
    const x2d = tf.reshape(xs, [B * T, D]) as tf.Tensor2D; // [B·T, D]
    const trace = directionForward(x2d, maskData, ks as tf.Tensor2D, recData, bs as tf.Tensor1D, shape, dirOptions, true);
    save([x2d, ks]);
    const value = returnSequences ? tf.tensor3d(trace.out, [B, T, H]) : tf.tensor2d(trace.last, [B, H]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [x2dSaved, kSaved] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dyData = dy.dataSync() as Float32Array;
      const g = directionBackward(
        trace,
        returnSequences ? dyData : null,
        returnSequences ? null : dyData,
        maskData,
        x2dSaved,
        kSaved,
        recData,
        shape,
        dirOptions,
      );
      const dx = tf.reshape(g.dx, [B, T, D]);
      g.dx.dispose();
      return [dx, tf.zeros([B, T]), g.dKernel, g.dRecurrentKernel, g.dBias];
    };
    return { value, gradFunc };
  });
  const result = run(x, maskF, kernel, recurrentKernel, bias);
  maskF.dispose();
  return result;
}
