import * as tf from '@tensorflow/tfjs';
import { allowedTransitions, CRFDecoder, crfDecode, ShapeError, ValueError } from '../src';
import { bruteForce, randomProblem, rng, uniform, useTestBackend } from './helpers';

const TYPES = ['person', 'geo-loc', 'company', 'facility', 'product', 'musicartist', 'movie', 'sportsteam', 'tvshow', 'other'];
const WNUT = ['O', ...TYPES.flatMap((t) => [`B-${t}`, `I-${t}`])];

describe('CRFDecoder', () => {
  beforeAll(() => useTestBackend('cpu'));

  it('finds the brute-force best path and n-best order for every length (K=3, T=4)', () => {
    const p = randomProblem(41, 5, 4, 3, { startEnd: true, lengths: [0, 1, 2, 3, 4] });
    const decoder = new CRFDecoder({ transitions: p.transitions, startTransitions: p.start, endTransitions: p.end });
    p.lengths.forEach((L, b) => {
      const truth = bruteForce(p, b);
      const em = Float32Array.from(p.emissions[b].flat());
      const best = decoder.decode(em, L);
      expect(Array.from(best.path)).toEqual(truth.best);
      const n = decoder.nBest(em, 4, L);
      const want = L === 0 ? [{ path: [], score: 0 }] : truth.ranked.slice(0, 4);
      want.forEach((w, q) => {
        expect(Array.from(n[q].path)).toEqual(w.path);
        expect(n[q].score).toBeCloseTo(w.score, 4);
      });
    });
  });

  test.each([2, 50, 1e3])('agrees with crfDecode under IOB2 constraints over the 21 WNUT tags (emission scale %d)', (scale) => {
    const rand = rng(scale);
    const [B, T, K] = [12, 20, 21];
    const constraints = allowedTransitions(WNUT, 'IOB2');
    const emissions = Float32Array.from(uniform(rand, B * T * K, -scale, scale));
    const transitions = uniform(rand, K * K, -3, 3);
    const lengths = Array.from({ length: B }, (_, b) => (b * 7) % (T + 1));
    const decoder = new CRFDecoder({ transitions, constraints }, K);
    const plain = decoder.decodeBatch(emissions, B, T, lengths);
    tf.tidy(() => {
      const mask = tf.tensor2d(lengths.map((L) => Array.from({ length: T }, (_, t) => (t < L ? 1 : 0))));
      const out = crfDecode(tf.tensor3d(emissions, [B, T, K]), mask, tf.tensor2d(transitions, [K, K]), { constraints });
      const tags = out.tags.arraySync();
      const scores = out.scores.arraySync();
      plain.forEach((r, b) => {
        expect(Array.from(r.path)).toEqual(tags[b].slice(0, lengths[b]));
        expect(r.score).toBe(scores[b]);
      });
    });
  });

  it('rejects weights and inputs of the wrong size', () => {
    expect(() => new CRFDecoder({ transitions: [[0, 1], [2]] })).toThrow(ShapeError);
    expect(() => new CRFDecoder({ transitions: [0, 1, 2, 3], startTransitions: [0] })).toThrowErrorMatchingInlineSnapshot(`"CRFDecoder: startTransitions must have shape [2], got [1]"`);
    const decoder = new CRFDecoder({ transitions: [0, 1, 2, 3] });
    expect(() => decoder.decodeBatch(new Float32Array(7), 2, 2)).toThrowErrorMatchingInlineSnapshot(`"CRFDecoder.decodeBatch: emissions must have shape [2, 2, 2] (8 values), got 7 values"`);
    expect(() => decoder.decodeBatch(new Float32Array(8), 2, 2, [1, 3])).toThrow(ValueError);
    expect(() => decoder.nBest(new Float32Array(4), 0)).toThrow(ValueError);
  });
});
