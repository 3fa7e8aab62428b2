import * as tf from '@tensorflow/tfjs';
import { ValueError } from './errors';
import { expectShape } from './validate';
import { tensorKernelArena } from './wasm-kernels';

/** How the rows and columns of a [B·T, H] activation split into sequences and heads. */
export interface AttentionLayout {
  /** Sequences B. */
  batch: number;
  /** Tokens per sequence T. */
  seqLen: number;
  /** Heads; the head width D = H / heads. */
  heads: number;
}

/** What {@link attentionForward} returns: the context and what its backward pass needs. */
export interface AttentionForward {
  /** [B·T, H], heads merged */
  context: tf.Tensor2D;
  /** [B, heads, T, T] softmax probabilities */
  probs: tf.Tensor4D;
  /** [B, heads, T, T] probabilities after dropout (`probs` itself when there is no mask) */
  kept: tf.Tensor4D;
}

/** What {@link attentionBackward} reads: the forward's inputs and outputs. */
export interface AttentionSaved {
  /** [B·T, H] */
  query: tf.Tensor2D;
  key: tf.Tensor2D;
  value: tf.Tensor2D;
  /** [B, heads, T, T] */
  probs: tf.Tensor4D;
  kept: tf.Tensor4D;
  /** [B, heads, T, T] dropout multipliers, or null */
  mask: tf.Tensor4D | null;
}


function checkLayout(op: string, query: tf.Tensor, layout: AttentionLayout): { n: number; size: number; depth: number } {
  const { batch, seqLen, heads } = layout;
  for (const [name, value] of Object.entries({ batch, seqLen, heads })) {
    if (!Number.isInteger(value) || value < 1) throw new ValueError(op, `layout.${name}`, `must be a positive integer, got ${value}`);
  }
  expectShape(op, 'query', query, [batch * seqLen, null], '[B·T, H]');
  const size = query.shape[1] as number;
  if (size % heads !== 0) throw new ValueError(op, 'layout.heads', `must divide the hidden size ${size}, got ${heads}`);
  return { n: batch * seqLen, size, depth: size / heads };
}

/**
 * Multi-head scaled dot-product attention in the [tokens, hidden] layout, on the WebAssembly
 * SIMD kernels: per sequence b and head h (columns h·D … h·D+D),
 *
 *   P = softmax(Q·Kᵀ·scale + bias[b]),  P' = P ⊙ mask,  context = P'·V
 *
 * with no head split or merge transposes and no [B, heads, T, T] score tensor of its own. Not
 * taped: call it inside a `tf.customGrad` and pair it with {@link attentionBackward}.
 * @param query [B·T, H] (also key and value)
 * @param bias [B, T] (or [B, 1, 1, T]) additive mask over the keys
 * @param mask [B, heads, T, T] dropout multipliers (0 or 1/(1 − rate)), or null
 */
export function attentionForward(
  query: tf.Tensor2D,
  key: tf.Tensor2D,
  value: tf.Tensor2D,
  bias: tf.Tensor,
  layout: AttentionLayout,
  scale: number,
  mask: tf.Tensor4D | null = null,
): AttentionForward {
  const op = 'attentionForward';
  const { n, size, depth } = checkLayout(op, query, layout);
  const { batch, seqLen, heads } = layout;
  expectShape(op, 'key', key, [n, size], '[B·T, H]');
  expectShape(op, 'value', value, [n, size], '[B·T, H]');
  if (bias.size !== batch * seqLen) throw new ValueError(op, 'bias', `must hold B·T = ${batch * seqLen} values ([B, T] or [B, 1, 1, T]), got shape [${bias.shape.join(', ')}]`);
  const pshape: [number, number, number, number] = [batch, heads, seqLen, seqLen];
  if (mask) expectShape(op, 'mask', mask, pshape, '[B, heads, T, T]');
  const a = tensorKernelArena();
  const start = a.mark();
  try {
    const q = a.put(query);
    const k = a.put(key);
    const v = a.put(value);
    const b = a.put(bias);
    const m = mask ? a.put(mask) : 0;
    const pn = batch * heads * seqLen * seqLen;
    const ctx = a.alloc(n * size * 4);
    const probs = a.alloc(pn * 4);
    const kept = mask ? a.alloc(pn * 4) : 0;
    const row = a.alloc(seqLen * 4);
    a.k.attentionForward(ctx, q, k, v, size, b, probs, m, kept, batch, seqLen, heads, depth, scale, row);
    const probsT = tf.tensor4d(a.values(probs, pn, tf.getBackend()), pshape);
    return {
      context: tf.tensor2d(a.values(ctx, n * size, tf.getBackend()), [n, size]),
      probs: probsT,
      kept: mask ? tf.tensor4d(a.values(kept, pn, tf.getBackend()), pshape) : probsT,
    };
  } finally {
    a.release(start);
  }
}

/**
 * The gradients of {@link attentionForward} with respect to Q, K and V, from dContext:
 *
 *   dV = P'ᵀ·dC;  dP = (dC·Vᵀ) ⊙ mask;  dS = P ⊙ (dP − Σⱼ dP ⊙ P)·scale;  dQ = dS·K;  dK = dSᵀ·Q
 * @param dContext [B·T, H]
 * @returns dQ, dK, dV [B·T, H]
 */
export function attentionBackward(dContext: tf.Tensor2D, saved: AttentionSaved, layout: AttentionLayout, scale: number): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] {
  const op = 'attentionBackward';
  const { n, size, depth } = checkLayout(op, saved.query, layout);
  const { batch, seqLen, heads } = layout;
  expectShape(op, 'dContext', dContext, [n, size], '[B·T, H]');
  const pshape = [batch, heads, seqLen, seqLen];
  expectShape(op, 'probs', saved.probs, pshape, '[B, heads, T, T]');
  expectShape(op, 'kept', saved.kept, pshape, '[B, heads, T, T]');
  const a = tensorKernelArena();
  const start = a.mark();
  try {
    const dc = a.put(dContext);
    const q = a.put(saved.query);
    const k = a.put(saved.key);
    const v = a.put(saved.value);
    const p = a.put(saved.probs);
    const m = saved.mask ? a.put(saved.mask) : 0;
    const kept = saved.mask ? a.put(saved.kept) : p;
    const dq = a.alloc(n * size * 4);
    const dk = a.alloc(n * size * 4);
    const dv = a.alloc(n * size * 4);
    const row = a.alloc(seqLen * 4);
    a.k.attentionBackward(dq, dk, dv, dc, q, k, v, size, p, m, kept, batch, seqLen, heads, depth, scale, row);
    const out = (ptr: number) => tf.tensor2d(a.values(ptr, n * size, tf.getBackend()), [n, size]);
    return [out(dq), out(dk), out(dv)];
  } finally {
    a.release(start);
  }
}
