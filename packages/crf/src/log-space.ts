/**
 * log Σ_q exp(x[q]) over `x[0 … n)` in float64, shifted by the maximum so that terms of ±1e3
 * and more neither overflow nor underflow; `-Infinity` when every term is `-Infinity`.
 */
export function logSumExpInto(x: Float64Array, n: number): number {
  let m = -Infinity;
  for (let q = 0; q < n; q++) if (x[q] > m) m = x[q];
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let q = 0; q < n; q++) s += Math.exp(x[q] - m);
  return m + Math.log(s);
}
