import { allowedTransitions, averageCrfWeights, CRFDecoder, DEFAULT_PENALTY, NonFiniteError } from '../src';
import { allPaths, bruteForce, logSumExp, randomProblem, rng, uniform, type Problem } from './helpers';

/** Marginals and log Z over the allowed paths only (forbidden moves left out, not penalised). */
function bruteForceAllowed(p: Problem, b: number, allowed: (path: number[]) => boolean) {
  const L = p.lengths[b];
  const paths = allPaths(p.K, L).filter(allowed);
  const score = (path: number[]): number => {
    let s = (p.start?.[path[0]] ?? 0) + (p.end?.[path[L - 1]] ?? 0);
    path.forEach((k, t) => (s += p.emissions[b][t][k] + (t > 0 ? p.transitions[path[t - 1]][k] : 0)));
    return s;
  };
  const scores = paths.map(score);
  const logZ = logSumExp(scores);
  const marginals = Array.from({ length: L }, () => new Array(p.K).fill(0));
  paths.forEach((path, i) => path.forEach((k, t) => (marginals[t][k] += Math.exp(scores[i] - logZ))));
  return { logZ, marginals };
}

/** The problem's weights as float32, which is what the decoder keeps. */
function asFloat32(p: Problem): Problem {
  const f = (xs: number[]): number[] => xs.map(Math.fround);
  return { ...p, transitions: p.transitions.map(f), start: p.start && f(p.start), end: p.end && f(p.end) };
}

function maxDiff(ours: ArrayLike<number>, truth: number[][]): number {
  return truth.flat().reduce((m, v, q) => Math.max(m, Math.abs(v - ours[q])), 0);
}

describe('CRFDecoder.marginalsInto', () => {
  test.each([
    [2, 4, false, 2],
    [3, 4, true, 2],
    [4, 4, true, 5],
    [4, 3, false, 1e3],
    [3, 4, true, 1e3],
  ])('equals brute force over all %d^%d paths (start/end %s, emission scale %d)', (K, T, startEnd, scale) => {
    const p = asFloat32(randomProblem(K * 10 + T, 6, T, K, { startEnd, scale, lengths: [1, 2, 3, T, T, 1] }));
    const decoder = new CRFDecoder({ transitions: p.transitions, startTransitions: p.start, endTransitions: p.end });
    p.lengths.forEach((L, b) => {
      const em = Float32Array.from(p.emissions[b].slice(0, L).flat());
      // the float32 copy is what the decoder sees; the brute force gets the same numbers
      p.emissions[b] = p.emissions[b].map((row, t) => (t < L ? Array.from(em.subarray(t * K, (t + 1) * K)) : row));
      const exact = bruteForce(p, b);
      const out = new Float64Array(L * K + 3).fill(NaN);
      const logZ = decoder.marginalsInto(em, out, L, 0, 3);
      expect(Math.abs(logZ - exact.logZ)).toBeLessThan(1e-9 * Math.max(1, Math.abs(exact.logZ)));
      expect(maxDiff(out.subarray(3), exact.marginals.slice(0, L))).toBeLessThan(1e-9);
      expect(out.every((v, q) => q < 3 || Number.isFinite(v))).toBe(true);
      for (let t = 0; t < L; t++) expect(out.subarray(3 + t * K, 3 + (t + 1) * K).reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
    });
  });

  it('gives zero probability to what IOB2 forbids and matches brute force over the allowed paths', () => {
    const labels = ['O', 'B-person', 'I-person', 'B-geo-loc'];
    const constraints = allowedTransitions(labels, 'IOB2');
    const K = labels.length;
    const p = asFloat32(randomProblem(5, 4, 4, K, { startEnd: true, scale: 2, lengths: [1, 2, 3, 4] }));
    const decoder = new CRFDecoder({ transitions: p.transitions, startTransitions: p.start, endTransitions: p.end, constraints });
    const allowed = (path: number[]): boolean =>
      constraints.start[path[0]] && constraints.end[path[path.length - 1]] && path.every((k, t) => t === 0 || constraints.transitions[path[t - 1]][k]);
    p.lengths.forEach((L, b) => {
      const em = Float32Array.from(p.emissions[b].slice(0, L).flat());
      p.emissions[b] = p.emissions[b].map((row, t) => (t < L ? Array.from(em.subarray(t * K, (t + 1) * K)) : row));
      const truth = bruteForceAllowed(p, b, allowed);
      const { marginals, logZ } = decoder.marginals(em, L);
      expect(Math.abs(logZ - truth.logZ)).toBeLessThan(1e-9);
      expect(maxDiff(marginals, truth.marginals)).toBeLessThan(1e-9);
      expect(marginals[2]).toBe(0); // I-person cannot start a tweet: e^(penalty) underflows to exactly 0
    });
    expect(DEFAULT_PENALTY).toBe(-1e4);
  });

  it('returns 0 and writes nothing for an empty sequence', () => {
    const decoder = new CRFDecoder({ transitions: [0, 1, 2, 3] });
    const out = new Float32Array(2).fill(7);
    expect(decoder.marginalsInto(new Float32Array(0), out)).toBe(0);
    expect(Array.from(out)).toEqual([7, 7]);
  });
});

describe('CRFDecoder and non-finite numbers', () => {
  test.each([
    ['transitions', { transitions: [0, NaN, 0, 0] }, /transitions must be finite, got NaN at entry \(0, 1\)/],
    ['startTransitions', { transitions: [0, 0, 0, 0], startTransitions: [0, Infinity] }, /startTransitions must be finite, got Infinity at entry 1/],
    ['endTransitions', { transitions: [0, 0, 0, 0], endTransitions: [-Infinity, 0] }, /endTransitions must be finite, got -Infinity at entry 0/],
    ['transitions beyond float32', { transitions: [0, 0, 1e39, 0] }, /transitions must be finite, got Infinity at entry \(1, 0\) \(after conversion to float32\)/],
  ])('refuses non-finite %s at construction', (_, weights, message) => {
    let error: unknown;
    try {
      new CRFDecoder(weights);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteError);
    expect(error).toMatchObject({ code: 'NON_FINITE' });
    expect((error as Error).message).toMatch(message);
  });

  it('refuses unknown weight keys (a misspelt startTransitions would silently decode without start scores)', () => {
    expect(() => new CRFDecoder({ transitions: [0, 0, 0, 0], start: [1, 2] } as never)).toThrowErrorMatchingInlineSnapshot(
      `"CRFDecoder: weights.start is not a known key; use transitions, startTransitions, endTransitions, constraints, penalty"`,
    );
  });

  it('refuses NaN/Inf emissions in decode, decodeInto, decodeBatch, nBest and marginals, naming the position', () => {
    const decoder = new CRFDecoder({ transitions: [0, 0.5, -0.5, 0] });
    const em = Float32Array.from([1, 2, 3, 4, 5, 6]);
    em[3] = NaN;
    expect(() => decoder.decode(em)).toThrowErrorMatchingInlineSnapshot(
      `"CRFDecoder.decodeInto: emissions must be finite, got NaN at position t=1, tag 1 (flat index 3); check the model weights or the network that produced the scores"`,
    );
    expect(() => decoder.decodeBatch(em, 1, 3)).toThrow(NonFiniteError);
    expect(() => decoder.nBest(em, 2)).toThrow(NonFiniteError);
    expect(() => decoder.marginalsInto(em, new Float64Array(6))).toThrow(/at position t=1, tag 1/);
    const inf = [0, 0, Infinity, -Infinity];
    expect(() => decoder.decode(inf)).toThrow(/got Infinity at position t=1, tag 0/);
    // only the decoded window is checked: a NaN outside it is not the caller's tweet
    expect(decoder.decode(em, 1).path).toHaveLength(1);
  });
});

describe('averageCrfWeights', () => {
  it('is the mean of the members (absent start/end counting as 0), and decodes the mean path scores', () => {
    const rand = rng(3);
    const K = 3;
    const a = { transitions: uniform(rand, K * K, -1, 1), startTransitions: uniform(rand, K, -1, 1) };
    const b = { transitions: Array.from({ length: K }, () => uniform(rand, K, -1, 1)), endTransitions: uniform(rand, K, -1, 1) };
    const avg = averageCrfWeights([a, b]);
    const tr = avg.transitions as Float32Array;
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) expect(tr[i * K + j]).toBeCloseTo((a.transitions[i * K + j] + b.transitions[i][j]) / 2, 6);
    expect(Array.from(avg.startTransitions as Float32Array)).toEqual(Array.from(Float32Array.from(a.startTransitions, (v) => v / 2)));
    expect(Array.from(avg.endTransitions as Float32Array)).toEqual(Array.from(Float32Array.from(b.endTransitions, (v) => v / 2)));
    // a path's score under the averaged CRF with averaged emissions is the mean of its member scores
    const ea = uniform(rand, 4 * K, -2, 2);
    const eb = uniform(rand, 4 * K, -2, 2);
    const mean = ea.map((v, q) => (v + eb[q]) / 2);
    const best = new CRFDecoder(avg).decode(mean);
    const score = (w: { transitions: number[]; start: number[]; end: number[] }, em: number[], path: number[]): number =>
      path.reduce((s, k, t) => s + em[t * K + k] + (t > 0 ? w.transitions[path[t - 1] * K + k] : w.start[k]), 0) + w.end[path[path.length - 1]];
    const wa = { transitions: a.transitions, start: a.startTransitions, end: [0, 0, 0] };
    const wb = { transitions: b.transitions.flat(), start: [0, 0, 0], end: b.endTransitions };
    const all = allPaths(K, 4).map((path) => ({ path, s: (score(wa, ea, path) + score(wb, eb, path)) / 2 }));
    all.sort((x, y) => y.s - x.s);
    expect(Array.from(best.path)).toEqual(all[0].path);
  });

  it('refuses no members and members of different sizes', () => {
    expect(() => averageCrfWeights([])).toThrow(/members must hold at least one CRF/);
    expect(() => averageCrfWeights([{ transitions: [0, 0, 0, 0] }, { transitions: [0] }])).toThrow(/members\[1\]\.transitions must have shape \[4\]/);
  });
});
