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

describe('CRFDecoder fast paths', () => {
  beforeAll(() => useTestBackend('cpu'));

  // Peaked emissions leave one candidate per step (the pruned fast path); small integers make
  // exact ties common, so the lowest-index tie-break of tf.argMax is checked too.
  test.each([
    ['peaked', false, false],
    ['peaked', true, false],
    ['integer ties', false, false],
    ['integer ties', true, true],
    ['peaked', true, true],
  ] as const)('%s emissions (constraints %s, start/end %s) decode as crfDecode does, batched into one buffer', (kind, constrained, startEnd) => {
    const rand = rng(kind.length * 31 + (constrained ? 1 : 0) + (startEnd ? 2 : 0));
    const [B, T, K] = [40, 16, 21];
    const emissions = new Float32Array(B * T * K);
    for (let q = 0; q < B * T * K; q++) emissions[q] = kind === 'peaked' ? rand() * 4 - 2 : Math.floor(rand() * 3);
    if (kind === 'peaked') for (let n = 0; n < B * T; n++) emissions[n * K + Math.floor(rand() * K)] += 6;
    const transitions = kind === 'peaked' ? uniform(rand, K * K, -1, 1) : uniform(rand, K * K, 0, 2).map(Math.floor);
    const start = startEnd ? uniform(rand, K, -1, 1).map(Math.round) : undefined;
    const end = startEnd ? uniform(rand, K, -1, 1).map(Math.round) : undefined;
    const constraints = constrained ? allowedTransitions(WNUT, 'IOB2') : undefined;
    const lengths = Array.from({ length: B }, (_, b) => (b * 5) % (T + 1));
    const decoder = new CRFDecoder({ transitions, startTransitions: start, endTransitions: end, constraints }, K);
    const tags = new Int32Array(B * T).fill(-1);
    const scores = new Float64Array(B).fill(NaN);
    decoder.decodeBatchInto(emissions, B, T, lengths, tags, scores);
    tf.tidy(() => {
      const mask = tf.tensor2d(lengths.map((L) => Array.from({ length: T }, (_, t) => (t < L ? 1 : 0))));
      const opts = { constraints, startTransitions: start && tf.tensor1d(start), endTransitions: end && tf.tensor1d(end) };
      const out = crfDecode(tf.tensor3d(emissions, [B, T, K]), mask, tf.tensor2d(transitions, [K, K]), opts);
      expect(Array.from(tags)).toEqual(Array.from(out.tags.dataSync()));
      expect(Array.from(scores)).toEqual(Array.from(out.scores.dataSync()));
    });
    // the other entry points give the same answers, for number[] input too
    lengths.forEach((L, b) => {
      const row = Array.from(emissions.subarray(b * T * K, (b * T + L) * K));
      const one = decoder.decode(row);
      expect(Array.from(one.path)).toEqual(Array.from(tags.subarray(b * T, b * T + L)));
      expect(one.score).toBe(scores[b]);
      const path = new Int32Array(L + 2);
      expect(decoder.decodeInto(emissions, path, L, b * T * K, 2)).toBe(scores[b]);
      expect(Array.from(path.subarray(2))).toEqual(Array.from(one.path));
    });
  });

  it('rejects output buffers of the wrong size', () => {
    const decoder = new CRFDecoder({ transitions: [0, 1, 2, 3] });
    expect(() => decoder.decodeBatchInto(new Float32Array(8), 2, 2, null, new Int32Array(3), new Float32Array(2))).toThrowErrorMatchingInlineSnapshot(`"CRFDecoder.decodeBatchInto: tags must have shape [4] ([B*T]), got [3]"`);
    expect(() => decoder.decodeInto(new Float32Array(8), new Int32Array(3), 4)).toThrow(ShapeError);
  });
});
