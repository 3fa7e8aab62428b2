import { ShapeError, ValueError } from './errors';
import { DEFAULT_PENALTY, type TransitionConstraints } from './transitions';

/** Weights of a trained CRF as plain numbers, for decoding without tfjs. */
export interface CrfWeights {
  /** `[K][K]` rows, or `[K*K]` row-major: entry (i, j) scores moving from tag i to tag j. */
  transitions: ArrayLike<number> | ArrayLike<ArrayLike<number>>;
  /** `[K]` start scores (optional, pytorch-crf style). */
  startTransitions?: ArrayLike<number>;
  /** `[K]` end scores (optional). */
  endTransitions?: ArrayLike<number>;
  /** Hard constraints from `allowedTransitions`; forbidden moves score `penalty`. */
  constraints?: TransitionConstraints;
  /** Score of a forbidden move. Default `-1e4`. */
  penalty?: number;
}

/** One decoded path. */
export interface DecodedPath {
  /** `[L]` tag indices */
  path: Int32Array;
  /** score of the path (float32 arithmetic, the same as `crfDecode`); `-Infinity` for a missing n-best entry */
  score: number;
}

const f32 = Math.fround;

function flatten(op: string, name: string, x: ArrayLike<number> | ArrayLike<ArrayLike<number>>, K: number): Float32Array {
  const out = new Float32Array(K * K);
  const first = x[0] as unknown;
  if (typeof first === 'object' && first !== null) {
    const rows = x as ArrayLike<ArrayLike<number>>;
    if (rows.length !== K) throw new ShapeError(op, name, `[${K}, ${K}]`, `[${rows.length}, …]`);
    for (let i = 0; i < K; i++) {
      if (rows[i].length !== K) throw new ShapeError(op, name, `[${K}, ${K}]`, `[${K}, ${rows[i].length}] at row ${i}`);
      for (let j = 0; j < K; j++) out[i * K + j] = rows[i][j];
    }
  } else {
    const flat = x as ArrayLike<number>;
    if (flat.length !== K * K) throw new ShapeError(op, name, `[${K * K}] (K×K row-major)`, `[${flat.length}]`);
    for (let i = 0; i < K * K; i++) out[i] = flat[i];
  }
  return out;
}

/**
 * Framework-free Viterbi decoder (plain TypeScript, typed arrays): the same paths and scores
 * as `crfDecode`, for serving without tfjs.
 *
 * Emissions of one sequence are a row-major `[L, K]` block of a `Float32Array`.
 */
export class CRFDecoder {
  /** K, the number of tags. */
  readonly numTags: number;
  /** `[K*K]` effective transitions (constraints applied), row-major. */
  readonly transitions: Float32Array;
  /** `[K]` effective start scores (zeros when absent). */
  readonly start: Float32Array;
  /** `[K]` effective end scores (zeros when absent). */
  readonly end: Float32Array;
  private readonly hasStart: boolean;
  private readonly hasEnd: boolean;
  /** `[K*K]` transposed: entry (j, i) = transitions[i][j], so the inner loop reads contiguously. */
  private readonly byTarget: Float32Array;
  /** max over all entries of `transitions` */
  private readonly trMax: number;
  /** min over the allowed entries of `transitions` (+Infinity when none is allowed) */
  private readonly trMin: number;
  /** the penalty of forbidden moves, or -Infinity without constraints */
  private readonly penaltyValue: number;
  /** allowed predecessors of each tag j: `predIndex[predStart[j] .. predStart[j+1])` */
  private readonly predStart: Int32Array;
  private readonly predIndex: Int32Array;
  private delta = new Float32Array(0);
  private readonly candidates: Int32Array;

  constructor(weights: CrfWeights, numTags?: number) {
    const op = 'CRFDecoder';
    const tr = weights.transitions;
    const first = tr[0] as unknown;
    const K = numTags ?? (typeof first === 'object' && first !== null ? tr.length : Math.round(Math.sqrt(tr.length)));
    if (!(K >= 1)) throw new ShapeError(op, 'transitions', '[K, K] with K ≥ 1', `[${tr.length}]`);
    this.numTags = K;
    this.transitions = flatten(op, 'transitions', tr, K);
    const vec = (name: string, v: ArrayLike<number> | undefined): Float32Array => {
      const out = new Float32Array(K);
      if (v === undefined) return out;
      if (v.length !== K) throw new ShapeError(op, name, `[${K}]`, `[${v.length}]`);
      for (let k = 0; k < K; k++) out[k] = v[k];
      return out;
    };
    this.start = vec('startTransitions', weights.startTransitions);
    this.end = vec('endTransitions', weights.endTransitions);
    this.hasStart = weights.startTransitions !== undefined;
    this.hasEnd = weights.endTransitions !== undefined;
    const c = weights.constraints;
    const allowed = (i: number, j: number): boolean => c === undefined || c.transitions[i][j];
    this.penaltyValue = -Infinity;
    if (c !== undefined) {
      const penalty = weights.penalty ?? DEFAULT_PENALTY;
      if (!Number.isFinite(penalty)) throw new ValueError(op, 'penalty', `must be finite, got ${penalty}`);
      if (c.transitions.length !== K || c.start.length !== K || c.end.length !== K) {
        throw new ShapeError(op, 'constraints', `tables for K=${K}`, `K=${c.transitions.length}`);
      }
      this.penaltyValue = f32(penalty);
      for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) if (!c.transitions[i][j]) this.transitions[i * K + j] = penalty;
      for (let k = 0; k < K; k++) {
        if (!c.start[k]) {
          this.start[k] = penalty;
          this.hasStart = true;
        }
        if (!c.end[k]) {
          this.end[k] = penalty;
          this.hasEnd = true;
        }
      }
    }
    this.byTarget = new Float32Array(K * K);
    let mx = -Infinity;
    let mn = Infinity;
    const preds: number[] = [];
    this.predStart = new Int32Array(K + 1);
    for (let j = 0; j < K; j++) {
      this.predStart[j] = preds.length;
      for (let i = 0; i < K; i++) {
        const v = this.transitions[i * K + j];
        this.byTarget[j * K + i] = v;
        if (v > mx) mx = v;
        if (allowed(i, j)) {
          preds.push(i);
          if (v < mn) mn = v;
        }
      }
    }
    this.predStart[K] = preds.length;
    this.predIndex = Int32Array.from(preds);
    this.trMax = mx;
    this.trMin = mn;
    this.candidates = new Int32Array(K);
  }

  /**
   * Best path of one sequence.
   *
   * @param emissions `[L, K]` row-major (or a larger buffer with `offset`)
   * @param length L, default `emissions.length / K`
   * @param offset index of the first emission in `emissions`
   */
  decode(emissions: ArrayLike<number>, length?: number, offset = 0): DecodedPath {
    const K = this.numTags;
    const L = length ?? Math.floor((emissions.length - offset) / K);
    if (!(L >= 0) || offset + L * K > emissions.length) {
      throw new ShapeError('CRFDecoder.decode', 'emissions', `at least ${offset + L * K} values (offset ${offset}, length ${L}, K=${K})`, `${emissions.length}`);
    }
    if (L === 0) return { path: new Int32Array(0), score: 0 };
    if (this.delta.length < L * K) this.delta = new Float32Array(L * K * 2);
    const delta = this.delta;
    const tr = this.byTarget;
    const rowMajor = this.transitions;
    const cand = this.candidates;
    const predStart = this.predStart;
    const predIndex = this.predIndex;
    const penalty = this.penaltyValue;
    const trMax = this.trMax;
    const trMin = this.trMin;
    const start = this.start;
    // delta[0, j] = emission (+ start)
    for (let j = 0; j < K; j++) delta[j] = this.hasStart ? emissions[offset + j] + start[j] : emissions[offset + j];
    for (let t = 1; t < L; t++) {
      const prev = (t - 1) * K;
      const cur = t * K;
      const eo = offset + cur;
      // Prune: with threshold = max_i delta[i] + trMin, a tag i with delta[i] + trMax < threshold
      // cannot be the best predecessor of any j whose best value reaches the threshold.
      let dmax = -Infinity;
      for (let i = 0; i < K; i++) if (delta[prev + i] > dmax) dmax = delta[prev + i];
      const threshold = dmax + trMin;
      let nc = 0;
      for (let i = 0; i < K; i++) if (delta[prev + i] + trMax >= threshold) cand[nc++] = i;
      // Common case for a confident tagger: a single candidate, whose row of transitions is contiguous.
      const single = nc === 1 ? cand[0] : -1;
      const singleDelta = nc === 1 ? delta[prev + single] : 0;
      const singleRow = single * K;
      for (let j = 0; j < K; j++) {
        const row = j * K;
        let m = -Infinity;
        if (single >= 0) {
          m = singleDelta + rowMajor[singleRow + j];
        } else {
          for (let q = 0; q < nc; q++) {
            const i = cand[q];
            const v = delta[prev + i] + tr[row + i];
            if (v > m) m = v;
          }
        }
        if (m < threshold) {
          // Only possible with constraints (the best predecessor's move to j is forbidden):
          // scan j's allowed predecessors; forbidden ones score at most dmax + penalty.
          for (let q = predStart[j]; q < predStart[j + 1]; q++) {
            const i = predIndex[q];
            const v = delta[prev + i] + tr[row + i];
            if (v > m) m = v;
          }
          if (m < dmax + penalty) {
            for (let i = 0; i < K; i++) {
              const v = delta[prev + i] + tr[row + i];
              if (v > m) m = v;
            }
          }
        }
        // float32 arithmetic, as in tfjs: round the max, then add the emission and round again
        delta[cur + j] = f32(m) + emissions[eo + j];
      }
    }
    const path = new Int32Array(L);
    const last = (L - 1) * K;
    let best = 0;
    let score = -Infinity;
    for (let j = 0; j < K; j++) {
      const v = this.hasEnd ? f32(delta[last + j] + this.end[j]) : delta[last + j];
      if (v > score) {
        score = v;
        best = j;
      }
    }
    path[L - 1] = best;
    for (let t = L - 1; t > 0; t--) {
      const row = path[t] * K;
      const prev = (t - 1) * K;
      let m = -Infinity;
      let arg = 0;
      for (let i = 0; i < K; i++) {
        const v = f32(delta[prev + i] + tr[row + i]);
        if (v > m) {
          m = v;
          arg = i;
        }
      }
      path[t - 1] = arg;
    }
    return { path, score };
  }

  /**
   * Best paths of a batch.
   *
   * @param emissions `[B, T, K]` row-major
   * @param batch B
   * @param time T
   * @param lengths `[B]` real lengths (default T for every row)
   */
  decodeBatch(emissions: ArrayLike<number>, batch: number, time: number, lengths?: ArrayLike<number>): DecodedPath[] {
    const K = this.numTags;
    if (emissions.length !== batch * time * K) {
      throw new ShapeError('CRFDecoder.decodeBatch', 'emissions', `[${batch}, ${time}, ${K}] (${batch * time * K} values)`, `${emissions.length} values`);
    }
    if (lengths !== undefined && lengths.length !== batch) throw new ShapeError('CRFDecoder.decodeBatch', 'lengths', `[${batch}]`, `[${lengths.length}]`);
    const out: DecodedPath[] = new Array(batch);
    for (let b = 0; b < batch; b++) {
      const L = lengths === undefined ? time : lengths[b];
      if (!(L >= 0 && L <= time)) throw new ValueError('CRFDecoder.decodeBatch', 'lengths', `must lie in [0, ${time}], got ${L} at ${b}`);
      out[b] = this.decode(emissions, L, b * time * K);
    }
    return out;
  }

  /**
   * The n best paths of one sequence, best first. Missing entries (fewer than n paths exist)
   * have an empty path and score `-Infinity`.
   *
   * @param emissions `[L, K]` row-major (or a larger buffer with `offset`)
   * @param n how many paths, ≥ 1
   * @param length L, default `emissions.length / K`
   * @param offset index of the first emission in `emissions`
   */
  nBest(emissions: ArrayLike<number>, n: number, length?: number, offset = 0): DecodedPath[] {
    const K = this.numTags;
    if (!Number.isInteger(n) || n < 1) throw new ValueError('CRFDecoder.nBest', 'n', `must be a positive integer, got ${n}`);
    const L = length ?? Math.floor((emissions.length - offset) / K);
    if (!(L >= 0) || offset + L * K > emissions.length) {
      throw new ShapeError('CRFDecoder.nBest', 'emissions', `at least ${offset + L * K} values`, `${emissions.length}`);
    }
    const missing = (): DecodedPath => ({ path: new Int32Array(0), score: -Infinity });
    if (L === 0) return [{ path: new Int32Array(0), score: 0 }, ...Array.from({ length: n - 1 }, missing)];
    // Per step and tag, up to n (score, previous tag, previous rank), best first.
    const scores: Float64Array[] = [];
    const prevTag: Int32Array[] = [];
    const prevRank: Int32Array[] = [];
    const counts: Int32Array[] = [];
    const s0 = new Float64Array(K * n).fill(-Infinity);
    const c0 = new Int32Array(K);
    for (let j = 0; j < K; j++) {
      s0[j * n] = this.hasStart ? f32(emissions[offset + j] + this.start[j]) : f32(emissions[offset + j]);
      c0[j] = 1;
    }
    scores.push(s0);
    prevTag.push(new Int32Array(K * n).fill(-1));
    prevRank.push(new Int32Array(K * n).fill(-1));
    counts.push(c0);
    const candS = new Float64Array(K * n);
    const candI = new Int32Array(K * n);
    const candR = new Int32Array(K * n);
    const order = new Int32Array(K * n);
    const topN = (m: number): number => {
      for (let q = 0; q < m; q++) order[q] = q;
      // stable sort by score, best first: ties keep (tag, rank) order
      const sorted = Array.from(order.subarray(0, m)).sort((a, b) => candS[b] - candS[a] || a - b);
      const k = Math.min(n, m);
      for (let q = 0; q < k; q++) order[q] = sorted[q];
      return k;
    };
    for (let t = 1; t < L; t++) {
      const ps = scores[t - 1];
      const pc = counts[t - 1];
      const s = new Float64Array(K * n).fill(-Infinity);
      const pt = new Int32Array(K * n).fill(-1);
      const pr = new Int32Array(K * n).fill(-1);
      const c = new Int32Array(K);
      for (let j = 0; j < K; j++) {
        const e = emissions[offset + t * K + j];
        let m = 0;
        for (let i = 0; i < K; i++) {
          const w = this.transitions[i * K + j];
          for (let r = 0; r < pc[i]; r++) {
            candS[m] = f32(f32(ps[i * n + r] + w) + e);
            candI[m] = i;
            candR[m] = r;
            m++;
          }
        }
        const k = topN(m);
        for (let q = 0; q < k; q++) {
          s[j * n + q] = candS[order[q]];
          pt[j * n + q] = candI[order[q]];
          pr[j * n + q] = candR[order[q]];
        }
        c[j] = k;
      }
      scores.push(s);
      prevTag.push(pt);
      prevRank.push(pr);
      counts.push(c);
    }
    let m = 0;
    const ls = scores[L - 1];
    for (let j = 0; j < K; j++) {
      for (let r = 0; r < counts[L - 1][j]; r++) {
        candS[m] = this.hasEnd ? f32(ls[j * n + r] + this.end[j]) : ls[j * n + r];
        candI[m] = j;
        candR[m] = r;
        m++;
      }
    }
    const k = topN(m);
    const out: DecodedPath[] = [];
    for (let q = 0; q < k; q++) {
      const path = new Int32Array(L);
      let j = candI[order[q]];
      let r = candR[order[q]];
      const score = candS[order[q]];
      for (let t = L - 1; t >= 0; t--) {
        path[t] = j;
        const nj = prevTag[t][j * n + r];
        r = prevRank[t][j * n + r];
        j = nj;
      }
      out.push({ path, score });
    }
    while (out.length < n) out.push(missing());
    return out;
  }
}

/**
 * Best path of one sequence without tfjs (builds a {@link CRFDecoder}; reuse one for speed).
 *
 * @param emissions `[L, K]` row-major
 * @param weights transitions `[K][K]` or `[K*K]`, optional start/end `[K]`, constraints
 * @param numTags K (inferred from `transitions` when omitted)
 */
export function viterbi(emissions: ArrayLike<number>, weights: CrfWeights, numTags?: number): DecodedPath {
  return new CRFDecoder(weights, numTags).decode(emissions);
}
