import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@twner/backend';

/** The backends every op test runs on. */
export const BACKENDS = ['cpu', 'wasm'] as const;

/** Every backend × time-loop kernels pair the training ops are tested on. */
export const CASES = BACKENDS.flatMap((backend) => (['wasm', 'typescript'] as const).map((kernels) => [backend, kernels] as const));

export async function activate(name: (typeof BACKENDS)[number]): Promise<void> {
  await useBackend(name);
}

/** Largest absolute difference between two tensors (same shape required). */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

/** Right-padded mask `[B, T]` from lengths. */
export function maskFromLengths(lengths: number[], steps: number): tf.Tensor2D {
  const data = lengths.flatMap((n) => Array.from({ length: steps }, (_, t) => (t < n ? 1 : 0)));
  return tf.tensor2d(data, [lengths.length, steps]);
}

/** Deterministic pseudo-random tensor (values in [-scale, scale]). */
export function seeded(shape: number[], seed: number, scale = 1): tf.Tensor {
  let s = seed >>> 0;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return tf.tensor(data, shape);
}
