import * as tf from '@tensorflow/tfjs';

/** Inverted dropout when `training` and `rate` > 0, the identity otherwise. */
export function dropout(x: tf.Tensor, rate: number, training: boolean): tf.Tensor {
  return training && rate > 0 ? tf.dropout(x, rate) : x;
}
