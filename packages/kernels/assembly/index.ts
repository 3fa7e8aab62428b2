/**
 * WebAssembly SIMD kernels (AssemblyScript, built with `--enable simd -O3 --runtime stub`).
 *
 * No allocation happens here: the host (src/wasm-kernels.ts) lays out every buffer in linear
 * memory above `heapBase()` and passes byte addresses. Matrices are row-major f32 with
 * strides given in floats; every column count handed to these kernels is a multiple of 4
 * (the host pads H, 4H and dense widths to multiples of 4 with zero weights).
 *
 * LSTM gate layout: gate-major rows `[i | f | g | o]`, each `Hp` wide (Hp = H rounded up to 4).
 */

import { vexp, vexpGate } from './vmath';

export * from './transformer';

// ---------------------------------------------------------------------------------------------
// Elementwise math on f32x4

/** 1 / (1 + e^-x). */
function vsigmoid(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, vexp(f32x4.neg(x))));
}

/** clip(0.2·x + 0.5, 0, 1), tfjs-layers' hardSigmoid. */
function vhard(x: v128): v128 {
  const y = f32x4.add(f32x4.mul(x, f32x4.splat(0.2)), f32x4.splat(0.5));
  return f32x4.min(f32x4.max(y, f32x4.splat(0)), f32x4.splat(1));
}

/** tanh x = sign(x)·(1 - e^{-2|x|}) / (1 + e^{-2|x|}); below |x| < 0.0625 an odd Taylor polynomial. */
function vtanh(x: v128): v128 {
  const one = f32x4.splat(1);
  const ax = f32x4.abs(x);
  const e = vexp(f32x4.mul(ax, f32x4.splat(-2)));
  const big = f32x4.div(f32x4.sub(one, e), f32x4.add(one, e));
  const x2 = f32x4.mul(ax, ax);
  // x - x³/3 + 2x⁵/15 - 17x⁷/315
  let p = f32x4.splat(-0.053968254);
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(0.13333334));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-0.33333334));
  const small = f32x4.add(ax, f32x4.mul(ax, f32x4.mul(p, x2)));
  const t = v128.bitselect(small, big, f32x4.lt(ax, f32x4.splat(0.0625)));
  return v128.or(t, v128.and(x, i32x4.splat(0x80000000)));
}

/** 1 / (1 + e^-x) with {@link vexpGate}: the sigmoid of the inference LSTM (absolute error < 1e-7). */
function gateSigmoid(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, vexpGate(f32x4.neg(x))));
}

/**
 * tanh x = sign(x)·(1 - e^{-2|x|}) / (1 + e^{-2|x|}) with {@link vexpGate} and no small-|x|
 * branch: the tanh of the inference LSTM, where errors count in absolute terms (< 1.2e-7, also
 * near 0, though not relative to x there). Training keeps {@link vtanh}, so that a training run
 * gives the weights it always gave.
 */
function gateTanh(x: v128): v128 {
  const one = f32x4.splat(1);
  const e = vexpGate(f32x4.mul(f32x4.abs(x), f32x4.splat(-2)));
  const t = f32x4.div(f32x4.sub(one, e), f32x4.add(one, e));
  return v128.or(t, v128.and(x, i32x4.splat(0x80000000)));
}

/**
 * The inference LSTM's cell update over one row of Hp units: gates z [4Hp] (i|f|g|o, each Hp
 * wide), c [Hp] in and out, h [Hp] out, and with hq ≠ 0 h rounded to i16 there (hq = round(h ·
 * qmax), qs = qmax on four lanes). `hard` gates: tfjs-layers' hardSigmoid. Sigmoid gates take
 * two divisions instead of five: with Dᵢ = 1 + e^-zᵢ (σ(zᵢ) = 1/Dᵢ, likewise D_f, D_o) and
 * tanh z_g = s_g(1 − e_g)/(1 + e_g), e_g = e^{−2|z_g|} ({@link gateTanh}'s form),
 *   c' = c/D_f + s_g(1 − e_g)/(Dᵢ(1 + e_g)) = (c·Dᵢ(1 + e_g) + s_g(1 − e_g)·D_f) / (D_f·Dᵢ(1 + e_g)),
 *   h' = σ(z_o)·tanh c' = s_c(1 − e_c) / (D_o(1 + e_c)),  e_c = e^{−2|c'|}.
 * The exponents of the D are capped at 30 (σ then errs by < 1e-13), so every product stays finite.
 */
function cellRow(zr: usize, cr: usize, hr: usize, hqr: usize, hp: i32, hard: i32, qs: v128): void {
  const hb = <usize>hp << 2;
  const one = f32x4.splat(1);
  const sign = i32x4.splat(0x80000000);
  const cap = f32x4.splat(30);
  if (hard != 0) {
    for (let u = 0; u < hp; u += 4) {
      const q = <usize>u << 2;
      const zi = v128.load(zr + q);
      const zf = v128.load(zr + hb + q);
      const zg = v128.load(zr + 2 * hb + q);
      const zo = v128.load(zr + 3 * hb + q);
      const cn = f32x4.add(f32x4.mul(vhard(zf), v128.load(cr + q)), f32x4.mul(vhard(zi), gateTanh(zg)));
      v128.store(cr + q, cn);
      v128.store(hr + q, f32x4.mul(vhard(zo), gateTanh(cn)));
    }
  } else {
    // Two passes over the row, so that each iteration's chain of dependent operations is about
    // half as long and the CPU overlaps more iterations; every value is computed by the same
    // operations in the same order as in one pass. The first leaves D_o in h until the second.
    for (let u = 0; u < hp; u += 4) {
      const q = <usize>u << 2;
      const zi = v128.load(zr + q);
      const zf = v128.load(zr + hb + q);
      const zg = v128.load(zr + 2 * hb + q);
      const zo = v128.load(zr + 3 * hb + q);
      const di = f32x4.add(one, vexpGate(f32x4.pmin(f32x4.neg(zi), cap)));
      const df = f32x4.add(one, vexpGate(f32x4.pmin(f32x4.neg(zf), cap)));
      const dout = f32x4.add(one, vexpGate(f32x4.pmin(f32x4.neg(zo), cap)));
      const eg = vexpGate(f32x4.mul(f32x4.abs(zg), f32x4.splat(-2)));
      const ng = v128.or(f32x4.sub(one, eg), v128.and(zg, sign));
      const dig = f32x4.mul(di, f32x4.add(one, eg));
      v128.store(cr + q, f32x4.div(f32x4.add(f32x4.mul(v128.load(cr + q), dig), f32x4.mul(ng, df)), f32x4.mul(df, dig)));
      v128.store(hr + q, dout);
    }
    for (let u = 0; u < hp; u += 4) {
      const q = <usize>u << 2;
      const cn = v128.load(cr + q);
      const ec = vexpGate(f32x4.mul(f32x4.abs(cn), f32x4.splat(-2)));
      v128.store(hr + q, v128.or(f32x4.div(f32x4.sub(one, ec), f32x4.mul(v128.load(hr + q), f32x4.add(one, ec))), v128.and(cn, sign)));
    }
  }
  if (hqr != 0) {
    for (let u = 0; u < hp; u += 4) {
      // round half to even, |h| < 1 so |hq| ≤ qmax
      const iq = roundToI32(f32x4.mul(v128.load(hr + (<usize>u << 2)), qs));
      store<i64>(hqr + (<usize>u << 1), i64x2.extract_lane(i16x8.narrow_i32x4_s(iq, iq), 0));
    }
  }
}

/**
 * The inference LSTM's cell update ({@link cellRow}, sigmoid gates) for the host's tests: z [4, n]
 * (gates i|f|g|o, each n wide), c [n] in and out, h [n] out; n a multiple of 4.
 */
export function gateCellArray(z: usize, c: usize, h: usize, n: i32): void {
  cellRow(z, c, h, 0, n, 0, f32x4.splat(0));
}

/** out[i] = gate tanh(x[i]) for i < n (n a multiple of 4): lets the host test the approximation. */
export function gateTanhArray(out: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) v128.store(out + (<usize>i << 2), gateTanh(v128.load(x + (<usize>i << 2))));
}

/** out[i] = gate sigmoid(x[i]) for i < n (n a multiple of 4). */
export function gateSigmoidArray(out: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) v128.store(out + (<usize>i << 2), gateSigmoid(v128.load(x + (<usize>i << 2))));
}

/** out[i] = tanh(x[i]) for i < n (n a multiple of 4): lets the host test the approximation. */
export function tanhArray(out: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) v128.store(out + (<usize>i << 2), vtanh(v128.load(x + (<usize>i << 2))));
}

/** out[i] = sigmoid(x[i]) for i < n (n a multiple of 4). */
export function sigmoidArray(out: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) v128.store(out + (<usize>i << 2), vsigmoid(v128.load(x + (<usize>i << 2))));
}

// ---------------------------------------------------------------------------------------------
// Matrix products

/**
 * C[m, n] += A[m, k] · B[k, n]; n a multiple of 4. Register blocks of 4 rows × 8 columns
 * (8 accumulators), then 4 × 4, then single rows of 16 and 4 columns.
 */
export function gemmAcc(c: usize, ldc: i32, a: usize, lda: i32, b: usize, ldb: i32, m: i32, k: i32, n: i32): void {
  const sa = <usize>lda << 2;
  const sb = <usize>ldb << 2;
  const sc = <usize>ldc << 2;
  // Column blocks outside, row blocks inside: a block's strip of B (k × 8 floats) stays in L1
  // while every row block passes over it.
  const m4 = m & ~3;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    for (let i = 0; i < m4; i += 4) {
      const a0 = a + <usize>i * sa;
      const cp = c + <usize>i * sc + (<usize>j << 2);
      let c00 = v128.load(cp), c01 = v128.load(cp, 16);
      let c10 = v128.load(cp + sc), c11 = v128.load(cp + sc, 16);
      let c20 = v128.load(cp + 2 * sc), c21 = v128.load(cp + 2 * sc, 16);
      let c30 = v128.load(cp + 3 * sc), c31 = v128.load(cp + 3 * sc, 16);
      let bp = b + (<usize>j << 2);
      let ap = a0;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const x0 = v128.load32_splat(ap);
        const x1 = v128.load32_splat(ap + sa);
        const x2 = v128.load32_splat(ap + 2 * sa);
        const x3 = v128.load32_splat(ap + 3 * sa);
        c00 = f32x4.add(c00, f32x4.mul(x0, b0));
        c01 = f32x4.add(c01, f32x4.mul(x0, b1));
        c10 = f32x4.add(c10, f32x4.mul(x1, b0));
        c11 = f32x4.add(c11, f32x4.mul(x1, b1));
        c20 = f32x4.add(c20, f32x4.mul(x2, b0));
        c21 = f32x4.add(c21, f32x4.mul(x2, b1));
        c30 = f32x4.add(c30, f32x4.mul(x3, b0));
        c31 = f32x4.add(c31, f32x4.mul(x3, b1));
        bp += sb;
        ap += 4;
      }
      v128.store(cp, c00); v128.store(cp, c01, 16);
      v128.store(cp + sc, c10); v128.store(cp + sc, c11, 16);
      v128.store(cp + 2 * sc, c20); v128.store(cp + 2 * sc, c21, 16);
      v128.store(cp + 3 * sc, c30); v128.store(cp + 3 * sc, c31, 16);
    }
  }
  for (; j < n; j += 4) {
    for (let i = 0; i < m4; i += 4) {
      const a0 = a + <usize>i * sa;
      const cp = c + <usize>i * sc + (<usize>j << 2);
      let c00 = v128.load(cp);
      let c10 = v128.load(cp + sc);
      let c20 = v128.load(cp + 2 * sc);
      let c30 = v128.load(cp + 3 * sc);
      let bp = b + (<usize>j << 2);
      let ap = a0;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(bp);
        c00 = f32x4.add(c00, f32x4.mul(v128.load32_splat(ap), b0));
        c10 = f32x4.add(c10, f32x4.mul(v128.load32_splat(ap + sa), b0));
        c20 = f32x4.add(c20, f32x4.mul(v128.load32_splat(ap + 2 * sa), b0));
        c30 = f32x4.add(c30, f32x4.mul(v128.load32_splat(ap + 3 * sa), b0));
        bp += sb;
        ap += 4;
      }
      v128.store(cp, c00);
      v128.store(cp + sc, c10);
      v128.store(cp + 2 * sc, c20);
      v128.store(cp + 3 * sc, c30);
    }
  }
  let i = m4;
  for (; i < m; i++) {
    const ar = a + <usize>i * sa;
    const cr = c + <usize>i * sc;
    let j = 0;
    for (; j + 16 <= n; j += 16) {
      const cp = cr + (<usize>j << 2);
      let c0 = v128.load(cp), c1 = v128.load(cp, 16), c2 = v128.load(cp, 32), c3 = v128.load(cp, 48);
      let bp = b + (<usize>j << 2);
      let p = 0;
      for (; p + 2 <= k; p += 2) {
        const x = v128.load32_splat(ar + (<usize>p << 2));
        const y = v128.load32_splat(ar + (<usize>p << 2), 4);
        const bq = bp + sb;
        c0 = f32x4.add(c0, f32x4.mul(x, v128.load(bp)));
        c1 = f32x4.add(c1, f32x4.mul(x, v128.load(bp, 16)));
        c2 = f32x4.add(c2, f32x4.mul(x, v128.load(bp, 32)));
        c3 = f32x4.add(c3, f32x4.mul(x, v128.load(bp, 48)));
        c0 = f32x4.add(c0, f32x4.mul(y, v128.load(bq)));
        c1 = f32x4.add(c1, f32x4.mul(y, v128.load(bq, 16)));
        c2 = f32x4.add(c2, f32x4.mul(y, v128.load(bq, 32)));
        c3 = f32x4.add(c3, f32x4.mul(y, v128.load(bq, 48)));
        bp += 2 * sb;
      }
      for (; p < k; p++) {
        const x = v128.load32_splat(ar + (<usize>p << 2));
        c0 = f32x4.add(c0, f32x4.mul(x, v128.load(bp)));
        c1 = f32x4.add(c1, f32x4.mul(x, v128.load(bp, 16)));
        c2 = f32x4.add(c2, f32x4.mul(x, v128.load(bp, 32)));
        c3 = f32x4.add(c3, f32x4.mul(x, v128.load(bp, 48)));
        bp += sb;
      }
      v128.store(cp, c0); v128.store(cp, c1, 16); v128.store(cp, c2, 32); v128.store(cp, c3, 48);
    }
    for (; j < n; j += 4) {
      const cp = cr + (<usize>j << 2);
      let c0 = v128.load(cp);
      let bp = b + (<usize>j << 2);
      for (let p = 0; p < k; p++) {
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(ar + (<usize>p << 2)), v128.load(bp)));
        bp += sb;
      }
      v128.store(cp, c0);
    }
  }
}

/**
 * C[m, n] = act(A[m, k] · B[k, n] + bias[n]); relu when `relu` ≠ 0. n a multiple of 4.
 */
export function gemmBias(c: usize, ldc: i32, a: usize, lda: i32, b: usize, ldb: i32, bias: usize, m: i32, k: i32, n: i32, relu: i32): void {
  const sc = <usize>ldc << 2;
  const nb = <usize>n << 2;
  for (let i = 0; i < m; i++) memory.copy(c + <usize>i * sc, bias, nb);
  gemmAcc(c, ldc, a, lda, b, ldb, m, k, n);
  if (relu != 0) {
    const zero = f32x4.splat(0);
    for (let i = 0; i < m; i++) {
      const cr = c + <usize>i * sc;
      for (let j = 0; j < n; j += 4) v128.store(cr + (<usize>j << 2), f32x4.max(v128.load(cr + (<usize>j << 2)), zero));
    }
  }
}

/** dst row r = src row idx[r] for r < count (rows of `cols` floats; idx is i32). */
export function gatherRows(dst: usize, src: usize, idx: usize, count: i32, cols: i32): void {
  const bytes = <usize>cols << 2;
  for (let r = 0; r < count; r++) {
    memory.copy(dst + <usize>r * bytes, src + <usize>load<i32>(idx + (<usize>r << 2)) * bytes, bytes);
  }
}

// ---------------------------------------------------------------------------------------------
// First-layer rows kept in 16 bits (precision 'int16'): each row rounded by its own largest value

/** The largest |value| of a row of `cols` floats (a multiple of 4). */
function rowAbsMax(src: usize, cols: i32): f32 {
  let m = f32x4.splat(0);
  for (let j = 0; j < cols; j += 4) m = f32x4.max(m, f32x4.abs(v128.load(src + (<usize>j << 2))));
  return Mathf.max(Mathf.max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), Mathf.max(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
}

/**
 * round-half-even(x) as i32 on four lanes for |x| < 2^22, what `trunc_sat(nearest(x))` gives, in
 * two operations: x + 1.5·2^23 lies in [2^23, 2^24), where float32 steps by 1, so the addition
 * rounds x to an integer half to even (1.5·2^23 is even), which the sum's low bits then hold.
 */
function roundToI32(x: v128): v128 {
  return i32x4.sub(f32x4.add(x, f32x4.splat(12582912)), i32x4.splat(0x4b400000));
}

/** Rounds one row (cols a multiple of 8) to i16 at dst: q = round(x · 32767 / max), half to even; returns the step max / 32767 (0 for a zero row). */
function quantizeRow16(dst: usize, src: usize, cols: i32): f32 {
  const max = rowAbsMax(src, cols);
  const inv = f32x4.splat(max > 0 ? <f32>32767 / max : 0);
  for (let j = 0; j < cols; j += 8) {
    const a = roundToI32(f32x4.mul(v128.load(src + (<usize>j << 2)), inv));
    const b = roundToI32(f32x4.mul(v128.load(src + (<usize>j << 2), 16), inv));
    v128.store(dst + (<usize>j << 1), i16x8.narrow_i32x4_s(a, b));
  }
  return max / 32767;
}

/** Writes f32(q) · step for one i16 row (cols a multiple of 8) to dst. */
function dequantizeRow16(dst: usize, q: usize, step: f32, cols: i32): void {
  const s = f32x4.splat(step);
  for (let j = 0; j < cols; j += 8) {
    const v = v128.load(q + (<usize>j << 1));
    v128.store(dst + (<usize>j << 2), f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(v)), s));
    v128.store(dst + (<usize>j << 2), f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(v)), s), 16);
  }
}

/**
 * Table row idx[r] = src row r rounded to i16 by its own largest value, its step in steps[idx[r]],
 * for r < count (src rows of `cols` floats, a multiple of 8; table rows of `cols` i16).
 */
export function scatterRows16(table: usize, steps: usize, src: usize, idx: usize, count: i32, cols: i32): void {
  for (let r = 0; r < count; r++) {
    const row = <usize>load<i32>(idx + (<usize>r << 2));
    store<f32>(steps + (row << 2), quantizeRow16(table + row * (<usize>cols << 1), src + <usize>r * (<usize>cols << 2), cols));
  }
}

/** dst row r = f32(table row idx[r]) · steps[idx[r]] for r < count: {@link scatterRows16}'s rows back in float. */
export function gatherRows16(dst: usize, table: usize, steps: usize, idx: usize, count: i32, cols: i32): void {
  for (let r = 0; r < count; r++) {
    const row = <usize>load<i32>(idx + (<usize>r << 2));
    dequantizeRow16(dst + <usize>r * (<usize>cols << 2), table + row * (<usize>cols << 1), load<f32>(steps + (row << 2)), cols);
  }
}

/**
 * Rows [count, cols] in place, rounded as {@link scatterRows16} rounds them and back in float
 * (what the table would give); `scratch` holds one i16 row.
 */
export function roundRows16(rows: usize, count: i32, cols: i32, scratch: usize): void {
  const fb = <usize>cols << 2;
  for (let r = 0; r < count; r++) {
    const row = rows + <usize>r * fb;
    dequantizeRow16(row, scratch, quantizeRow16(scratch, row, cols), cols);
  }
}

/** dst row dstIdx[r] = src row srcIdx[r] for r < count (rows of `cols` floats; both indices i32). */
export function copyRows(dst: usize, dstIdx: usize, src: usize, srcIdx: usize, count: i32, cols: i32): void {
  const bytes = <usize>cols << 2;
  for (let r = 0; r < count; r++) {
    const at = <usize>r << 2;
    memory.copy(dst + <usize>load<i32>(dstIdx + at) * bytes, src + <usize>load<i32>(srcIdx + at) * bytes, bytes);
  }
}

/** dst row idx[r] = src row r for r < count (rows of `cols` floats; idx is i32). */
export function scatterRows(dst: usize, src: usize, idx: usize, count: i32, cols: i32): void {
  const bytes = <usize>cols << 2;
  for (let r = 0; r < count; r++) {
    memory.copy(dst + <usize>load<i32>(idx + (<usize>r << 2)) * bytes, src + <usize>r * bytes, bytes);
  }
}

// ---------------------------------------------------------------------------------------------
// LSTM over packed sequences

/**
 * One LSTM direction over a packed batch (sequences sorted by length, longest first, as
 * PyTorch's PackedSequence): processing step s advances the first `batchSizes[s]` sequences.
 *
 * Processing entry e = offset(s) + r (sequence r at step s) reads its pre-activations
 * `x·kernel + bias` from row `rows[e]` of `xz` and writes its h to row `rows[e]` of `out`
 * (columns `outCol … outCol+Hp`); `rows` = 0 means rows[e] = e. Where `mask[rows[e]]` is 0
 * (u8; `mask` = 0 means none) the state carries over and the previous h is written.
 *
 * @param xz      [N, 4Hp]; with `rows` = 0 it is overwritten (each step adds h · R to its rows in place)
 * @param rec     [Hp, 4Hp] recurrent kernel
 * @param out     [N, outStride]
 * @param h, c    scratch [batchSizes[0], Hp]; z scratch [batchSizes[0], 4Hp] (unused with `rows` = 0)
 */
export function lstmPacked(
  xz: usize, rows: usize, batchSizes: usize, steps: i32, hp: i32, rec: usize, mask: usize, hard: i32,
  out: usize, outStride: i32, outCol: i32, h: usize, c: usize, z: usize,
): void {
  lstmSteps(xz, rows, batchSizes, steps, hp, rec, 0, 0, mask, hard, out, outStride, outCol, h, c, z, 0);
}

/**
 * {@link lstmPacked} with the recurrent product in 16-bit integers: each step's h is rounded to
 * `hq = round(h · qmax)` (i16 [batchSizes[0], Hp] scratch), the kernel is `recQ` (i16, pair-packed
 * as {@link gemmQ} reads it, rounded per column to ±qmax) and `z += (hq · recQ) · recScale`
 * (recScale [4Hp]: the column's scale / qmax). The integer sums are exact when Hp · qmax² < 2³¹.
 */
export function lstmPackedQ(
  xz: usize, rows: usize, batchSizes: usize, steps: i32, hp: i32, recQ: usize, recScale: usize, qmax: f32, mask: usize, hard: i32,
  out: usize, outStride: i32, outCol: i32, h: usize, c: usize, z: usize, hq: usize,
): void {
  lstmSteps(xz, rows, batchSizes, steps, hp, recQ, recScale, qmax, mask, hard, out, outStride, outCol, h, c, z, hq);
}

/** The time loop of {@link lstmPacked} (hq = 0) and {@link lstmPackedQ}. */
function lstmSteps(
  xz: usize, rows: usize, batchSizes: usize, steps: i32, hp: i32, rec: usize, recScale: usize, qmax: f32, mask: usize, hard: i32,
  out: usize, outStride: i32, outCol: i32, h: usize, c: usize, z: usize, hq: usize,
): void {
  if (steps == 0) return;
  const g = hp << 2;
  const gb = <usize>g << 2;
  const hb = <usize>hp << 2;
  const qb = <usize>hp << 1;
  const ob = <usize>outStride << 2;
  const oc = <usize>outCol << 2;
  const b0 = load<i32>(batchSizes);
  const qs = f32x4.splat(qmax);
  memory.fill(h, 0, <usize>b0 * hb);
  memory.fill(c, 0, <usize>b0 * hb);
  if (hq != 0) memory.fill(hq, 0, <usize>b0 * qb);
  let off = 0;
  for (let s = 0; s < steps; s++) {
    const n = load<i32>(batchSizes + (<usize>s << 2));
    // In order (rows = 0) the step's rows of xz are contiguous: they take the product in place.
    // Otherwise they are gathered into z first.
    const zs = rows == 0 ? xz + <usize>off * gb : z;
    if (rows != 0) {
      for (let r = 0; r < n; r++) memory.copy(z + <usize>r * gb, xz + <usize>load<i32>(rows + (<usize>(off + r) << 2)) * gb, gb);
    }
    if (hq == 0) gemmAcc(zs, g, h, hp, rec, g, n, hp, g); // z += h · R
    else gemmQ(zs, g, hq, hp, rec, recScale, 0, n, g); // z += (hq · Rq) · scale
    for (let r = 0; r < n; r++) {
      const row = rows == 0 ? off + r : load<i32>(rows + (<usize>(off + r) << 2));
      const hr = h + <usize>r * hb;
      const dst = out + <usize>row * ob + oc;
      if (mask == 0 || load<u8>(mask + <usize>row) != 0) {
        const cr = c + <usize>r * hb;
        const zr = zs + <usize>r * gb;
        cellRow(zr, cr, hr, hq == 0 ? 0 : hq + <usize>r * qb, hp, hard, qs);
      }
      memory.copy(dst, hr, hb);
    }
    off += n;
  }
}

/** Row i's step of {@link gemmQ} on four lanes (1 without steps: a product by 1 is exact). */
function rowStep(rowSteps: usize, i: i32): v128 {
  return rowSteps == 0 ? f32x4.splat(1) : v128.load32_splat(rowSteps + (<usize>i << 2));
}

/** C[m, n] = bias[n] + (f32(A · B) · rowSteps[m]) · scale[n]: {@link gemmQ} from the bias. */
export function gemmBiasQ(c: usize, ldc: i32, a: usize, kp: i32, b: usize, scale: usize, rowSteps: usize, bias: usize, m: i32, n: i32): void {
  const sc = <usize>ldc << 2;
  const nb = <usize>n << 2;
  for (let i = 0; i < m; i++) memory.copy(c + <usize>i * sc, bias, nb);
  gemmQ(c, ldc, a, kp, b, scale, rowSteps, m, n);
}

/**
 * Rounds each row of src [m, k] (row stride lds floats) to 16-bit integers in ±qmax:
 * dst[i, j] = round(src[i, j] · (qmax / max_i)) with max_i = max_j |src[i, j]|, half to even;
 * dst rows are kp ≥ k wide (i16, zero past k), steps[i] = max_i / qmax (a zero row: 0s, step 0).
 */
export function quantizeRows(dst: usize, kp: i32, src: usize, lds: i32, m: i32, k: i32, qmax: f32, steps: usize): void {
  for (let i = 0; i < m; i++) {
    const sr = src + (<usize>i * <usize>lds << 2);
    const dr = dst + (<usize>i * <usize>kp << 1);
    let max: f32 = 0;
    for (let j = 0; j < k; j++) max = Mathf.max(max, Mathf.abs(load<f32>(sr + (<usize>j << 2))));
    const inv: f32 = max > 0 ? qmax / max : 0;
    for (let j = 0; j < k; j++) store<i16>(dr + (<usize>j << 1), <i16><i32>nearest<f32>(load<f32>(sr + (<usize>j << 2)) * inv));
    for (let j = k; j < kp; j++) store<i16>(dr + (<usize>j << 1), 0);
    store<f32>(steps + (<usize>i << 2), max / qmax);
  }
}

/**
 * C[m, n] += (f32(A[m, kp] · B[kp, n]) · rowSteps[m]) · scale[n] in 16-bit integers with 32-bit
 * sums (i32x4.dot_i16x8_s); `rowSteps` = 0 means 1 for every row; n a multiple of 8, kp even.
 * A is row-major i16 (row stride kp); B is pair-packed: B[k, j] at i16 index
 * ((k >> 1) · n + j) · 2 + (k & 1), so one v128 holds rows 2q, 2q+1 of four columns. Register
 * blocks of 4 rows × 8 columns (gemmAcc's blocking, with dot products), then single rows.
 */
export function gemmQ(c: usize, ldc: i32, a: usize, kp: i32, b: usize, scale: usize, rowSteps: usize, m: i32, n: i32): void {
  const sa = <usize>kp << 1;
  const sc = <usize>ldc << 2;
  const sb = <usize>n << 2; // one pair of rows of B: n columns × 2 × 2 bytes
  const pairs = kp >> 1;
  const m4 = m & ~3;
  for (let j = 0; j < n; j += 8) {
    const jb = <usize>j << 2;
    const s0 = v128.load(scale + jb);
    const s1 = v128.load(scale + jb, 16);
    for (let i = 0; i < m4; i += 4) {
      let c00 = i32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
      let bp = b + jb;
      let ap = a + <usize>i * sa;
      for (let q = 0; q < pairs; q++) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const x0 = v128.load32_splat(ap);
        const x1 = v128.load32_splat(ap + sa);
        const x2 = v128.load32_splat(ap + 2 * sa);
        const x3 = v128.load32_splat(ap + 3 * sa);
        c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x0, b0));
        c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x0, b1));
        c10 = i32x4.add(c10, i32x4.dot_i16x8_s(x1, b0));
        c11 = i32x4.add(c11, i32x4.dot_i16x8_s(x1, b1));
        c20 = i32x4.add(c20, i32x4.dot_i16x8_s(x2, b0));
        c21 = i32x4.add(c21, i32x4.dot_i16x8_s(x2, b1));
        c30 = i32x4.add(c30, i32x4.dot_i16x8_s(x3, b0));
        c31 = i32x4.add(c31, i32x4.dot_i16x8_s(x3, b1));
        bp += sb;
        ap += 4;
      }
      const cp = c + <usize>i * sc + jb;
      const r0 = rowStep(rowSteps, i), r1 = rowStep(rowSteps, i + 1), r2 = rowStep(rowSteps, i + 2), r3 = rowStep(rowSteps, i + 3);
      v128.store(cp, f32x4.add(v128.load(cp), f32x4.mul(f32x4.mul(f32x4.convert_i32x4_s(c00), r0), s0)));
      v128.store(cp, f32x4.add(v128.load(cp, 16), f32x4.mul(f32x4.mul(f32x4.convert_i32x4_s(c01), r0), s1)), 16);
      v128.store(cp + sc, f32x4.add(v128.load(cp + sc), f32x4.mul(f32x4.mul(f32x4.convert_i32x4_s(c10), r1), s0)));
      v128.store(cp + sc, f32x4.add(v128.load(cp + sc, 16), f32x4.mul(f32x4.mul(f32x4.convert_i32x4_s(c11), r1), s1)), 16);
      v128.store(cp + 2 * sc, f32x4.add(v128.load(cp + 2 * sc), f32x4.mul(f32x4.mul(f32x4.convert_i32x4_s(c20), r2), s0)));
      v128.store(cp + 2 * sc, f32x4.add(v128.load(cp + 2 * sc, 16), f32x4.mul(f32x4.mul(f32x4.convert_i32x4_s(c21), r2), s1)), 16);
      v128.store(cp + 3 * sc, f32x4.add(v128.load(cp + 3 * sc), f32x4.mul(f32x4.mul(f32x4.convert_i32x4_s(c30), r3), s0)));
      v128.store(cp + 3 * sc, f32x4.add(v128.load(cp + 3 * sc, 16), f32x4.mul(f32x4.mul(f32x4.convert_i32x4_s(c31), r3), s1)), 16);
    }
    for (let i = m4; i < m; i++) {
      let c0 = i32x4.splat(0), c1 = c0;
      let bp = b + jb;
      let ap = a + <usize>i * sa;
      for (let q = 0; q < pairs; q++) {
        const x = v128.load32_splat(ap);
        c0 = i32x4.add(c0, i32x4.dot_i16x8_s(x, v128.load(bp)));
        c1 = i32x4.add(c1, i32x4.dot_i16x8_s(x, v128.load(bp, 16)));
        bp += sb;
        ap += 4;
      }
      const cp = c + <usize>i * sc + jb;
      const r = rowStep(rowSteps, i);
      v128.store(cp, f32x4.add(v128.load(cp), f32x4.mul(f32x4.mul(f32x4.convert_i32x4_s(c0), r), s0)));
      v128.store(cp, f32x4.add(v128.load(cp, 16), f32x4.mul(f32x4.mul(f32x4.convert_i32x4_s(c1), r), s1)), 16);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// LSTM training: forward with a trace, backward through time

/**
 * Forward pass of one direction over a padded batch, time-major in processing order, keeping
 * what the backward pass needs. Keras masking: where `mask[s, r]` is 0 the state carries over
 * (h, c copied) and the gates are recorded as 0.
 *
 * @param z      [T, B, 4Hp] in: x·kernel + bias; out: gate pre-activations (+ h·R)
 * @param gates  [T, B, 4Hp] out: activated gates i, f, g, o
 * @param mask   u8 [T, B], or 0 for none
 * @param rec    [Hp, 4Hp]
 * @param hs     [T+1, B, Hp] out: hs[0] = 0, hs[s+1] = h after step s
 * @param cs     [T+1, B, Hp] out: the same for c
 */
export function lstmTrainForward(
  z: usize, gates: usize, mask: usize, rec: usize, b: i32, steps: i32, hp: i32, hard: i32, hs: usize, cs: usize,
): void {
  const g = hp << 2;
  const gb = <usize>g << 2;
  const hb = <usize>hp << 2;
  const slab = <usize>b * hb;
  const zslab = <usize>b * gb;
  memory.fill(hs, 0, slab);
  memory.fill(cs, 0, slab);
  for (let s = 0; s < steps; s++) {
    const zs = z + <usize>s * zslab;
    const gs = gates + <usize>s * zslab;
    const h0 = hs + <usize>s * slab;
    const c0 = cs + <usize>s * slab;
    gemmAcc(zs, g, h0, hp, rec, g, b, hp, g); // z += h_prev · R
    for (let r = 0; r < b; r++) {
      const hr0 = h0 + <usize>r * hb;
      const cr0 = c0 + <usize>r * hb;
      const hr1 = hr0 + slab;
      const cr1 = cr0 + slab;
      const gr = gs + <usize>r * gb;
      if (mask != 0 && load<u8>(mask + <usize>s * <usize>b + <usize>r) == 0) {
        memory.copy(hr1, hr0, hb);
        memory.copy(cr1, cr0, hb);
        memory.fill(gr, 0, gb);
        continue;
      }
      const zr = zs + <usize>r * gb;
      for (let u = 0; u < hp; u += 4) {
        const q = <usize>u << 2;
        const zi = v128.load(zr + q);
        const zf = v128.load(zr + hb + q);
        const zg = v128.load(zr + 2 * hb + q);
        const zo = v128.load(zr + 3 * hb + q);
        let gi: v128, gf: v128, go: v128;
        if (hard != 0) {
          gi = vhard(zi); gf = vhard(zf); go = vhard(zo);
        } else {
          gi = vsigmoid(zi); gf = vsigmoid(zf); go = vsigmoid(zo);
        }
        const gg = vtanh(zg);
        const cn = f32x4.add(f32x4.mul(gf, v128.load(cr0 + q)), f32x4.mul(gi, gg));
        v128.store(cr1 + q, cn);
        v128.store(hr1 + q, f32x4.mul(go, vtanh(cn)));
        v128.store(gr + q, gi);
        v128.store(gr + hb + q, gf);
        v128.store(gr + 2 * hb + q, gg);
        v128.store(gr + 3 * hb + q, go);
      }
    }
  }
}

/** Derivative of the gate activation from its value y and pre-activation z. */
function vslope(hard: i32, y: v128, z: v128): v128 {
  if (hard != 0) {
    // tfjs' clipByValue gradient passes where 0 <= 0.2·z + 0.5 <= 1 (inclusive).
    const yp = f32x4.add(f32x4.mul(z, f32x4.splat(0.2)), f32x4.splat(0.5));
    const inside = v128.and(f32x4.ge(yp, f32x4.splat(0)), f32x4.le(yp, f32x4.splat(1)));
    return v128.and(inside, f32x4.splat(0.2));
  }
  return f32x4.mul(y, f32x4.sub(f32x4.splat(1), y));
}

/**
 * Backward through time for {@link lstmTrainForward}: the gradient of the gate pre-activations
 * at every step (zeros at masked steps). dh/dc carry over masked steps unchanged.
 *
 * @param recT  [4Hp, Hp] the recurrent kernel transposed
 * @param dOut  [T, B, Hp] gradient of each step's output, processing order, or 0
 * @param dh    [B, Hp] in: gradient of the last state h (or zeros); scratch afterwards
 * @param dc    [B, Hp] zeros in; scratch
 * @param tmp   [B, Hp] scratch
 * @param dz    [T, B, 4Hp] out
 */
export function lstmTrainBackward(
  z: usize, gates: usize, mask: usize, recT: usize, b: i32, steps: i32, hp: i32, hard: i32, cs: usize,
  dOut: usize, dh: usize, dc: usize, tmp: usize, dz: usize,
): void {
  const g = hp << 2;
  const gb = <usize>g << 2;
  const hb = <usize>hp << 2;
  const slab = <usize>b * hb;
  const zslab = <usize>b * gb;
  const one = f32x4.splat(1);
  for (let s = steps - 1; s >= 0; s--) {
    if (dOut != 0) {
      const src = dOut + <usize>s * slab;
      for (let i: usize = 0; i < slab; i += 16) v128.store(dh + i, f32x4.add(v128.load(dh + i), v128.load(src + i)));
    }
    const zs = z + <usize>s * zslab;
    const gs = gates + <usize>s * zslab;
    const dzs = dz + <usize>s * zslab;
    const cPrev = cs + <usize>s * slab;
    const cCur = cPrev + slab;
    for (let r = 0; r < b; r++) {
      const dzr = dzs + <usize>r * gb;
      if (mask != 0 && load<u8>(mask + <usize>s * <usize>b + <usize>r) == 0) {
        memory.fill(dzr, 0, gb);
        continue;
      }
      const zr = zs + <usize>r * gb;
      const gr = gs + <usize>r * gb;
      const ro = <usize>r * hb;
      for (let u = 0; u < hp; u += 4) {
        const q = <usize>u << 2;
        const gi = v128.load(gr + q);
        const gf = v128.load(gr + hb + q);
        const gg = v128.load(gr + 2 * hb + q);
        const go = v128.load(gr + 3 * hb + q);
        const tc = vtanh(v128.load(cCur + ro + q));
        const dhu = v128.load(dh + ro + q);
        const dct = f32x4.add(v128.load(dc + ro + q), f32x4.mul(f32x4.mul(dhu, go), f32x4.sub(one, f32x4.mul(tc, tc))));
        v128.store(dzr + q, f32x4.mul(f32x4.mul(dct, gg), vslope(hard, gi, v128.load(zr + q))));
        v128.store(dzr + hb + q, f32x4.mul(f32x4.mul(dct, v128.load(cPrev + ro + q)), vslope(hard, gf, v128.load(zr + hb + q))));
        v128.store(dzr + 2 * hb + q, f32x4.mul(f32x4.mul(dct, gi), f32x4.sub(one, f32x4.mul(gg, gg))));
        v128.store(dzr + 3 * hb + q, f32x4.mul(f32x4.mul(dhu, tc), vslope(hard, go, v128.load(zr + 3 * hb + q))));
        v128.store(dc + ro + q, f32x4.mul(dct, gf));
      }
    }
    memory.fill(tmp, 0, slab);
    gemmAcc(tmp, hp, dzs, g, recT, hp, b, g, hp); // dh_prev = dZ · Rᵀ
    for (let r = 0; r < b; r++) {
      if (mask != 0 && load<u8>(mask + <usize>s * <usize>b + <usize>r) == 0) continue; // dh carries over
      memory.copy(dh + <usize>r * hb, tmp + <usize>r * hb, hb);
    }
  }
}

/**
 * Moves rows between batch-major `[B, T, …]` and time-major processing-order `[T, B, …]`
 * layouts: entry (s, b) of the time-major side is entry (b, t) of the batch-major side with
 * t = T-1-s when `reverse`, else s. Each row is `groups` runs of `len` floats, the runs
 * `srcGroup` / `dstGroup` floats apart (gates H apart on the tfjs side, Hp apart on ours).
 * Padding lanes of dst are left untouched.
 */
export function permuteRows(
  dst: usize, dstStride: i32, dstGroup: i32, src: usize, srcStride: i32, srcGroup: i32,
  groups: i32, len: i32, b: i32, steps: i32, reverse: i32, toTimeMajor: i32,
): void {
  const bytes = <usize>len << 2;
  for (let s = 0; s < steps; s++) {
    const t = reverse != 0 ? steps - 1 - s : s;
    for (let r = 0; r < b; r++) {
      const tm = <usize>(s * b + r);
      const bm = <usize>(r * steps + t);
      const d = dst + ((toTimeMajor != 0 ? tm : bm) * <usize>dstStride << 2);
      const q = src + ((toTimeMajor != 0 ? bm : tm) * <usize>srcStride << 2);
      for (let g = 0; g < groups; g++) memory.copy(d + (<usize>(g * dstGroup) << 2), q + (<usize>(g * srcGroup) << 2), bytes);
    }
  }
}

/** First free byte of linear memory: the host lays out its buffers from here. */
export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------------------------
// Character CNN and sparse features (inference)

/**
 * Character CNN features of `n` tokens for one width `w`: for each token r and character
 * position c < C, the pre-activation bias + Σ_k P[ids[r, c+k-⌊w/2⌋], k] over the window slots
 * inside the C positions ("same" convolution, zeros outside), then the max over c and relu,
 * written to `out[r, outCol … outCol+fp)`.
 *
 * @param ids  i32 [n, C] char ids
 * @param P    [V, w·fp] the char table times each slot's kernel: slot k at columns k·fp
 * @param bias [fp]
 * @param fp   filters, a multiple of 4 (padding filters have zero weights and bias)
 */
export function charCnnMax(out: usize, outStride: i32, outCol: i32, ids: usize, n: i32, C: i32, w: i32, fp: i32, P: usize, bias: usize): void {
  const half = w >> 1;
  const rowBytes = <usize>(w * fp) << 2;
  const slotBytes = <usize>fp << 2;
  const ob = <usize>outStride << 2;
  const zero = f32x4.splat(0);
  const ninf = f32x4.splat(-Infinity);
  for (let r = 0; r < n; r++) {
    const idr = ids + (<usize>(r * C) << 2);
    const dst = out + <usize>r * ob + (<usize>outCol << 2);
    let f = 0;
    for (; f + 16 <= fp; f += 16) {
      const fo = <usize>f << 2;
      let b0 = ninf, b1 = ninf, b2 = ninf, b3 = ninf;
      const bi = bias + fo;
      for (let c = 0; c < C; c++) {
        let s0 = v128.load(bi), s1 = v128.load(bi, 16), s2 = v128.load(bi, 32), s3 = v128.load(bi, 48);
        const k0 = max(0, half - c);
        const k1 = min(w, C + half - c);
        for (let k = k0; k < k1; k++) {
          const id = load<i32>(idr + (<usize>(c + k - half) << 2));
          const p = P + <usize>id * rowBytes + <usize>k * slotBytes + fo;
          s0 = f32x4.add(s0, v128.load(p));
          s1 = f32x4.add(s1, v128.load(p, 16));
          s2 = f32x4.add(s2, v128.load(p, 32));
          s3 = f32x4.add(s3, v128.load(p, 48));
        }
        b0 = f32x4.max(b0, s0); b1 = f32x4.max(b1, s1); b2 = f32x4.max(b2, s2); b3 = f32x4.max(b3, s3);
      }
      v128.store(dst + fo, f32x4.max(b0, zero));
      v128.store(dst + fo, f32x4.max(b1, zero), 16);
      v128.store(dst + fo, f32x4.max(b2, zero), 32);
      v128.store(dst + fo, f32x4.max(b3, zero), 48);
    }
    for (; f < fp; f += 4) {
      const fo = <usize>f << 2;
      let b0 = ninf;
      for (let c = 0; c < C; c++) {
        let s0 = v128.load(bias + fo);
        const k0 = max(0, half - c);
        const k1 = min(w, C + half - c);
        for (let k = k0; k < k1; k++) {
          const id = load<i32>(idr + (<usize>(c + k - half) << 2));
          s0 = f32x4.add(s0, v128.load(P + <usize>id * rowBytes + <usize>k * slotBytes + fo));
        }
        b0 = f32x4.max(b0, s0);
      }
      v128.store(dst + fo, f32x4.max(b0, zero));
    }
  }
}

/**
 * dst row r += Σ src rows `indices[offsets[r] … offsets[r+1])` for r < n: a sparse 0/1 input
 * times a kernel, as row additions (CSR; i32 offsets [n+1], indices; rows of `cols` floats, a
 * multiple of 4).
 */
export function addRowsCsr(dst: usize, ldd: i32, src: usize, lds: i32, offsets: usize, indices: usize, n: i32, cols: i32): void {
  const db = <usize>ldd << 2;
  const sb = <usize>lds << 2;
  for (let r = 0; r < n; r++) {
    const q0 = load<i32>(offsets + (<usize>r << 2));
    const q1 = load<i32>(offsets + (<usize>(r + 1) << 2));
    if (q1 <= q0) continue;
    const d = dst + <usize>r * db;
    const i0 = indices + (<usize>q0 << 2);
    const i1 = indices + (<usize>q1 << 2);
    // Columns outside, rows inside: each block of d is loaded and stored once, the rows added to
    // it in registers in the order they come (the same sums, in the same order, as row by row).
    let j = 0;
    for (; j + 16 <= cols; j += 16) {
      const o = <usize>j << 2;
      let a0 = v128.load(d + o), a1 = v128.load(d + o, 16), a2 = v128.load(d + o, 32), a3 = v128.load(d + o, 48);
      for (let ip = i0; ip < i1; ip += 4) {
        const s = src + <usize>load<i32>(ip) * sb + o;
        a0 = f32x4.add(a0, v128.load(s));
        a1 = f32x4.add(a1, v128.load(s, 16));
        a2 = f32x4.add(a2, v128.load(s, 32));
        a3 = f32x4.add(a3, v128.load(s, 48));
      }
      v128.store(d + o, a0);
      v128.store(d + o, a1, 16);
      v128.store(d + o, a2, 32);
      v128.store(d + o, a3, 48);
    }
    for (; j < cols; j += 4) {
      const o = <usize>j << 2;
      let a = v128.load(d + o);
      for (let ip = i0; ip < i1; ip += 4) a = f32x4.add(a, v128.load(src + <usize>load<i32>(ip) * sb + o));
      v128.store(d + o, a);
    }
  }
}
