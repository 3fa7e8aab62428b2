/**
 * Small dense kernels on typed arrays, unrolled by four rows of the weight matrix so that each
 * load/store of the accumulator serves four multiply-adds (about twice the scalar loop's speed
 * in V8).
 */
type Floats = Float32Array | Float64Array;

/**
 * acc[accOff + j] += Σ_k v[vOff + k] · w[k·n + j] for j < n, k < rows.
 * @param w // [rows, n]
 */
export function addVecMat(acc: Floats, accOff: number, v: Floats, vOff: number, w: Float32Array, rows: number, n: number): void {
  let k = 0;
  for (; k + 4 <= rows; k += 4) {
    const a0 = v[vOff + k];
    const a1 = v[vOff + k + 1];
    const a2 = v[vOff + k + 2];
    const a3 = v[vOff + k + 3];
    if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
    const r0 = k * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    for (let j = 0; j < n; j++) {
      acc[accOff + j] += a0 * w[r0 + j] + a1 * w[r1 + j] + a2 * w[r2 + j] + a3 * w[r3 + j];
    }
  }
  for (; k < rows; k++) {
    const a = v[vOff + k];
    if (a === 0) continue;
    const r = k * n;
    for (let j = 0; j < n; j++) acc[accOff + j] += a * w[r + j];
  }
}

/**
 * out[outOff + k] = Σ_j v[j] · w[k·n + j] for k < rows (v times wᵀ).
 * @param w // [rows, n]
 */
export function vecMatT(out: Floats, outOff: number, v: Floats, w: Float32Array, rows: number, n: number): void {
  let k = 0;
  for (; k + 4 <= rows; k += 4) {
    const r0 = k * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < n; j++) {
      const x = v[j];
      s0 += x * w[r0 + j];
      s1 += x * w[r1 + j];
      s2 += x * w[r2 + j];
      s3 += x * w[r3 + j];
    }
    out[outOff + k] = s0;
    out[outOff + k + 1] = s1;
    out[outOff + k + 2] = s2;
    out[outOff + k + 3] = s3;
  }
  for (; k < rows; k++) {
    const r = k * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += v[j] * w[r + j];
    out[outOff + k] = s;
  }
}

/**
 * c = a · w + bias, row by row (i-k-j order).
 * @param a // [m, k]
 * @param w // [k, n]
 * @param bias // [n] or null
 * @returns c // [m, n]
 */
export function matMulBias(a: Float32Array, m: number, k: number, w: Float32Array, n: number, bias: Float32Array | null, c = new Float32Array(m * n)): Float32Array {
  for (let i = 0; i < m; i++) {
    const off = i * n;
    if (bias !== null) c.set(bias, off);
    else c.fill(0, off, off + n);
    addVecMat(c, off, a, i * k, w, k, n);
  }
  return c;
}
