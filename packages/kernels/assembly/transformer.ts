// Transformer kernels: multi-head attention read and written in the [tokens, hidden] layout
// (no head split or merge transposes), and the exact GELU.
//
// Q, K, V, the context and their gradients are row-major [B·T, ld] with head h in columns
// h·D … h·D+D; the probabilities, the dropout multipliers and the kept probabilities are
// [B, heads, T, T]. D need not be a multiple of 4 (a scalar tail covers the rest).

import { vexp } from './vmath';

/** Σ a[d]·b[d] for d < D, two f32x4 accumulators. */
function dot(a: usize, b: usize, D: i32): f32 {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
  let d = 0;
  for (; d + 8 <= D; d += 8) {
    const o = <usize>d << 2;
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
  }
  for (; d + 4 <= D; d += 4) {
    const o = <usize>d << 2;
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  const s = f32x4.add(s0, s1);
  let r = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
  for (; d < D; d++) r += load<f32>(a + (<usize>d << 2)) * load<f32>(b + (<usize>d << 2));
  return r;
}

/** y[d] += alpha·x[d] for d < D. */
function axpy(y: usize, alpha: f32, x: usize, D: i32): void {
  const av = f32x4.splat(alpha);
  let d = 0;
  for (; d + 4 <= D; d += 4) {
    const o = <usize>d << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(av, v128.load(x + o))));
  }
  for (; d < D; d++) store<f32>(y + (<usize>d << 2), load<f32>(y + (<usize>d << 2)) + alpha * load<f32>(x + (<usize>d << 2)));
}

/** y[d] = 0 for d < D. */
function zero(y: usize, D: i32): void {
  memory.fill(y, 0, <usize>D << 2);
}

/**
 * Per sequence b and head h: S = Q·Kᵀ·scale + bias[b] (bias [B, T], additive), P = softmax(S)
 * over each row, P' = P ⊙ mask when `mask` ≠ 0 (written to `kept`), context = P'·V.
 * @param probs [B, heads, T, T] out: P
 * @param mask  [B, heads, T, T] dropout multipliers, or 0 for none (then `kept` is ignored)
 * @param kept  [B, heads, T, T] out: P ⊙ mask
 * @param row   scratch of T floats
 */
export function attentionForward(
  ctx: usize, q: usize, k: usize, v: usize, ld: i32, bias: usize,
  probs: usize, mask: usize, kept: usize,
  B: i32, T: i32, heads: i32, D: i32, scale: f32, row: usize,
): void {
  const sr = <usize>ld << 2;
  const t4 = T & ~3;
  for (let b = 0; b < B; b++) {
    const rows = <usize>(b * T) * sr;
    const br = bias + (<usize>(b * T) << 2);
    for (let h = 0; h < heads; h++) {
      const col = <usize>(h * D) << 2;
      const pBase = <usize>((b * heads + h) * T) * <usize>T << 2;
      for (let i = 0; i < T; i++) {
        const qi = q + rows + <usize>i * sr + col;
        let max: f32 = -Infinity;
        for (let j = 0; j < T; j++) {
          const s = dot(qi, k + rows + <usize>j * sr + col, D) * scale + load<f32>(br + (<usize>j << 2));
          store<f32>(row + (<usize>j << 2), s);
          max = max > s ? max : s;
        }
        const mv = f32x4.splat(max);
        let sv = f32x4.splat(0);
        let j = 0;
        for (; j < t4; j += 4) {
          const x = f32x4.sub(v128.load(row + (<usize>j << 2)), mv);
          // e^x below −87.3 is 0 in float32 (vexp clamps there): masked keys get exactly 0
          const e = v128.andnot(vexp(x), f32x4.lt(x, f32x4.splat(-87.3)));
          v128.store(row + (<usize>j << 2), e);
          sv = f32x4.add(sv, e);
        }
        let sum = f32x4.extract_lane(sv, 0) + f32x4.extract_lane(sv, 1) + (f32x4.extract_lane(sv, 2) + f32x4.extract_lane(sv, 3));
        for (; j < T; j++) {
          const e = Mathf.exp(load<f32>(row + (<usize>j << 2)) - max);
          store<f32>(row + (<usize>j << 2), e);
          sum += e;
        }
        const inv: f32 = 1 / sum;
        const pi = probs + pBase + (<usize>(i * T) << 2);
        const mi = mask + pBase + (<usize>(i * T) << 2);
        const ki = kept + pBase + (<usize>(i * T) << 2);
        const ci = ctx + rows + <usize>i * sr + col;
        zero(ci, D);
        for (let j = 0; j < T; j++) {
          const p = load<f32>(row + (<usize>j << 2)) * inv;
          store<f32>(pi + (<usize>j << 2), p);
          let w = p;
          if (mask != 0) {
            w = p * load<f32>(mi + (<usize>j << 2));
            store<f32>(ki + (<usize>j << 2), w);
          }
          if (w != 0) axpy(ci, w, v + rows + <usize>j * sr + col, D);
        }
      }
    }
  }
}

/**
 * The gradients of {@link attentionForward} from dContext:
 *   dV = P'ᵀ·dC;  dP = (dC·Vᵀ) ⊙ mask;  dS = P ⊙ (dP − Σⱼ dP ⊙ P)·scale;  dQ = dS·K;  dK = dSᵀ·Q
 * dq, dk, dv are written (not accumulated) in the [B·T, ld] layout.
 * @param kept P' (= `probs` when there is no mask)
 * @param row  scratch of T floats
 */
export function attentionBackward(
  dq: usize, dk: usize, dv: usize, dctx: usize, q: usize, k: usize, v: usize, ld: i32,
  probs: usize, mask: usize, kept: usize,
  B: i32, T: i32, heads: i32, D: i32, scale: f32, row: usize,
): void {
  const sr = <usize>ld << 2;
  for (let b = 0; b < B; b++) {
    const rows = <usize>(b * T) * sr;
    for (let h = 0; h < heads; h++) {
      const col = <usize>(h * D) << 2;
      const pBase = <usize>((b * heads + h) * T) * <usize>T << 2;
      for (let t = 0; t < T; t++) {
        const o = rows + <usize>t * sr + col;
        zero(dq + o, D);
        zero(dk + o, D);
        zero(dv + o, D);
      }
      for (let i = 0; i < T; i++) {
        const ci = dctx + rows + <usize>i * sr + col;
        const qi = q + rows + <usize>i * sr + col;
        const dqi = dq + rows + <usize>i * sr + col;
        const pi = probs + pBase + (<usize>(i * T) << 2);
        const mi = mask + pBase + (<usize>(i * T) << 2);
        const ki = kept + pBase + (<usize>(i * T) << 2);
        let weighted: f32 = 0;
        for (let j = 0; j < T; j++) {
          const vj = v + rows + <usize>j * sr + col;
          let dp = dot(ci, vj, D);
          if (mask != 0) dp *= load<f32>(mi + (<usize>j << 2));
          store<f32>(row + (<usize>j << 2), dp);
          weighted += dp * load<f32>(pi + (<usize>j << 2));
          const w = load<f32>(ki + (<usize>j << 2));
          if (w != 0) axpy(dv + rows + <usize>j * sr + col, w, ci, D);
        }
        for (let j = 0; j < T; j++) {
          const ds = load<f32>(pi + (<usize>j << 2)) * (load<f32>(row + (<usize>j << 2)) - weighted) * scale;
          if (ds == 0) continue;
          const o = rows + <usize>j * sr + col;
          axpy(dqi, ds, k + o, D);
          axpy(dk + o, ds, qi, D);
        }
      }
    }
  }
}

// Abramowitz & Stegun 7.1.26: erf(z) ≈ 1 − (a1·t + … + a5·t⁵)·e^{−z²}, t = 1/(1 + p·z), z ≥ 0.

/** Φ(x) = ½(1 + erf(x/√2)) on four lanes. */
function vcdf(x: v128): v128 {
  const one = f32x4.splat(1);
  const z = f32x4.mul(x, f32x4.splat(0.70710678));
  const az = f32x4.abs(z);
  const t = f32x4.div(one, f32x4.add(one, f32x4.mul(f32x4.splat(0.3275911), az)));
  let p = f32x4.add(f32x4.splat(-1.453152027), f32x4.mul(t, f32x4.splat(1.061405429)));
  p = f32x4.add(f32x4.splat(1.421413741), f32x4.mul(t, p));
  p = f32x4.add(f32x4.splat(-0.284496736), f32x4.mul(t, p));
  p = f32x4.add(f32x4.splat(0.254829592), f32x4.mul(t, p));
  p = f32x4.mul(t, p);
  const y = f32x4.sub(one, f32x4.mul(p, vexp(f32x4.neg(f32x4.mul(az, az)))));
  const erf = v128.or(y, v128.and(z, i32x4.splat(0x80000000)));
  return f32x4.mul(f32x4.splat(0.5), f32x4.add(one, erf));
}

/** out[i] = x[i]·Φ(x[i]) for i < n (n a multiple of 4; the host pads). */
export function geluForward(out: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    const xv = v128.load(x + o);
    v128.store(out + o, f32x4.mul(xv, vcdf(xv)));
  }
}

/** dx[i] = dy[i]·(Φ(x[i]) + x[i]·φ(x[i])), φ(x) = e^{−x²/2}/√(2π); n a multiple of 4. */
export function geluBackward(dx: usize, x: usize, dy: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    const xv = v128.load(x + o);
    const pdf = f32x4.mul(f32x4.splat(0.39894228), vexp(f32x4.mul(f32x4.splat(-0.5), f32x4.mul(xv, xv))));
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), f32x4.add(vcdf(xv), f32x4.mul(xv, pdf))));
  }
}
