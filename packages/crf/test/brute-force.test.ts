import * as tf from '@tensorflow/tfjs';
import { crfDecode, crfLogLikelihood, crfLogNorm, crfMarginals, crfNBest, crfNegLogLikelihood, crfSequenceScore } from '../src';
import { BACKENDS, bruteForce, maxAbsDiff, randomProblem, tensorsOf, useTestBackend } from './helpers';

// (K, T, start/end): every mask length 0..T appears in each batch.
const CASES: Array<[number, number, boolean]> = [
  [1, 3, false],
  [2, 4, true],
  [3, 3, false],
  [3, 4, true],
  [4, 4, false],
  [4, 1, true],
];

describe.each(BACKENDS)('%s backend', (backendName) => {
  beforeAll(() => useTestBackend(backendName));

  describe.each(CASES)('K=%i, T=%i, start/end=%s', (K, T, startEnd) => {
    const lengths = Array.from({ length: T + 1 }, (_, L) => L);
    const p = randomProblem(100 * K + T + (startEnd ? 7 : 0), lengths.length, T, K, { startEnd, lengths });
    const truth = lengths.map((_, b) => bruteForce(p, b));
    let start = 0;
    let x: ReturnType<typeof tensorsOf>;
    beforeAll(() => {
      start = tf.memory().numTensors;
      x = tensorsOf(p);
    });
    afterAll(() => {
      tf.dispose([x.emissions, x.tags, x.mask, x.transitions, ...Object.values(x.opts)]);
      expect(tf.memory().numTensors).toBe(start);
    });
    /** Run `f` and check it leaves exactly its outputs behind. */
    const leakFree = <R>(f: () => R): R => {
      const before = tf.memory().numTensors;
      const out = f();
      let outputs = 0;
      const walk = (v: unknown): void => {
        if (v instanceof tf.Tensor) outputs++;
        else if (v && typeof v === 'object') Object.values(v).forEach(walk);
      };
      walk(out);
      expect(tf.memory().numTensors - before).toBe(outputs);
      return out;
    };

    it('computes log Z equal to log-sum-exp over all K^T paths, 0 for an empty row', () => {
      const logZ = leakFree(() => crfLogNorm(x.emissions, x.mask, x.transitions, x.opts));
      expect(maxAbsDiff(logZ.arraySync(), truth.map((r) => r.logZ))).toBeLessThan(1e-4);
      logZ.dispose();
    });

    it('scores the gold path like the brute-force path score', () => {
      const s = leakFree(() => crfSequenceScore(x.emissions, x.tags, x.mask, x.transitions, x.opts));
      expect(maxAbsDiff(s.arraySync(), truth.map((r) => r.gold))).toBeLessThan(1e-4);
      s.dispose();
    });

    it('gives a log-likelihood of gold − log Z and a mean NLL of its negated mean', () => {
      const ll = leakFree(() => crfLogLikelihood(x.emissions, x.tags, x.mask, x.transitions, x.opts));
      const expected = truth.map((r) => r.gold - r.logZ);
      expect(maxAbsDiff(ll.arraySync(), expected)).toBeLessThan(1e-4);
      const nll = leakFree(() => crfNegLogLikelihood(x.emissions, x.tags, x.mask, x.transitions, x.opts));
      expect(nll.shape).toEqual([]);
      expect(nll.arraySync() as number).toBeCloseTo(-expected.reduce((a, v) => a + v, 0) / expected.length, 4);
      tf.dispose([ll, nll]);
    });

    it('decodes the brute-force best path with its score, 0 past each length', () => {
      const out = leakFree(() => crfDecode(x.emissions, x.mask, x.transitions, x.opts));
      expect(out.tags.dtype).toBe('int32');
      const tags = out.tags.arraySync();
      truth.forEach((r, b) => expect(tags[b]).toEqual([...r.best, ...new Array(T - r.best.length).fill(0)]));
      expect(maxAbsDiff(out.scores.arraySync(), truth.map((r) => (r.best.length ? r.bestScore : 0)))).toBeLessThan(1e-4);
      tf.dispose([out.tags, out.scores]);
    });

    it('returns marginals equal to the brute-force posteriors (rows sum to 1, padding 0)', () => {
      const m = leakFree(() => crfMarginals(x.emissions, x.mask, x.transitions, x.opts));
      expect(m.shape).toEqual([p.B, T, K]);
      expect(maxAbsDiff(m.arraySync(), truth.map((r) => r.marginals))).toBeLessThan(1e-4);
      m.dispose();
    });

    it('lists the n best paths in brute-force order, -Infinity when fewer exist', () => {
      const n = 5;
      const out = leakFree(() => crfNBest(x.emissions, x.mask, x.transitions, n, x.opts));
      expect(out.tags.shape).toEqual([p.B, n, T]);
      const tags = out.tags.arraySync();
      const scores = out.scores.arraySync();
      truth.forEach((r, b) => {
        const L = p.lengths[b];
        for (let q = 0; q < n; q++) {
          const want = L === 0 ? (q === 0 ? { path: [], score: 0 } : undefined) : r.ranked[q];
          if (want === undefined) {
            expect(scores[b][q]).toBe(-Infinity);
            continue;
          }
          expect(tags[b][q]).toEqual([...want.path, ...new Array(T - want.path.length).fill(0)]);
          expect(Math.abs(scores[b][q] - want.score)).toBeLessThan(1e-4);
        }
      });
      tf.dispose([out.tags, out.scores]);
    });
  });
});
