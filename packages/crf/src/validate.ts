import * as tf from '@tensorflow/tfjs';
import { ShapeError, ValueError } from './errors';
import { DEFAULT_PENALTY, type TransitionConstraints } from './transitions';

/** Options shared by every CRF op. */
export interface CrfOptions {
  /** Score of starting in each tag, `[K]` (pytorch-crf style). Absent: no start scores (TF-Addons style). */
  startTransitions?: tf.Tensor;
  /** Score of ending in each tag, `[K]`. Absent: no end scores. */
  endTransitions?: tf.Tensor;
  /** Hard constraints from `allowedTransitions`: forbidden moves score `penalty` whatever `transitions` says. */
  constraints?: TransitionConstraints;
  /** Score of a forbidden move. Default `-1e4`. */
  penalty?: number;
  /**
   * Read `mask` (and `tags`) to check their values: mask entries 0/1 and right-padded, tags in
   * `[0, K)` at real tokens. Default true; set false to skip the device-to-host read.
   */
  validate?: boolean;
}

/** Validated, converted inputs: float32 emissions and mask, effective (constrained) transitions. */
export interface Prepared {
  B: number;
  T: number;
  K: number;
  /** [B, T, K] float32 */
  emissions: tf.Tensor3D;
  /** [B, T] float32, 1 = real token */
  mask: tf.Tensor2D;
  /** [K, K] float32, constraints applied */
  transitions: tf.Tensor2D;
  /** [K] float32 or null */
  start: tf.Tensor1D | null;
  /** [K] float32 or null */
  end: tf.Tensor1D | null;
}

const fmt = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

function checkTensor(op: string, name: string, x: unknown): asserts x is tf.Tensor {
  if (!(x instanceof tf.Tensor)) {
    throw new ValueError(op, name, `must be a tf.Tensor, got ${x === null ? 'null' : typeof x}`);
  }
}

/** Check the mask holds only 0/1 and is right-padded (no real token after padding). */
function checkMaskValues(op: string, mask: tf.Tensor2D): void {
  const [B, T] = mask.shape;
  const data = mask.dataSync();
  for (let b = 0; b < B; b++) {
    let padded = false;
    for (let t = 0; t < T; t++) {
      const v = Number(data[b * T + t]);
      if (v !== 0 && v !== 1) throw new ValueError(op, 'mask', `must hold only 0 and 1, got ${v} at [${b}, ${t}]`);
      if (v === 0) padded = true;
      else if (padded) throw new ValueError(op, 'mask', `must be right-padded, but row ${b} has a real token at t=${t} after padding`);
    }
  }
}

function checkTagValues(op: string, tags: tf.Tensor, mask: Float32Array | Int32Array | Uint8Array, K: number): void {
  const data = tags.dataSync();
  for (let i = 0; i < data.length; i++) {
    if (mask[i] === 0) continue;
    const v = Number(data[i]);
    if (!Number.isInteger(v) || v < 0 || v >= K) {
      const T = tags.shape[1] as number;
      throw new ValueError(op, 'tags', `must hold integers in [0, ${K}) at real tokens, got ${v} at [${Math.floor(i / T)}, ${i % T}]`);
    }
  }
}

/**
 * Validate shapes (and optionally values) and convert the inputs of a CRF op. Call inside `tf.tidy`.
 *
 * @param emissions [B, T, K]
 * @param mask [B, T] or null/undefined for all ones
 * @param transitions [K, K]
 * @param tags [B, T] when the op scores a path
 */
export function prepareInputs(
  op: string,
  emissions: tf.Tensor,
  mask: tf.Tensor | null | undefined,
  transitions: tf.Tensor,
  opts: CrfOptions = {},
  tags?: tf.Tensor,
): Prepared {
  checkTensor(op, 'emissions', emissions);
  if (emissions.rank !== 3) throw new ShapeError(op, 'emissions', '[B, T, K] (rank 3)', fmt(emissions.shape));
  const [B, T, K] = emissions.shape as [number, number, number];
  if (T < 1 || K < 1) throw new ShapeError(op, 'emissions', '[B, T, K] with T ≥ 1 and K ≥ 1', fmt(emissions.shape));
  checkTensor(op, 'transitions', transitions);
  if (transitions.rank !== 2 || transitions.shape[0] !== K || transitions.shape[1] !== K) {
    throw new ShapeError(op, 'transitions', fmt([K, K]), fmt(transitions.shape));
  }
  for (const [name, v] of [
    ['startTransitions', opts.startTransitions],
    ['endTransitions', opts.endTransitions],
  ] as const) {
    if (v === undefined) continue;
    checkTensor(op, name, v);
    if (v.rank !== 1 || v.shape[0] !== K) throw new ShapeError(op, name, fmt([K]), fmt(v.shape));
  }
  let m: tf.Tensor2D;
  if (mask === null || mask === undefined) {
    // [B, T]
    m = tf.ones([B, T], 'float32');
  } else {
    checkTensor(op, 'mask', mask);
    if (mask.rank !== 2 || mask.shape[0] !== B || mask.shape[1] !== T) throw new ShapeError(op, 'mask', fmt([B, T]), fmt(mask.shape));
    // [B, T]
    m = mask.dtype === 'float32' ? (mask as tf.Tensor2D) : (tf.cast(mask, 'float32') as tf.Tensor2D);
    if (opts.validate !== false) checkMaskValues(op, m);
  }
  if (tags !== undefined) {
    checkTensor(op, 'tags', tags);
    if (tags.rank !== 2 || tags.shape[0] !== B || tags.shape[1] !== T) throw new ShapeError(op, 'tags', fmt([B, T]), fmt(tags.shape));
    if (opts.validate !== false) checkTagValues(op, tags, m.dataSync() as Float32Array, K);
  }
  const c = opts.constraints;
  if (c !== undefined) {
    if (c.transitions.length !== K || c.transitions.some((row) => row.length !== K)) {
      throw new ShapeError(op, 'constraints.transitions', fmt([K, K]), `[${c.transitions.length}, ${c.transitions[0]?.length ?? 0}]`);
    }
    if (c.start.length !== K) throw new ShapeError(op, 'constraints.start', fmt([K]), fmt([c.start.length]));
    if (c.end.length !== K) throw new ShapeError(op, 'constraints.end', fmt([K]), fmt([c.end.length]));
  }
  const penalty = opts.penalty ?? DEFAULT_PENALTY;
  if (!Number.isFinite(penalty)) throw new ValueError(op, 'penalty', `must be finite, got ${penalty}`);

  const em = emissions.dtype === 'float32' ? (emissions as tf.Tensor3D) : (tf.cast(emissions, 'float32') as tf.Tensor3D);
  let trans = transitions.dtype === 'float32' ? (transitions as tf.Tensor2D) : (tf.cast(transitions, 'float32') as tf.Tensor2D);
  let start = opts.startTransitions === undefined ? null : (tf.cast(opts.startTransitions, 'float32') as tf.Tensor1D);
  let end = opts.endTransitions === undefined ? null : (tf.cast(opts.endTransitions, 'float32') as tf.Tensor1D);
  if (c !== undefined) {
    // Forbidden entries become exactly `penalty`, so their gradient is 0 and they never drift.
    // [K, K]
    trans = tf.where(tf.tensor2d(c.transitions, [K, K], 'bool'), trans, tf.fill([K, K], penalty));
    const constrain = (allowed: boolean[], v: tf.Tensor1D | null): tf.Tensor1D =>
      // [K]
      tf.where(tf.tensor1d(allowed, 'bool'), v ?? tf.zeros([K]), tf.fill([K], penalty));
    if (c.start.some((ok) => !ok) || start !== null) start = constrain(c.start, start);
    if (c.end.some((ok) => !ok) || end !== null) end = constrain(c.end, end);
  }
  return { B, T, K, emissions: em, mask: m, transitions: trans, start, end };
}

/** One-hot without `tf.oneHot` (which refuses depth 1): `[...shape, K]` float32. */
export function oneHotFloat(indices: tf.Tensor, K: number): tf.Tensor {
  // [..., K]
  return tf.cast(tf.equal(tf.expandDims(tf.cast(indices, 'int32'), -1), tf.range(0, K, 1, 'int32')), 'float32');
}
