/**
 * Span probabilities of a linear-chain CRF: P(y_s = B-x, y_{s+1..e-1} = I-x, y_e ≠ I-x | emissions),
 * the model's probability that exactly tokens s..e-1 form one entity of type x, from the forward
 * and backward log-scores (Lafferty et al. 2001), computed once per sentence.
 *
 * Shapes: emissions [T, K] row-major; transitions [K, K] (from, to); start/end [K]. Forbidden
 * moves (IOB2 constraints) arrive as large negative transition scores, as the decoder uses them.
 */
export interface CrfScores {
  numTags: number;
  transitions: Float32Array;
  start: Float32Array;
  end: Float32Array;
}

function logSumExp(values: Float64Array, n: number): number {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (values[i] > max) max = values[i];
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(values[i] - max);
  return max + Math.log(sum);
}

/** Forward α [T, K] (emission at t included), backward β [T, K] (emission at t excluded), log Z. */
export function forwardBackward(crf: CrfScores, emissions: ArrayLike<number>, T: number): { alpha: Float64Array; beta: Float64Array; logZ: number } {
  const K = crf.numTags;
  const { transitions: A, start, end } = crf;
  const alpha = new Float64Array(T * K);
  const beta = new Float64Array(T * K);
  const tmp = new Float64Array(K);
  for (let j = 0; j < K; j++) alpha[j] = start[j] + emissions[j];
  for (let t = 1; t < T; t++) {
    for (let j = 0; j < K; j++) {
      for (let i = 0; i < K; i++) tmp[i] = alpha[(t - 1) * K + i] + A[i * K + j];
      alpha[t * K + j] = logSumExp(tmp, K) + emissions[t * K + j];
    }
  }
  for (let j = 0; j < K; j++) beta[(T - 1) * K + j] = end[j];
  for (let t = T - 2; t >= 0; t--) {
    for (let i = 0; i < K; i++) {
      for (let j = 0; j < K; j++) tmp[j] = A[i * K + j] + emissions[(t + 1) * K + j] + beta[(t + 1) * K + j];
      beta[t * K + i] = logSumExp(tmp, K);
    }
  }
  for (let j = 0; j < K; j++) tmp[j] = alpha[(T - 1) * K + j] + end[j];
  return { alpha, beta, logZ: logSumExp(tmp, K) };
}

/**
 * A scorer of spans for one sentence: `score(type, s, e)` = the probability that tokens s..e-1
 * are exactly one entity of `type` under IOB2 tags `labels` (B-type then I-type, and the tag
 * after it, if any, is not I-type).
 */
export function spanScorer(crf: CrfScores, labels: readonly string[], emissions: ArrayLike<number>, T: number): (type: string, s: number, e: number) => number {
  const K = crf.numTags;
  // Forward–backward runs on the first span asked for: a tweet without entities costs nothing.
  let fb: ReturnType<typeof forwardBackward> | null = null;
  const index = new Map(labels.map((l, i) => [l, i]));
  const A = crf.transitions;
  const tmp = new Float64Array(K);
  return (type, s, e) => {
    fb ??= forwardBackward(crf, emissions, T);
    const { alpha, beta, logZ } = fb;
    const b = index.get(`B-${type}`);
    const i = index.get(`I-${type}`);
    if (b === undefined || e <= s || e > T) return 0;
    let logP = alpha[s * K + b];
    let prev = b;
    for (let t = s + 1; t < e; t++) {
      if (i === undefined) return 0;
      logP += A[prev * K + i] + emissions[t * K + i];
      prev = i;
    }
    if (e === T) {
      logP += crf.end[prev];
    } else {
      let n = 0;
      for (let j = 0; j < K; j++) {
        if (j === i) continue;
        tmp[n++] = A[prev * K + j] + emissions[e * K + j] + beta[e * K + j];
      }
      logP += logSumExp(tmp, n);
    }
    const p = Math.exp(logP - logZ);
    return p > 1 ? 1 : p;
  };
}
