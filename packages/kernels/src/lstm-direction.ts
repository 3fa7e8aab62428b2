import * as tf from '@tensorflow/tfjs';
import {
  recurrenceBackward,
  recurrenceForward,
  type RecurrenceOptions,
  type RecurrenceShape,
  type RecurrenceTrace,
} from './lstm-recurrence';
import { wasmRecurrenceForward } from './recurrence-wasm';
import { wasmKernelsAvailable } from './wasm-kernels';

/** Which implementation runs the time loops of the training ops. */
export type RecurrenceKernels = 'wasm' | 'typescript';

let trainingKernels: RecurrenceKernels | null = null;

/**
 * Chooses the time-loop kernels of `lstmSequence`, `bidirectionalLstm` and
 * `FusedBidirectionalLSTM`: `'wasm'` (WebAssembly SIMD; the default where available) or
 * `'typescript'`. Returns the previous choice.
 */
export function setRecurrenceKernels(kernels: RecurrenceKernels): RecurrenceKernels {
  const previous = recurrenceKernels();
  if (kernels === 'wasm' && !wasmKernelsAvailable()) throw new Error("setRecurrenceKernels: 'wasm' needs WebAssembly with SIMD");
  trainingKernels = kernels;
  return previous;
}

/** The time-loop kernels in use. */
export function recurrenceKernels(): RecurrenceKernels {
  if (trainingKernels === null) trainingKernels = wasmKernelsAvailable() ? 'wasm' : 'typescript';
  return trainingKernels;
}

/**
 * One LSTM direction over a whole sequence: the input projection `x·kernel + bias` for all
 * steps is one backend matmul, the time loop is plain TypeScript.
 * @param x2d // [B·T, D]
 * @param kernel // [D, 4H]
 * @param bias // [4H]
 */
export function directionForward(
  x2d: tf.Tensor2D,
  mask: Float32Array | null,
  kernel: tf.Tensor2D,
  recurrentKernel: Float32Array,
  bias: tf.Tensor1D,
  shape: RecurrenceShape,
  options: RecurrenceOptions,
  keepTrace: boolean,
): RecurrenceTrace {
  const xz = tf.tidy(() => tf.add(tf.matMul(x2d, kernel), bias)); // [B·T, 4H]
  const xzData = xz.dataSync() as Float32Array;
  xz.dispose();
  if (recurrenceKernels() === 'wasm') return wasmRecurrenceForward(xzData, mask, recurrentKernel, shape, options);
  return recurrenceForward(xzData, mask, recurrentKernel, shape, options, keepTrace);
}

/** Gradients of one direction, as tensors. */
export interface DirectionGrads {
  dx: tf.Tensor2D; // [B·T, D]
  dKernel: tf.Tensor2D; // [D, 4H]
  dRecurrentKernel: tf.Tensor2D; // [H, 4H]
  dBias: tf.Tensor1D; // [4H]
}

/**
 * Backward through time in TypeScript, then four products with the gate gradients dZ:
 * dx = dZ·kernelᵀ, dkernel = xᵀ·dZ, drecurrent = h_prevᵀ·dZ, dbias = Σ dZ.
 */
export function directionBackward(
  trace: RecurrenceTrace,
  dOut: Float32Array | null,
  dLast: Float32Array | null,
  mask: Float32Array | null,
  x2d: tf.Tensor2D,
  kernel: tf.Tensor2D,
  recurrentKernel: Float32Array,
  shape: RecurrenceShape,
  options: RecurrenceOptions,
): DirectionGrads {
  const { batch: B, steps: T, units: H } = shape;
  const dzData = trace.backward !== undefined ? trace.backward(dOut, dLast) : recurrenceBackward(trace, dOut, dLast, mask, recurrentKernel, shape, options);
  return tf.tidy(() => {
    const dz = tf.tensor2d(dzData, [B * T, 4 * H]); // [B·T, 4H]
    const hPrev = tf.tensor2d(trace.hPrev, [B * T, H]); // [B·T, H]
    // Explicit transposes: the wasm backend's matMul with transpose flags is ~10x slower than a
    // transpose followed by a plain matMul.
    return {
      dx: tf.matMul(dz, tf.transpose(kernel)) as tf.Tensor2D,
      dKernel: tf.matMul(tf.transpose(x2d), dz) as tf.Tensor2D,
      dRecurrentKernel: tf.matMul(tf.transpose(hPrev), dz) as tf.Tensor2D,
      dBias: tf.sum(dz, 0) as tf.Tensor1D,
    };
  });
}
