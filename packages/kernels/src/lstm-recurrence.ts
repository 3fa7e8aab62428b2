import type { RecurrentActivation } from './recurrent-activation';
import { addVecMat, vecMatT } from './vector-kernels';

/**
 * Plain-TypeScript time loop of one LSTM direction, the part that cannot be batched over time.
 * Gate order i, f, c, o (tfjs-layers / Keras layout); the output activation is tanh.
 *
 * Keras masking: at a step whose mask is 0 the state (h, c) is carried over unchanged and the
 * output is the previous output. `goBackwards` walks the full padded length from T-1 down to 0.
 */
export interface RecurrenceShape {
  /** Batch size B. */
  batch: number;
  /** Time steps T. */
  steps: number;
  /** Units H. */
  units: number;
}

/** What the backward pass needs from the forward pass. All arrays are indexed by time position t. */
export interface RecurrenceTrace {
  /** Output written at `outIndex(s, t)`. // [B, T, H] */
  out: Float32Array;
  /** State after the last step. // [B, H] */
  last: Float32Array;
  /** Activated gates i, f, g, o at time t (zeros at masked steps). // [B, T, 4H] */
  gates: Float32Array;
  /** Gate pre-activations (only read for hardSigmoid). // [B, T, 4H] */
  pre: Float32Array;
  /** Cell state after time t. // [B, T, H] */
  cell: Float32Array;
  /** h entering time t. // [B, T, H] */
  hPrev: Float32Array;
  /** c entering time t. // [B, T, H] */
  cPrev: Float32Array;
  /**
   * Set by the WebAssembly forward pass, which keeps gates and cells in its own memory (the
   * arrays `gates`, `pre`, `cell`, `cPrev` are then empty): returns dZ like {@link recurrenceBackward}.
   */
  backward?: (dOut: Float32Array | null, dLast: Float32Array | null) => Float32Array;
}

/** Options shared by forward and backward loops. */
export interface RecurrenceOptions {
  goBackwards: boolean;
  recurrentActivation: RecurrentActivation;
  /**
   * Where the output of time position t (processing step s) is written:
   * `'position'` → index t; `'processing'` → index s (tfjs-layers' order for goBackwards).
   */
  outputOrder: 'position' | 'processing';
}

/**
 * Runs the recurrence given `xz = x·kernel + bias` for every step.
 * @param xz  // [B, T, 4H]
 * @param mask // [B, T] or null (all steps valid); any non-zero counts as valid
 * @param recurrentKernel // [H, 4H]
 */
export function recurrenceForward(
  xz: Float32Array,
  mask: Float32Array | null,
  recurrentKernel: Float32Array,
  shape: RecurrenceShape,
  options: RecurrenceOptions,
  keepTrace = true,
): RecurrenceTrace {
  const { batch: B, steps: T, units: H } = shape;
  const G = 4 * H;
  const hard = options.recurrentActivation === 'hardSigmoid';
  const out = new Float32Array(B * T * H);
  const h = new Float32Array(B * H); // [B, H]
  const c = new Float32Array(B * H); // [B, H]
  const gates = keepTrace ? new Float32Array(B * T * G) : new Float32Array(0);
  const pre = keepTrace ? new Float32Array(B * T * G) : new Float32Array(0);
  const cell = keepTrace ? new Float32Array(B * T * H) : new Float32Array(0);
  const hPrev = keepTrace ? new Float32Array(B * T * H) : new Float32Array(0);
  const cPrev = keepTrace ? new Float32Array(B * T * H) : new Float32Array(0);
  const z = new Float64Array(G); // scratch, one row of pre-activations
  for (let s = 0; s < T; s++) {
    const t = options.goBackwards ? T - 1 - s : s;
    const o = options.outputOrder === 'position' ? t : s;
    for (let b = 0; b < B; b++) {
      const hb = b * H;
      const bt = b * T + t;
      const outRow = (b * T + o) * H;
      if (keepTrace) {
        hPrev.set(h.subarray(hb, hb + H), bt * H);
        cPrev.set(c.subarray(hb, hb + H), bt * H);
      }
      if (mask !== null && mask[bt] === 0) {
        out.set(h.subarray(hb, hb + H), outRow);
        if (keepTrace) cell.set(c.subarray(hb, hb + H), bt * H);
        continue;
      }
      const xzRow = bt * G;
      for (let j = 0; j < G; j++) z[j] = xz[xzRow + j];
      addVecMat(z, 0, h, hb, recurrentKernel, H, G); // z += h_prev · R
      for (let u = 0; u < H; u++) {
        const zi = Math.fround(z[u]);
        const zf = Math.fround(z[H + u]);
        const zg = Math.fround(z[2 * H + u]);
        const zo = Math.fround(z[3 * H + u]);
        let gi: number, gf: number, go: number;
        if (hard) {
          gi = Math.min(1, Math.max(0, Math.fround(0.2 * zi) + 0.5));
          gf = Math.min(1, Math.max(0, Math.fround(0.2 * zf) + 0.5));
          go = Math.min(1, Math.max(0, Math.fround(0.2 * zo) + 0.5));
        } else {
          gi = 1 / (1 + Math.exp(-zi));
          gf = 1 / (1 + Math.exp(-zf));
          go = 1 / (1 + Math.exp(-zo));
        }
        const gg = Math.tanh(zg);
        const cn = Math.fround(gf * c[hb + u] + gi * gg);
        const hn = Math.fround(go * Math.tanh(cn));
        c[hb + u] = cn;
        h[hb + u] = hn;
        out[outRow + u] = hn;
        if (keepTrace) {
          const gRow = bt * G;
          gates[gRow + u] = gi;
          gates[gRow + H + u] = gf;
          gates[gRow + 2 * H + u] = gg;
          gates[gRow + 3 * H + u] = go;
          pre[gRow + u] = zi;
          pre[gRow + H + u] = zf;
          pre[gRow + 2 * H + u] = zg;
          pre[gRow + 3 * H + u] = zo;
          cell[bt * H + u] = cn;
        }
      }
    }
  }
  return { out, last: h, gates, pre, cell, hPrev, cPrev };
}

/** Derivative of the gate activation, written from the activated value (and pre-activation for hardSigmoid). */
function gateSlope(hard: boolean, y: number, z: number): number {
  if (hard) {
    // tfjs' clipByValue gradient passes where 0 <= 0.2·z + 0.5 <= 1 (inclusive).
    const yp = Math.fround(Math.fround(0.2 * z) + 0.5);
    return yp >= 0 && yp <= 1 ? 0.2 : 0;
  }
  return y * (1 - y);
}

/**
 * Backward through time. Returns dZ, the gradient of the gate pre-activations at every time
 * position (zeros at masked steps): everything else (dx, dkernel, drecurrent, dbias) is a
 * product of dZ with saved tensors and is left to one matmul each.
 * @param dOut // [B, T, H] indexed like the forward output, or null
 * @param dLast // [B, H] or null
 * @returns dZ // [B, T, 4H]
 */
export function recurrenceBackward(
  trace: RecurrenceTrace,
  dOut: Float32Array | null,
  dLast: Float32Array | null,
  mask: Float32Array | null,
  recurrentKernel: Float32Array,
  shape: RecurrenceShape,
  options: RecurrenceOptions,
): Float32Array {
  const { batch: B, steps: T, units: H } = shape;
  const G = 4 * H;
  const hard = options.recurrentActivation === 'hardSigmoid';
  const { gates, pre, cell, cPrev } = trace;
  const dz = new Float32Array(B * T * G); // [B, T, 4H]
  const dh = new Float64Array(B * H); // [B, H]
  const dc = new Float64Array(B * H); // [B, H]
  if (dLast !== null) for (let i = 0; i < B * H; i++) dh[i] = dLast[i];
  const row = new Float64Array(G); // scratch dZ row
  for (let s = T - 1; s >= 0; s--) {
    const t = options.goBackwards ? T - 1 - s : s;
    const o = options.outputOrder === 'position' ? t : s;
    for (let b = 0; b < B; b++) {
      const hb = b * H;
      const bt = b * T + t;
      if (dOut !== null) {
        const outRow = (b * T + o) * H;
        for (let u = 0; u < H; u++) dh[hb + u] += dOut[outRow + u];
      }
      if (mask !== null && mask[bt] === 0) continue; // state and its gradient pass through
      const gRow = bt * G;
      for (let u = 0; u < H; u++) {
        const gi = gates[gRow + u];
        const gf = gates[gRow + H + u];
        const gg = gates[gRow + 2 * H + u];
        const go = gates[gRow + 3 * H + u];
        const tc = Math.tanh(cell[bt * H + u]);
        const dhu = dh[hb + u];
        const dct = dc[hb + u] + dhu * go * (1 - tc * tc);
        row[u] = dct * gg * gateSlope(hard, gi, pre[gRow + u]);
        row[H + u] = dct * cPrev[bt * H + u] * gateSlope(hard, gf, pre[gRow + H + u]);
        row[2 * H + u] = dct * gi * (1 - gg * gg);
        row[3 * H + u] = dhu * tc * gateSlope(hard, go, pre[gRow + 3 * H + u]);
        dc[hb + u] = dct * gf;
      }
      for (let j = 0; j < G; j++) dz[gRow + j] = row[j];
      // dh_prev = dZ_row · Rᵀ
      vecMatT(dh, hb, row, recurrentKernel, H, G);
    }
  }
  return dz;
}
