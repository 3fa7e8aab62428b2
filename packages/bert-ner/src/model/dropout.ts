import * as tf from '@tensorflow/tfjs';

let stream: { seed: number; count: number } | null = null;

/**
 * Runs `f` with every dropout mask it draws seeded from `seed`: the k-th mask gets a seed mixed
 * from (`seed`, k), so the same seed gives the same masks in any process on any machine
 * (tfjs' seeded `randomUniform`). Outside such a scope masks are unseeded.
 */
export function withDropoutSeed<T>(seed: number, f: () => T): T {
  const previous = stream;
  stream = { seed: seed >>> 0, count: 0 };
  try {
    return f();
  } finally {
    stream = previous;
  }
}

/** The next mask's seed inside {@link withDropoutSeed}, undefined outside it. */
function nextSeed(): number | undefined {
  if (stream === null) return undefined;
  // murmur3's 32-bit finaliser over seed + golden-ratio steps: distinct, well-spread seeds
  let h = (stream.seed + Math.imul(++stream.count, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Inverted dropout when `training` and `rate` > 0, the identity otherwise. */
export function dropout(x: tf.Tensor, rate: number, training: boolean): tf.Tensor {
  return training && rate > 0 ? tf.dropout(x, rate, undefined, nextSeed()) : x;
}

/** An inverted-dropout mask (0 or 1 / (1 − rate)) of `shape`, or null when no dropout applies. */
export function dropoutMask(shape: number[], rate: number, training: boolean): tf.Tensor | null {
  return training && rate > 0 ? tf.tidy(() => tf.dropout(tf.ones(shape), rate, undefined, nextSeed())) : null;
}
