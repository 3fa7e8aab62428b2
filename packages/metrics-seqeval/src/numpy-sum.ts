/**
 * numpy's float64 reductions, reproduced so that averages agree with seqeval to the last bit:
 * `np.sum` adds with pairwise summation (blocks of 8 partial sums, split recursively above 128),
 * `np.average(a)` is that sum divided by n, `np.average(a, weights=w)` is sum(a*w) / sum(w).
 */

const BLOCK = 128;

/** numpy's `pairwise_sum` over `values[offset .. offset + n)`. */
function pairwiseSum(values: ArrayLike<number>, offset: number, n: number): number {
  if (n < 8) {
    let sum = -0;
    for (let i = 0; i < n; i += 1) sum += values[offset + i];
    return sum;
  }
  if (n <= BLOCK) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let j = 0; j < 8; j += 1) r[j] = values[offset + j];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j += 1) r[j] += values[offset + i + j];
    }
    let sum = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i += 1) sum += values[offset + i];
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(values, offset, half) + pairwiseSum(values, offset + half, n - half);
}

/** `np.sum(values)` for a float64 vector (the reduction starts from the identity 0). */
export function npSum(values: ArrayLike<number>): number {
  return 0 + pairwiseSum(values, 0, values.length);
}

/** `np.average(values)`: NaN for an empty vector, as numpy's mean of nothing. */
export function npMean(values: ArrayLike<number>): number {
  return npSum(values) / values.length;
}

/** `np.average(values, weights=weights)`. */
export function npWeightedMean(values: ArrayLike<number>, weights: ArrayLike<number>): number {
  const products = new Float64Array(values.length);
  let total = 0;
  for (let i = 0; i < values.length; i += 1) {
    products[i] = values[i] * weights[i];
    total += weights[i];
  }
  return npSum(products) / total;
}
