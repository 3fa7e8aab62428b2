import * as tf from '@tensorflow/tfjs';
import type { CrfParams } from './crf';

/**
 * The CRF of an ensemble: the mean of the members' transition, start and end scores. With the
 * members' emissions averaged too, a path's score is the mean of its member scores, so Viterbi
 * finds the path of the (unnormalised) geometric mean of the members' distributions.
 * Returns new variables; the caller disposes them.
 */
export function averageCrf(crfs: readonly CrfParams[]): CrfParams {
  if (crfs.length === 0) throw new Error('averageCrf: no members');
  const mean = (pick: (c: CrfParams) => tf.Variable): tf.Variable =>
    tf.tidy(() => tf.variable(tf.div(tf.addN(crfs.map(pick)), crfs.length), false));
  return { transitions: mean((c) => c.transitions), start: mean((c) => c.start), end: mean((c) => c.end) };
}

/** The members' emissions [B, T, K] for the same inputs, averaged (one model: its own). */
export function averageEmissions(models: readonly tf.LayersModel[], inputs: tf.Tensor[]): tf.Tensor3D {
  return tf.tidy(() => {
    const outs = models.map((m) => m.predict(inputs) as tf.Tensor3D);
    return outs.length === 1 ? outs[0] : (tf.div(tf.addN(outs), outs.length) as tf.Tensor3D);
  });
}
