import { NonFiniteError, ShapeError, ValueError } from './errors';
import { logSumExpInto } from './log-space';
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

const WEIGHT_KEYS = ['transitions', 'startTransitions', 'endTransitions', 'constraints', 'penalty'];

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
 * Emissions of one sequence are a row-major `[L, K]` block of a `Float32Array` (other array
 * types are copied into float32 first, as tfjs would). Scratch buffers are reused, so a decoder
 * is not reentrant; `decodeInto` and `decodeBatchInto` allocate nothing.
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
  /** `[K*K]` transposed: entry (j, i) = transitions[i][j], so backtracking reads contiguously. */
  private readonly byTarget: Float32Array;
  /** min over the allowed entries of `transitions` (+Infinity when none is allowed) */
  private readonly trMin: number;
  /** max over all entries of `transitions` minus `trMin` */
  private readonly trGap: number;
  /** the penalty of forbidden moves, or -Infinity without constraints */
  private readonly penaltyValue: number;
  /** allowed predecessors of each tag j: `predIndex[predStart[j] .. predStart[j+1])` */
  private readonly predStart: Int32Array;
  private readonly predIndex: Int32Array;
  /** forbidden successors of each tag i: `forbIndex[forbStart[i] .. forbStart[i+1])` */
  private readonly forbStart: Int32Array;
  private readonly forbIndex: Int32Array;
  /** `[L*K]` Viterbi scores, float32 like tfjs; grows on demand */
  private delta = new Float32Array(0);
  /** `[L*K]` float32 copy of emissions that arrive in another array type */
  private copy = new Float32Array(0);
  /** `[L*K]` candidates of each step (ascending tags), `[L]` their counts */
  private candStore = new Int32Array(0);
  private candCount = new Int32Array(0);
  /** `[L*K]` 1 where step t's best score for tag j came from a full rescan (constraints only) */
  private rescanned = new Uint8Array(0);
  /** max |transitions| over all entries, for the rounding margin of the pruning */
  private readonly trAbsMax: number;
  /** `[K]` running maxima of one step */
  private readonly acc: Float64Array;
  /** `[L*K]` forward/backward log scores of `marginalsInto`; grow on demand */
  private alpha = new Float64Array(0);
  private beta = new Float64Array(0);
  /** `[K]` the terms of one log-sum-exp */
  private readonly terms: Float64Array;

  constructor(weights: CrfWeights, numTags?: number) {
    const op = 'CRFDecoder';
    for (const key of Object.keys(weights)) {
      if (!WEIGHT_KEYS.includes(key)) throw new ValueError(op, `weights.${key}`, `is not a known key; use ${WEIGHT_KEYS.join(', ')}`);
    }
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
    // NaN/Inf weights would decode to arbitrary tags (every comparison false): refuse them here.
    for (const [name, v] of [['transitions', this.transitions], ['startTransitions', this.start], ['endTransitions', this.end]] as const) {
      for (let q = 0; q < v.length; q++) {
        if (!Number.isFinite(v[q])) {
          const where = name === 'transitions' ? `(${Math.floor(q / K)}, ${q % K})` : `${q}`;
          throw new NonFiniteError(op, name, q, v[q], `entry ${where} (after conversion to float32)`);
        }
      }
    }
    const c = weights.constraints;
    const allowed = (i: number, j: number): boolean => c === undefined || c.transitions[i][j];
    this.penaltyValue = -Infinity;
    if (c !== undefined) {
      // Fold the constraints into the tables once: forbidden moves score the penalty.
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
    const forbidden: number[] = [];
    this.forbStart = new Int32Array(K + 1);
    for (let i = 0; i < K; i++) {
      this.forbStart[i] = forbidden.length;
      for (let j = 0; j < K; j++) if (!allowed(i, j)) forbidden.push(j);
    }
    this.forbStart[K] = forbidden.length;
    this.forbIndex = Int32Array.from(forbidden);
    this.trMin = mn;
    this.trGap = mx - mn;
    this.acc = new Float64Array(K);
    this.terms = new Float64Array(K);
    let abs = 0;
    for (let q = 0; q < K * K; q++) abs = Math.max(abs, Math.abs(this.transitions[q]));
    this.trAbsMax = abs;
  }

  /**
   * Best path of one sequence.
   *
   * @param emissions `[L, K]` row-major (or a larger buffer with `offset`)
   * @param length L, default `emissions.length / K`
   * @param offset index of the first emission in `emissions`
   */
  decode(emissions: ArrayLike<number>, length?: number, offset = 0): DecodedPath {
    const L = this.checkLength('CRFDecoder.decode', emissions, length, offset);
    const path = new Int32Array(L);
    const score = this.decodeInto(emissions, path, L, offset);
    return { path, score };
  }

  /**
   * Best path of one sequence, written into `path` without allocating.
   *
   * @param emissions `[L, K]` row-major (or a larger buffer with `offset`)
   * @param path receives the L tags at `pathOffset`
   * @param length L, default `emissions.length / K`
   * @param offset index of the first emission in `emissions`
   * @param pathOffset index of the first tag in `path`
   * @returns the score of the path (0 when L = 0)
   */
  decodeInto(emissions: ArrayLike<number>, path: Int32Array, length?: number, offset = 0, pathOffset = 0): number {
    const K = this.numTags;
    const L = this.checkLength('CRFDecoder.decodeInto', emissions, length, offset);
    if (!(pathOffset >= 0) || pathOffset + L > path.length) {
      throw new ShapeError('CRFDecoder.decodeInto', 'path', `at least ${pathOffset + L} entries`, `${path.length}`);
    }
    if (L === 0) return 0;
    this.checkFinite('CRFDecoder.decodeInto', emissions, offset, L);
    if (emissions instanceof Float32Array) return this.run(emissions, offset, L, path, pathOffset);
    if (this.copy.length < L * K) this.copy = new Float32Array(L * K);
    const copy = this.copy;
    for (let q = 0; q < L * K; q++) copy[q] = emissions[offset + q];
    return this.run(copy, 0, L, path, pathOffset);
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
    const op = 'CRFDecoder.decodeBatch';
    this.checkBatch(op, emissions, batch, time, lengths);
    const out: DecodedPath[] = new Array(batch);
    for (let b = 0; b < batch; b++) {
      const L = lengths === undefined ? time : lengths[b];
      const path = new Int32Array(L);
      out[b] = { path, score: this.decodeInto(emissions, path, L, b * time * this.numTags) };
    }
    return out;
  }

  /**
   * Best paths of a batch in one contiguous buffer, without allocating: the layout of
   * `crfDecode` (`tags` 0 past each length, `scores` 0 for an empty row).
   *
   * @param emissions `[B, T, K]` row-major
   * @param batch B
   * @param time T
   * @param lengths `[B]` real lengths, or null for T everywhere
   * @param tags `[B*T]` receives the paths
   * @param scores `[B]` receives the scores
   */
  decodeBatchInto(
    emissions: ArrayLike<number>,
    batch: number,
    time: number,
    lengths: ArrayLike<number> | null,
    tags: Int32Array,
    scores: Float32Array | Float64Array,
  ): void {
    const op = 'CRFDecoder.decodeBatchInto';
    this.checkBatch(op, emissions, batch, time, lengths ?? undefined);
    if (tags.length !== batch * time) throw new ShapeError(op, 'tags', `[${batch * time}] ([B*T])`, `[${tags.length}]`);
    if (scores.length !== batch) throw new ShapeError(op, 'scores', `[${batch}]`, `[${scores.length}]`);
    for (let b = 0; b < batch; b++) {
      const L = lengths === null ? time : lengths[b];
      scores[b] = this.decodeInto(emissions, tags, L, b * time * this.numTags, b * time);
      tags.fill(0, b * time + L, (b + 1) * time);
    }
  }

  /**
   * Throws a {@link NonFiniteError} naming the first position where `emissions[offset …
   * offset + L*K)` is NaN or ±Infinity (one summing pass when all is well).
   */
  private checkFinite(op: string, emissions: ArrayLike<number>, offset: number, L: number): void {
    const K = this.numTags;
    const n = L * K;
    let sum = 0;
    for (let q = 0; q < n; q++) sum += emissions[offset + q];
    if (Number.isFinite(sum)) return; // |float32| < 3.5e38, so a finite sum of finite values never overflows float64
    for (let q = 0; q < n; q++) {
      const v = emissions[offset + q];
      if (!Number.isFinite(v)) throw new NonFiniteError(op, 'emissions', q, v, `position t=${Math.floor(q / K)}, tag ${q % K} (flat index ${offset + q})`);
    }
  }

  /**
   * Posterior marginals of one sequence by the forward–backward algorithm in float64 log
   * space: `out[outOffset + t*K + k]` = P(tag k at position t | emissions), with the start/end
   * scores and the constraints (forbidden moves score the penalty) of this decoder. Stable for
   * emissions of ±1e3 and more. Rows sum to 1.
   *
   * @param emissions `[L, K]` row-major (or a larger buffer with `offset`)
   * @param out receives `[L, K]` at `outOffset`
   * @param length L, default `emissions.length / K`
   * @param offset index of the first emission in `emissions`
   * @param outOffset index of the first marginal in `out`
   * @returns log Z, the log partition function (0 when L = 0)
   */
  marginalsInto(emissions: ArrayLike<number>, out: Float32Array | Float64Array, length?: number, offset = 0, outOffset = 0): number {
    const op = 'CRFDecoder.marginalsInto';
    const K = this.numTags;
    const L = this.checkLength(op, emissions, length, offset);
    if (!(outOffset >= 0) || outOffset + L * K > out.length) throw new ShapeError(op, 'out', `at least ${outOffset + L * K} entries`, `${out.length}`);
    if (L === 0) return 0;
    this.checkFinite(op, emissions, offset, L);
    if (this.alpha.length < L * K) {
      this.alpha = new Float64Array(L * K);
      this.beta = new Float64Array(L * K);
    }
    const { alpha, beta, terms } = this;
    const tr = this.transitions; // (i, j) at i*K + j
    const byTarget = this.byTarget; // (j, i) at j*K + i
    // alpha[t, j] = log Σ over paths of positions 0..t ending in j (emission of t included)
    for (let j = 0; j < K; j++) alpha[j] = this.start[j] + emissions[offset + j];
    for (let t = 1; t < L; t++) {
      const prev = (t - 1) * K;
      for (let j = 0; j < K; j++) {
        for (let i = 0; i < K; i++) terms[i] = alpha[prev + i] + byTarget[j * K + i];
        alpha[t * K + j] = logSumExpInto(terms, K) + emissions[offset + t * K + j];
      }
    }
    // beta[t, i] = log Σ over continuations from tag i at t (emissions after t, end score included)
    const last = (L - 1) * K;
    for (let i = 0; i < K; i++) beta[last + i] = this.end[i];
    for (let t = L - 2; t >= 0; t--) {
      const next = (t + 1) * K;
      for (let i = 0; i < K; i++) {
        for (let j = 0; j < K; j++) terms[j] = tr[i * K + j] + emissions[offset + next + j] + beta[next + j];
        beta[t * K + i] = logSumExpInto(terms, K);
      }
    }
    for (let j = 0; j < K; j++) terms[j] = alpha[last + j] + this.end[j];
    const logZ = logSumExpInto(terms, K);
    for (let q = 0; q < L * K; q++) out[outOffset + q] = Math.exp(alpha[q] + beta[q] - logZ);
    return logZ;
  }

  /**
   * {@link marginalsInto} with a fresh `[L, K]` array.
   *
   * @returns `marginals` `[L, K]` row-major and `logZ`
   */
  marginals(emissions: ArrayLike<number>, length?: number, offset = 0): { marginals: Float64Array; logZ: number } {
    const L = this.checkLength('CRFDecoder.marginals', emissions, length, offset);
    const marginals = new Float64Array(L * this.numTags);
    const logZ = this.marginalsInto(emissions, marginals, L, offset);
    return { marginals, logZ };
  }

  private checkLength(op: string, emissions: ArrayLike<number>, length: number | undefined, offset: number): number {
    const K = this.numTags;
    const L = length ?? Math.floor((emissions.length - offset) / K);
    if (!(L >= 0) || !(offset >= 0) || offset + L * K > emissions.length) {
      throw new ShapeError(op, 'emissions', `at least ${offset + L * K} values (offset ${offset}, length ${L}, K=${K})`, `${emissions.length}`);
    }
    return L;
  }

  private checkBatch(op: string, emissions: ArrayLike<number>, batch: number, time: number, lengths: ArrayLike<number> | undefined): void {
    const K = this.numTags;
    if (emissions.length !== batch * time * K) {
      throw new ShapeError(op, 'emissions', `[${batch}, ${time}, ${K}] (${batch * time * K} values)`, `${emissions.length} values`);
    }
    if (lengths === undefined) return;
    if (lengths.length !== batch) throw new ShapeError(op, 'lengths', `[${batch}]`, `[${lengths.length}]`);
    for (let b = 0; b < batch; b++) {
      const L = lengths[b];
      if (!(Number.isInteger(L) && L >= 0 && L <= time)) throw new ValueError(op, 'lengths', `must lie in [0, ${time}], got ${L} at ${b}`);
    }
  }

  /**
   * The Viterbi recursion over `em[off .. off + L*K)` (L ≥ 1), with pruning: at each step only
   * the previous tags within `trGap` of the leader (the candidates) can be anyone's best
   * predecessor. A confident tagger leaves one candidate, so a step costs O(K), not O(K²).
   *
   * Float32 arithmetic in tfjs's order: delta[t, j] = f32(f32(max_i f32(delta[t-1, i] + tr[i, j])) + em[t, j]).
   * The max is exact in float64 and rounding is monotone, so max-then-round equals round-then-max,
   * and the max may be taken in any order. Ties only matter for the argmax, which the backtrack
   * takes over the rounded sums with the lowest index winning, as `tf.argMax` does: a pruned tag
   * trails the winner by more than a few float32 ulps, so it can never tie after rounding.
   */
  private run(em: Float32Array, off: number, L: number, path: Int32Array, pathOff: number): number {
    const K = this.numTags;
    if (this.delta.length < L * K) {
      this.delta = new Float32Array(L * K * 2);
      this.candStore = new Int32Array(L * K * 2);
      this.candCount = new Int32Array(L * 2);
      if (this.penaltyValue > -Infinity) this.rescanned = new Uint8Array(L * K * 2);
    }
    const delta = this.delta;
    const tr = this.transitions;
    const acc = this.acc;
    const cand = this.candStore;
    const count = this.candCount;
    const rescanned = this.rescanned;
    const gap = this.trGap;
    const trMin = this.trMin;
    const trAbs = this.trAbsMax;
    const constrained = this.penaltyValue > -Infinity;
    const forbStart = this.forbStart;
    const forbIndex = this.forbIndex;
    const start = this.start;
    // Top two of the previous row: when the runner-up trails by more than the gap, the leader
    // is the only candidate.
    let top = -Infinity;
    let second = -Infinity;
    let topTag = 0;
    for (let j = 0; j < K; j++) {
      const v = this.hasStart ? f32(em[off + j] + start[j]) : em[off + j];
      delta[j] = v;
      if (v > top) {
        second = top;
        top = v;
        topTag = j;
      } else if (v > second) second = v;
    }
    for (let t = 1; t < L; t++) {
      const prev = (t - 1) * K;
      const cur = t * K;
      const eo = off + cur;
      // With every move allowed, j's best reaches top + trMin; a tag i with delta[i] + trMax
      // below that, by a margin of several float32 ulps, can neither win nor tie for any j.
      let limit = top - gap - (Math.abs(top) + trAbs) * 2 ** -18;
      if (!(limit >= -Infinity)) limit = -Infinity; // NaN from infinite scores: keep every tag
      let nc = 0;
      if (second < limit) {
        cand[cur] = topTag;
        nc = 1;
      } else {
        for (let i = 0; i < K; i++) if (delta[prev + i] >= limit) cand[cur + nc++] = i;
      }
      count[t] = nc;
      if (nc === 1 && !constrained) {
        // a confident tagger's common case: one row of transitions, fused with the update
        const d = delta[prev + topTag];
        const row = topTag * K;
        top = -Infinity;
        second = -Infinity;
        topTag = 0;
        for (let j = 0; j < K; j++) {
          const v = f32(f32(d + tr[row + j]) + em[eo + j]);
          delta[cur + j] = v;
          if (v > top) {
            second = top;
            top = v;
            topTag = j;
          } else if (v > second) second = v;
        }
        continue;
      }
      // max-plus over the candidates, one row of transitions at a time, two rows per pass
      const d0 = delta[prev + cand[cur]];
      const r0 = cand[cur] * K;
      for (let j = 0; j < K; j++) acc[j] = d0 + tr[r0 + j];
      let q = 1;
      for (; q + 1 < nc; q += 2) {
        const da = delta[prev + cand[cur + q]];
        const ra = cand[cur + q] * K;
        const db = delta[prev + cand[cur + q + 1]];
        const rb = cand[cur + q + 1] * K;
        for (let j = 0; j < K; j++) {
          let m = acc[j];
          const va = da + tr[ra + j];
          const vb = db + tr[rb + j];
          if (va > m) m = va;
          if (vb > m) m = vb;
          acc[j] = m;
        }
      }
      if (q < nc) {
        const da = delta[prev + cand[cur + q]];
        const ra = cand[cur + q] * K;
        for (let j = 0; j < K; j++) {
          const va = da + tr[ra + j];
          if (va > acc[j]) acc[j] = va;
        }
      }
      if (constrained) {
        // The bound above holds only where the leader's move to j is allowed; elsewhere rescan j.
        rescanned.fill(0, cur, cur + K);
        if (nc === 1) {
          for (let f = forbStart[cand[cur]]; f < forbStart[cand[cur] + 1]; f++) {
            const j = forbIndex[f];
            acc[j] = this.fallback(prev, j, top);
            rescanned[cur + j] = 1;
          }
        } else {
          const threshold = top + trMin + (Math.abs(top) + trAbs) * 2 ** -18;
          for (let j = 0; j < K; j++) {
            if (!(acc[j] >= threshold)) {
              acc[j] = this.fallback(prev, j, top);
              rescanned[cur + j] = 1;
            }
          }
        }
      }
      top = -Infinity;
      second = -Infinity;
      topTag = 0;
      for (let j = 0; j < K; j++) {
        // float32 arithmetic, as in tfjs: round the max, then add the emission and round again
        const v = f32(f32(acc[j]) + em[eo + j]);
        delta[cur + j] = v;
        if (v > top) {
          second = top;
          top = v;
          topTag = j;
        } else if (v > second) second = v;
      }
    }
    const last = (L - 1) * K;
    let best = 0;
    let score = -Infinity;
    if (this.hasEnd) {
      const end = this.end;
      for (let j = 0; j < K; j++) {
        const v = f32(delta[last + j] + end[j]);
        if (v > score) {
          score = v;
          best = j;
        }
      }
    } else {
      for (let j = 0; j < K; j++) {
        const v = delta[last + j];
        if (v > score) {
          score = v;
          best = j;
        }
      }
    }
    // Backtrack: the argmax of step t lies among its candidates unless j was rescanned.
    const byTarget = this.byTarget;
    path[pathOff + L - 1] = best;
    for (let t = L - 1; t > 0; t--) {
      const cur = t * K;
      const nc = count[t];
      if (constrained && rescanned[cur + best] === 1) {
        const row = best * K;
        const prev = (t - 1) * K;
        let m = -Infinity;
        let arg = 0;
        for (let i = 0; i < K; i++) {
          const v = f32(delta[prev + i] + byTarget[row + i]);
          if (v > m) {
            m = v;
            arg = i;
          }
        }
        best = arg;
      } else if (nc === 1) {
        best = cand[cur];
      } else {
        const row = best * K;
        const prev = (t - 1) * K;
        let m = -Infinity;
        let arg = cand[cur];
        for (let q = 0; q < nc; q++) {
          const i = cand[cur + q];
          const v = f32(delta[prev + i] + byTarget[row + i]);
          if (v > m) {
            m = v;
            arg = i;
          }
        }
        best = arg;
      }
      path[pathOff + t - 1] = best;
    }
    return score;
  }

  /**
   * Exact max_i delta[prev + i] + tr[i, j] for a j that the pruned candidates may miss (the
   * leader's move to j is forbidden): scan j's allowed predecessors; forbidden ones score at
   * most top + penalty, and only when no allowed one beats that is a full scan needed.
   */
  private fallback(prev: number, j: number, top: number): number {
    const K = this.numTags;
    const delta = this.delta;
    const tr = this.byTarget;
    const row = j * K;
    let m = -Infinity;
    for (let q = this.predStart[j]; q < this.predStart[j + 1]; q++) {
      const i = this.predIndex[q];
      const v = delta[prev + i] + tr[row + i];
      if (v > m) m = v;
    }
    if (m < top + this.penaltyValue) {
      for (let i = 0; i < K; i++) {
        const v = delta[prev + i] + tr[row + i];
        if (v > m) m = v;
      }
    }
    return m;
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
    if (L > 0) this.checkFinite('CRFDecoder.nBest', emissions, offset, L);
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
