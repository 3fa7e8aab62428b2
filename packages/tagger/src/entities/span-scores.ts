/**
 * Span probabilities of a linear-chain CRF: P(y_s = B-x, y_{s+1..e-1} = I-x, y_e ≠ I-x | emissions),
 * the model's probability that exactly tokens s..e-1 form one entity of type x, from the forward
 * and backward scores (Lafferty et al. 2001), computed once per sentence.
 *
 * Shapes: emissions [T, K] row-major; transitions [K, K] (from, to); start/end [K]. Forbidden
 * moves (IOB2 constraints) arrive as large negative transition scores, as the decoder uses them.
 *
 * The recursions run in scaled probability space (Rabiner 1989): each step's vector is divided by
 * its sum and the logs of the divisors are kept, and emissions are shifted by their row maximum
 * before `exp`, so ±1e3 scores neither overflow nor underflow and no `log` is taken per entry.
 */
export interface CrfScores {
  numTags: number;
  transitions: Float32Array;
  start: Float32Array;
  end: Float32Array;
}

/** `exp` of the transition, start and end scores, computed once per model. */
export interface CrfExpScores {
  numTags: number;
  /** The largest transition score, subtracted before `exp`. */
  shiftA: number;
  expA: Float64Array;
  expStart: Float64Array;
  expEnd: Float64Array;
  /**
   * The non-zero entries of `expA` (forbidden moves underflow to exactly 0): by column, the
   * sources i of tag j are `fromIdx[fromStart[j] … fromStart[j+1])`; by row, the targets j of
   * tag i are `toIdx[toStart[i] … toStart[i+1])`, both ascending. The recursions skip the zero
   * terms, which changes no bit of a sum (adding 0 · finite is adding zero); with IOB2 over 10
   * types, 251 of the 441 entries remain.
   */
  fromStart: Int32Array;
  fromIdx: Int32Array;
  toStart: Int32Array;
  toIdx: Int32Array;
  /** The scores themselves (for the log-space parts of a span's probability). */
  crf: CrfScores;
}

/** The non-zero pattern of a K × K matrix, by row (`byRow`) or by column: start offsets and indices, ascending. */
function nonZeros(m: Float64Array, K: number, byRow: boolean): { start: Int32Array; idx: Int32Array } {
  const start = new Int32Array(K + 1);
  const idx: number[] = [];
  for (let u = 0; u < K; u++) {
    for (let v = 0; v < K; v++) if ((byRow ? m[u * K + v] : m[v * K + u]) !== 0) idx.push(v);
    start[u + 1] = idx.length;
  }
  return { start, idx: Int32Array.from(idx) };
}

export function expScores(crf: CrfScores): CrfExpScores {
  const shiftA = Math.max(...crf.transitions);
  const expA = Float64Array.from(crf.transitions, (v) => Math.exp(v - shiftA));
  const from = nonZeros(expA, crf.numTags, false);
  const to = nonZeros(expA, crf.numTags, true);
  return {
    numTags: crf.numTags,
    shiftA,
    expA,
    expStart: Float64Array.from(crf.start, (v) => Math.exp(v)),
    expEnd: Float64Array.from(crf.end, (v) => Math.exp(v)),
    fromStart: from.start,
    fromIdx: from.idx,
    toStart: to.start,
    toIdx: to.idx,
    crf,
  };
}

/**
 * Forward and backward vectors in scaled form: `alpha[t]` ∝ P(y_t, x_1..t) normalised to sum 1
 * (with `logC[t]` the log of what was divided out, cumulative), `beta[t]` the backward messages
 * excluding the emission at t, scaled per step (`logD[t]` cumulative from the end). Then log α_t(j)
 * = log alpha[t][j] + logC[t] and log β_t(j) = log beta[t][j] + logD[t] (plus the transition
 * shift, folded in), and log Z = log Σ_j α_{T-1}(j) β_{T-1}(j).
 */
export function forwardBackward(crf: CrfScores, emissions: ArrayLike<number>, T: number, exp: CrfExpScores = expScores(crf)): { alpha: Float64Array; beta: Float64Array; logZ: number } {
  const K = crf.numTags;
  const { a, b, logC, logD, logZ } = scaledForwardBackward(crf, emissions, T, exp);
  // Back to log space: log α_t(j), log β_t(j).
  const alpha = new Float64Array(T * K);
  const beta = new Float64Array(T * K);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < K; j++) {
      alpha[t * K + j] = Math.log(a[t * K + j]) + logC[t];
      beta[t * K + j] = Math.log(b[t * K + j]) + logD[t];
    }
  }
  return { alpha, beta, logZ };
}

/** The scaled vectors of {@link forwardBackward}: log α_t(j) = log a[t, j] + logC[t], log β_t(j) = log b[t, j] + logD[t]. */
interface ScaledForwardBackward {
  a: Float64Array;
  b: Float64Array;
  logC: Float64Array;
  logD: Float64Array;
  logZ: number;
}

function scaledForwardBackward(crf: CrfScores, emissions: ArrayLike<number>, T: number, exp: CrfExpScores): ScaledForwardBackward {
  const K = crf.numTags;
  const { expA, expStart, expEnd, shiftA, fromStart, fromIdx, toStart, toIdx } = exp;
  const e = new Float64Array(T * K);
  const rowMax = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let m = -Infinity;
    for (let j = 0; j < K; j++) if (emissions[t * K + j] > m) m = emissions[t * K + j];
    rowMax[t] = m;
    for (let j = 0; j < K; j++) e[t * K + j] = Math.exp(emissions[t * K + j] - m);
  }
  const a = new Float64Array(T * K);
  const logC = new Float64Array(T);
  let sum = 0;
  for (let j = 0; j < K; j++) sum += a[j] = expStart[j] * e[j];
  for (let j = 0; j < K; j++) a[j] /= sum;
  logC[0] = Math.log(sum) + rowMax[0];
  for (let t = 1; t < T; t++) {
    sum = 0;
    const prev = (t - 1) * K;
    for (let j = 0; j < K; j++) {
      let acc = 0;
      for (let q = fromStart[j]; q < fromStart[j + 1]; q++) {
        const i = fromIdx[q];
        acc += a[prev + i] * expA[i * K + j];
      }
      sum += a[t * K + j] = acc * e[t * K + j];
    }
    for (let j = 0; j < K; j++) a[t * K + j] /= sum;
    logC[t] = logC[t - 1] + Math.log(sum) + rowMax[t] + shiftA;
  }
  const b = new Float64Array(T * K);
  const logD = new Float64Array(T);
  sum = 0;
  for (let j = 0; j < K; j++) sum += b[(T - 1) * K + j] = expEnd[j];
  for (let j = 0; j < K; j++) b[(T - 1) * K + j] /= sum;
  logD[T - 1] = Math.log(sum);
  const eb = new Float64Array(K); // e[t+1, j] · b[t+1, j], once per step rather than once per (i, j)
  for (let t = T - 2; t >= 0; t--) {
    for (let j = 0; j < K; j++) eb[j] = e[(t + 1) * K + j] * b[(t + 1) * K + j];
    sum = 0;
    for (let i = 0; i < K; i++) {
      let acc = 0;
      const row = i * K;
      for (let q = toStart[i]; q < toStart[i + 1]; q++) {
        const j = toIdx[q];
        acc += expA[row + j] * eb[j];
      }
      sum += b[t * K + i] = acc;
    }
    for (let i = 0; i < K; i++) b[t * K + i] /= sum;
    logD[t] = logD[t + 1] + Math.log(sum) + rowMax[t + 1] + shiftA;
  }
  let z = 0;
  for (let j = 0; j < K; j++) z += a[(T - 1) * K + j] * expEnd[j];
  return { a, b, logC, logD, logZ: Math.log(z) + logC[T - 1] };
}

/**
 * A scorer of spans for one sentence: `score(type, s, e)` = the probability that tokens s..e-1
 * are exactly one entity of `type` under IOB2 tags `labels` (B-type then I-type, and the tag
 * after it, if any, is not I-type). Forward–backward runs on the first span asked for, so a
 * sentence without entities costs nothing.
 */
export function spanScorer(
  crf: CrfScores,
  labels: readonly string[],
  emissions: ArrayLike<number>,
  T: number,
  exp?: CrfExpScores,
): (type: string, s: number, e: number) => number {
  const K = crf.numTags;
  let fb: ScaledForwardBackward | null = null;
  const index = labelIndex(labels);
  const A = crf.transitions;
  return (type, s, e) => {
    fb ??= scaledForwardBackward(crf, emissions, T, exp ?? expScores(crf));
    const { a, b: sb, logC, logD, logZ } = fb;
    // log α and log β of the entries needed, as forwardBackward computes them
    const alphaAt = (q: number, t: number): number => Math.log(a[q]) + logC[t];
    const betaAt = (q: number, t: number): number => Math.log(sb[q]) + logD[t];
    const b = index.get(`B-${type}`);
    const i = index.get(`I-${type}`);
    if (b === undefined || e <= s || e > T) return 0;
    let logP = alphaAt(s * K + b, s);
    let prev = b;
    for (let t = s + 1; t < e; t++) {
      if (i === undefined) return 0;
      logP += A[prev * K + i] + emissions[t * K + i];
      prev = i;
    }
    if (e === T) {
      logP += crf.end[prev];
    } else {
      let max = -Infinity;
      const beta = new Float64Array(K);
      for (let j = 0; j < K; j++) beta[j] = betaAt(e * K + j, e);
      for (let j = 0; j < K; j++) if (j !== i) max = Math.max(max, A[prev * K + j] + emissions[e * K + j] + beta[j]);
      let sum = 0;
      for (let j = 0; j < K; j++) if (j !== i) sum += Math.exp(A[prev * K + j] + emissions[e * K + j] + beta[j] - max);
      logP += max + Math.log(sum);
    }
    const p = Math.exp(logP - logZ);
    return p > 1 ? 1 : p;
  };
}

/** Reused by {@link spanScoresOf} (grown as needed): emission exps, forward and backward vectors, their logs of scale. */
let fbScratch = { e: new Float64Array(0), a: new Float64Array(0), b: new Float64Array(0), rowMax: new Float64Array(0), logC: new Float64Array(0), logD: new Float64Array(0), eb: new Float64Array(0) };

/**
 * The span probability of each of `spans` (`[type, first, last]`, `last` inclusive, as
 * `getEntities` gives them), the values {@link spanScorer} gives up to rounding, for a decoder
 * that knows its entities before it scores them. The forward pass runs only up to the last
 * span's start and the backward pass only down to the first span's end: one needs α at each
 * span's first token and β just after its last, and log Z comes from Σ_j α_t(j) β_t(j) at the
 * first t both passes reach. For one entity that is T + 1 steps instead of 2T.
 */
export function spanScoresOf(
  crf: CrfScores,
  labels: readonly string[],
  emissions: ArrayLike<number>,
  T: number,
  spans: readonly (readonly [string, number, number])[],
  exp: CrfExpScores,
): Float64Array {
  const out = new Float64Array(spans.length);
  if (spans.length === 0 || T === 0) return out;
  const K = crf.numTags;
  const { expA, expStart, expEnd, shiftA, fromStart, fromIdx, toStart, toIdx } = exp;
  let maxS = 0;
  let tb = T - 1;
  for (const [, first, last] of spans) {
    if (first > maxS) maxS = first;
    if (last + 1 < T && last + 1 < tb) tb = last + 1;
  }
  const tf = Math.max(maxS, tb);
  if (fbScratch.e.length < T * K) {
    const n = T * K * 2;
    fbScratch = { e: new Float64Array(n), a: new Float64Array(n), b: new Float64Array(n), rowMax: new Float64Array(2 * T), logC: new Float64Array(2 * T), logD: new Float64Array(2 * T), eb: new Float64Array(K) };
  }
  const { e, a, b, rowMax, logC, logD, eb } = fbScratch;
  // Every row's exps: the forward pass reads rows 0..tf, the backward pass rows tb+1..T-1, and tb ≤ tf.
  for (let t = 0; t < T; t++) {
    let m = -Infinity;
    for (let j = 0; j < K; j++) if (emissions[t * K + j] > m) m = emissions[t * K + j];
    rowMax[t] = m;
    for (let j = 0; j < K; j++) e[t * K + j] = Math.exp(emissions[t * K + j] - m);
  }
  let sum = 0;
  for (let j = 0; j < K; j++) sum += a[j] = expStart[j] * e[j];
  for (let j = 0; j < K; j++) a[j] /= sum;
  logC[0] = Math.log(sum) + rowMax[0];
  for (let t = 1; t <= tf; t++) {
    sum = 0;
    const prev = (t - 1) * K;
    for (let j = 0; j < K; j++) {
      let acc = 0;
      for (let q = fromStart[j]; q < fromStart[j + 1]; q++) {
        const i = fromIdx[q];
        acc += a[prev + i] * expA[i * K + j];
      }
      sum += a[t * K + j] = acc * e[t * K + j];
    }
    for (let j = 0; j < K; j++) a[t * K + j] /= sum;
    logC[t] = logC[t - 1] + Math.log(sum) + rowMax[t] + shiftA;
  }
  sum = 0;
  for (let j = 0; j < K; j++) sum += b[(T - 1) * K + j] = expEnd[j];
  for (let j = 0; j < K; j++) b[(T - 1) * K + j] /= sum;
  logD[T - 1] = Math.log(sum);
  for (let t = T - 2; t >= tb; t--) {
    for (let j = 0; j < K; j++) eb[j] = e[(t + 1) * K + j] * b[(t + 1) * K + j];
    sum = 0;
    for (let i = 0; i < K; i++) {
      let acc = 0;
      const row = i * K;
      for (let q = toStart[i]; q < toStart[i + 1]; q++) {
        const j = toIdx[q];
        acc += expA[row + j] * eb[j];
      }
      sum += b[t * K + i] = acc;
    }
    for (let i = 0; i < K; i++) b[t * K + i] /= sum;
    logD[t] = logD[t + 1] + Math.log(sum) + rowMax[t + 1] + shiftA;
  }
  let z = 0;
  for (let j = 0; j < K; j++) z += a[tb * K + j] * b[tb * K + j];
  const logZ = Math.log(z) + logC[tb] + logD[tb];
  const index = labelIndex(labels);
  const A = crf.transitions;
  spans.forEach(([type, s, last], k) => {
    const bi = index.get(`B-${type}`);
    const ii = index.get(`I-${type}`);
    const end = last + 1;
    if (bi === undefined || end <= s || end > T || (end > s + 1 && ii === undefined)) return; // (0)
    let logP = Math.log(a[s * K + bi]) + logC[s];
    let prev = bi;
    for (let t = s + 1; t < end; t++) {
      logP += A[prev * K + ii!] + emissions[t * K + ii!];
      prev = ii!;
    }
    if (end === T) {
      logP += crf.end[prev];
    } else {
      let max = -Infinity;
      for (let j = 0; j < K; j++) {
        if (j === ii) continue;
        const v = A[prev * K + j] + emissions[end * K + j] + Math.log(b[end * K + j]) + logD[end];
        eb[j] = v;
        if (v > max) max = v;
      }
      let acc = 0;
      for (let j = 0; j < K; j++) if (j !== ii) acc += Math.exp(eb[j] - max);
      logP += max + Math.log(acc);
    }
    const p = Math.exp(logP - logZ);
    out[k] = p > 1 ? 1 : p;
  });
  return out;
}

/**
 * Each label's index. For a frozen labels array (a tagger's, which scores every sentence with the
 * same one) it is made once; an array that may still change is indexed anew each time.
 */
const labelIndexes = new WeakMap<readonly string[], Map<string, number>>();
function labelIndex(labels: readonly string[]): Map<string, number> {
  if (!Object.isFrozen(labels)) return new Map(labels.map((l, i) => [l, i]));
  let index = labelIndexes.get(labels);
  if (index === undefined) {
    index = new Map(labels.map((l, i) => [l, i]));
    labelIndexes.set(labels, index);
  }
  return index;
}
