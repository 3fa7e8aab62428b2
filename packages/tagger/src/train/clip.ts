import * as tf from '@tensorflow/tfjs';

/**
 * One optimizer step whose gradients are rescaled to the global L2 norm `maxNorm` when their norm
 * (over every variable together, as TensorFlow's `clip_by_global_norm`) is larger; counts such
 * steps in `clipped`. Returns the loss before the step.
 */
export function clippedStep(optimizer: tf.Optimizer, f: () => tf.Scalar, vars: tf.Variable[], maxNorm: number, clipped: { steps: number }): tf.Scalar {
  const { value, grads } = tf.variableGrads(f, vars);
  const names = Object.keys(grads);
  const norm = tf.tidy(() => tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]))))).dataSync()[0]);
  if (norm > maxNorm) {
    clipped.steps++;
    const scaled = tf.tidy(() => Object.fromEntries(names.map((n) => [n, tf.mul(grads[n], maxNorm / norm)])) as tf.NamedTensorMap);
    optimizer.applyGradients(scaled);
    tf.dispose(scaled);
  } else {
    optimizer.applyGradients(grads);
  }
  tf.dispose(grads);
  return value;
}
