import type * as tf from '@tensorflow/tfjs';
import { formatShape, ShapeError } from './errors';

/** Throws a ShapeError unless `t` has the given shape; `null` entries match any size. */
export function expectShape(op: string, argument: string, t: tf.Tensor, expected: readonly (number | null)[], legend: string): void {
  const ok = t.rank === expected.length && expected.every((d, i) => d === null || d === t.shape[i]);
  if (!ok) throw new ShapeError(op, argument, legend, formatShape(t.shape));
}
