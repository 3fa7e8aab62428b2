// Elementwise math on f32x4 shared by the kernels.

/** e^x on four lanes (Cephes expf polynomial after reduction by ln 2; ~1 ulp on [-87, 88]). */
export function vexp(x: v128): v128 {
  // (pmin/pmax: one instruction each; they differ from min/max only for NaN and ±0 operands,
  // which give the same result here)
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.3)), f32x4.splat(88.3));
  // n = round-half-even(x·log2 e) by adding 1.5·2^23, which leaves n in the low mantissa bits
  // (|x·log2 e| < 2^22): the same n as f32x4.nearest, and its integer without a conversion
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504)), f32x4.splat(12582912));
  const n = f32x4.sub(t, f32x4.splat(12582912));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.sub(t, i32x4.splat(0x4b400000)), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/**
 * e^x on four lanes for the LSTM gates of inference: one-step reduction by ln 2 and a degree-5
 * polynomial fitted to the relative error on [-ln 2/2, ln 2/2] (7 fewer operations than
 * {@link vexp}). Relative error up to ~1.2e-6 (the rounding of n·ln 2 for |x| ≥ 8), which the
 * gates turn into absolute errors under 1.2e-7: sigmoid and tanh saturate where it grows.
 */
export function vexpGate(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.3)), f32x4.splat(88.3));
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504)), f32x4.splat(12582912));
  const n = f32x4.sub(t, f32x4.splat(12582912));
  const r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.6931471824645996)));
  let q = f32x4.splat(0.008312525227665901);
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(0.041890114545822144));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(0.16667114198207855));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(0.499992311000824));
  const p = f32x4.add(f32x4.add(f32x4.mul(q, f32x4.mul(r, r)), r), f32x4.splat(1));
  // 2^n from t's low mantissa bits: (t_bits − bits(1.5·2^23) + 127) << 23 in one addition
  const scale = i32x4.shl(i32x4.add(t, i32x4.splat(127 - 0x4b400000)), 23);
  return f32x4.mul(p, scale);
}
