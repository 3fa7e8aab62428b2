import * as tf from '@tensorflow/tfjs';
import { oneHotFloat, prepareInputs, type CrfOptions, type Prepared } from './validate';

/** Score of the given paths from prepared inputs: `[B]`. Call inside `tf.tidy`. */
export function sequenceScore(p: Prepared, tags: tf.Tensor): tf.Tensor1D {
  const { B, T, K } = p;
  // [B, T, K]: row (b, t) is the one-hot of tags[b, t]
  const oh = oneHotFloat(tags, K) as tf.Tensor3D;
  // [B, T]: emission of the gold tag at every real token
  const unary = tf.mul(tf.sum(tf.mul(p.emissions, oh), 2), p.mask);
  // [B]
  let score = tf.sum(unary, 1) as tf.Tensor1D;
  if (T > 1) {
    // [B, T-1, K]: one-hots of the previous and the next tag
    const prev = tf.slice(oh, [0, 0, 0], [B, T - 1, K]);
    const next = tf.slice(oh, [0, 1, 0], [B, T - 1, K]);
    // [B*(T-1), K]: entry (n, j) = transitions[tag_prev(n), j]
    const fromPrev = tf.matMul(tf.reshape(prev, [B * (T - 1), K]), p.transitions);
    // [B, T-1]: transitions[tag_{t-1}, tag_t], zero where t is padding (right padding: t-1 is then real)
    const pair = tf.mul(tf.sum(tf.mul(tf.reshape(fromPrev, [B, T - 1, K]), next), 2), tf.slice(p.mask, [0, 1], [B, T - 1]));
    score = tf.add(score, tf.sum(pair, 1));
  }
  if (p.start !== null) {
    // [B, K]
    const first = tf.reshape(tf.slice(oh, [0, 0, 0], [B, 1, K]), [B, K]);
    // [B]
    const s = tf.mul(tf.sum(tf.mul(first, p.start), 1), tf.reshape(tf.slice(p.mask, [0, 0], [B, 1]), [B]));
    score = tf.add(score, s);
  }
  if (p.end !== null) {
    // [B, T]: 1 at the last real token (mask[t] - mask[t+1]), all zero for an empty row
    const last = T === 1 ? p.mask : tf.sub(p.mask, tf.concat([tf.slice(p.mask, [0, 1], [B, T - 1]), tf.zeros([B, 1])], 1));
    // [B, K]: one-hot of the last real tag
    const lastTag = tf.sum(tf.mul(oh, tf.expandDims(last, 2)), 1);
    // [B]
    score = tf.add(score, tf.sum(tf.mul(lastTag, p.end), 1));
  }
  return score;
}

/**
 * Unnormalised score of each path: emissions of its tags plus its transitions (plus start/end
 * scores when given). Padding contributes nothing; an all-padding row scores 0.
 *
 * @param emissions [B, T, K] float32
 * @param tags [B, T] int32 gold tags (padding positions are ignored)
 * @param mask [B, T] 1 = real token, 0 = padding, right-padded; null = all ones
 * @param transitions [K, K] `transitions[i][j]` scores moving from tag i to tag j
 * @param opts start/end transitions `[K]`, constraints, penalty, validation
 * @returns [B] float32
 */
export function crfSequenceScore(
  emissions: tf.Tensor,
  tags: tf.Tensor,
  mask: tf.Tensor | null | undefined,
  transitions: tf.Tensor,
  opts: CrfOptions = {},
): tf.Tensor1D {
  return tf.tidy(() => sequenceScore(prepareInputs('crfSequenceScore', emissions, mask, transitions, opts, tags), tags));
}
