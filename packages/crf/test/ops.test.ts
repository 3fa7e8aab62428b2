import * as tf from '@tensorflow/tfjs';
import { CRFDecoder, crfDecode, crfLogLikelihood, crfLogNorm, crfMarginals, crfNBest, crfNegLogLikelihood, crfSequenceScore, ShapeError, ValueError, viterbi } from '../src';
import { BACKENDS, maxAbsDiff, randomProblem, tensorsOf, useTestBackend } from './helpers';

describe.each(BACKENDS)('%s backend', (backendName) => {
  beforeAll(() => useTestBackend(backendName));

  it('gives a batch the same results as each sample alone (batched = per-sample)', () => {
    tf.tidy(() => {
      const p = randomProblem(31, 4, 5, 4, { startEnd: true, lengths: [5, 3, 1, 0] });
      const x = tensorsOf(p);
      const all = {
        logZ: crfLogNorm(x.emissions, x.mask, x.transitions, x.opts).arraySync(),
        ll: crfLogLikelihood(x.emissions, x.tags, x.mask, x.transitions, x.opts).arraySync(),
        tags: crfDecode(x.emissions, x.mask, x.transitions, x.opts).tags.arraySync(),
        marg: crfMarginals(x.emissions, x.mask, x.transitions, x.opts).arraySync(),
      };
      for (let b = 0; b < p.B; b++) {
        const one = (t: tf.Tensor) => tf.slice(t, [b], [1]);
        expect(crfLogNorm(one(x.emissions), one(x.mask), x.transitions, x.opts).arraySync()[0]).toBeCloseTo(all.logZ[b], 5);
        expect(crfLogLikelihood(one(x.emissions), one(x.tags), one(x.mask), x.transitions, x.opts).arraySync()[0]).toBeCloseTo(all.ll[b], 5);
        expect(crfDecode(one(x.emissions), one(x.mask), x.transitions, x.opts).tags.arraySync()[0]).toEqual(all.tags[b]);
        expect(maxAbsDiff(crfMarginals(one(x.emissions), one(x.mask), x.transitions, x.opts).arraySync()[0], all.marg[b])).toBeLessThan(1e-6);
      }
      });
  });

  it('treats no mask as an all-ones mask and ignores whatever lies in the padding', () => {
    tf.tidy(() => {
      const p = randomProblem(32, 3, 4, 3, { lengths: [4, 4, 4] });
      const x = tensorsOf(p);
      expect(crfLogNorm(x.emissions, null, x.transitions).arraySync()).toEqual(crfLogNorm(x.emissions, x.mask, x.transitions).arraySync());
      // Same rows, padded to T=6 with garbage emissions and tags.
      const padded = tf.concat([x.emissions, tf.mul(tf.randomNormal([3, 2, 3], 0, 1, 'float32', 4), 100)], 1);
      const paddedTags = tf.concat([x.tags, tf.fill([3, 2], 2, 'int32')], 1);
      const paddedMask = tf.concat([x.mask, tf.zeros([3, 2], 'int32')], 1);
      expect(maxAbsDiff(crfLogLikelihood(padded, paddedTags, paddedMask, x.transitions).arraySync(), crfLogLikelihood(x.emissions, x.tags, null, x.transitions).arraySync())).toBeLessThan(1e-5);
      const d = crfDecode(padded, paddedMask, x.transitions).tags.arraySync();
      expect(d.map((r) => r.slice(0, 4))).toEqual(crfDecode(x.emissions, null, x.transitions).tags.arraySync());
      expect(d.map((r) => r.slice(4))).toEqual([[0, 0], [0, 0], [0, 0]]);
    });
  });

  it('accepts bool, int32 and float32 masks alike', () => {
    tf.tidy(() => {
      const p = randomProblem(33, 2, 3, 3, { lengths: [3, 1] });
      const x = tensorsOf(p);
      const results = (['bool', 'int32', 'float32'] as const).map((dtype) => crfLogNorm(x.emissions, tf.cast(x.mask, dtype), x.transitions).arraySync());
      expect(results[1]).toEqual(results[0]);
      expect(results[2]).toEqual(results[0]);
    });
  });

  it('decodes the same paths and scores with the plain-TS CRFDecoder as crfDecode (K=21, T=20)', () => {
    tf.tidy(() => {
      const p = randomProblem(34, 16, 20, 21, { startEnd: true, scale: 3 });
      const x = tensorsOf(p);
      const out = crfDecode(x.emissions, x.mask, x.transitions, x.opts);
      const decoder = new CRFDecoder({ transitions: p.transitions, startTransitions: p.start, endTransitions: p.end });
      const flat = x.emissions.dataSync();
      const plain = decoder.decodeBatch(flat, p.B, p.T, p.lengths);
      const tags = out.tags.arraySync();
      const scores = out.scores.arraySync();
      plain.forEach((r, b) => {
        expect(Array.from(r.path)).toEqual(tags[b].slice(0, p.lengths[b]));
        expect(r.score).toBe(p.lengths[b] === 0 ? 0 : scores[b]);
      });
      expect(Array.from(viterbi(flat.subarray(0, p.lengths[0] * 21), { transitions: p.transitions.flat(), startTransitions: p.start, endTransitions: p.end }).path)).toEqual(tags[0].slice(0, p.lengths[0]));
      // n-best with n = 1 is Viterbi
      expect(crfNBest(x.emissions, x.mask, x.transitions, 1, x.opts).tags.arraySync().map((r) => r[0])).toEqual(tags);
    });
  });

  it('works with a single tag (K = 1), where tf.oneHot would refuse depth 1', () => {
    tf.tidy(() => {
      const em = tf.tensor3d([[[0.5], [1.5]]]);
      const tr = tf.tensor2d([[0.25]]);
      const tags = tf.zeros([1, 2], 'int32');
      expect(crfLogLikelihood(em, tags, null, tr).arraySync()[0]).toBeCloseTo(0, 6);
      expect(crfSequenceScore(em, tags, null, tr).arraySync()[0]).toBeCloseTo(2.25, 6);
      expect(crfDecode(em, null, tr).tags.arraySync()).toEqual([[0, 0]]);
    });
  });

  it('returns numTensors to its start after every op', () => {
    const p = randomProblem(35, 3, 4, 3, { startEnd: true, lengths: [4, 2, 0] });
    const x = tensorsOf(p);
    const start = tf.memory().numTensors;
    const ops: Array<() => tf.TensorContainer> = [
      () => crfSequenceScore(x.emissions, x.tags, x.mask, x.transitions, x.opts),
      () => crfLogNorm(x.emissions, x.mask, x.transitions, x.opts),
      () => crfLogLikelihood(x.emissions, x.tags, x.mask, x.transitions, x.opts),
      () => crfNegLogLikelihood(x.emissions, x.tags, x.mask, x.transitions, { ...x.opts, reduction: 'tokenMean' }),
      () => { const r = crfDecode(x.emissions, x.mask, x.transitions, x.opts); return [r.tags, r.scores]; },
      () => crfMarginals(x.emissions, x.mask, x.transitions, x.opts),
      () => { const r = crfNBest(x.emissions, x.mask, x.transitions, 2, x.opts); return [r.tags, r.scores]; },
      () => tf.grad((e: tf.Tensor) => crfNegLogLikelihood(e, x.tags, x.mask, x.transitions, x.opts))(x.emissions),
    ];
    for (const op of ops) {
      tf.dispose(op());
      expect(tf.memory().numTensors).toBe(start);
    }
  });
});

describe('errors name the op and the argument', () => {
  beforeAll(() => useTestBackend('cpu'));
  const em = () => tf.zeros([2, 3, 4]);
  const tr = () => tf.zeros([4, 4]);
  test.each([
    ['emissions of rank 2', () => crfLogNorm(tf.zeros([3, 4]), null, tr())],
    ['transitions of the wrong size', () => crfDecode(em(), null, tf.zeros([3, 3]))],
    ['a mask of the wrong shape', () => crfMarginals(em(), tf.ones([2, 4]), tr())],
    ['tags of the wrong shape', () => crfLogLikelihood(em(), tf.zeros([2, 2], 'int32'), null, tr())],
    ['startTransitions of the wrong size', () => crfLogNorm(em(), null, tr(), { startTransitions: tf.zeros([3]) })],
  ])('throws ShapeError for %s', (_name, f) => {
    expect(f).toThrow(ShapeError);
    try {
      f();
    } catch (e) {
      expect((e as Error).message).toMatchSnapshot();
    }
  });

  it('throws ValueError for a mask that is not right-padded, out-of-range tags and a bad n', () => {
    expect(() => crfLogNorm(em(), tf.tensor2d([[1, 0, 1], [1, 1, 1]]), tr())).toThrowErrorMatchingInlineSnapshot(`"crfLogNorm: mask must be right-padded, but row 0 has a real token at t=2 after padding"`);
    expect(() => crfLogNorm(em(), tf.tensor2d([[1, 2, 1], [1, 1, 1]]), tr())).toThrow(ValueError);
    expect(() => crfSequenceScore(em(), tf.tensor2d([[0, 4, 0], [0, 0, 0]], undefined, 'int32'), null, tr())).toThrowErrorMatchingInlineSnapshot(`"crfSequenceScore: tags must hold integers in [0, 4) at real tokens, got 4 at [0, 1]"`);
    expect(() => crfNBest(em(), null, tr(), 0)).toThrowErrorMatchingInlineSnapshot(`"crfNBest: n must be a positive integer, got 0"`);
    expect(() => crfNegLogLikelihood(em(), tf.zeros([2, 3], 'int32'), null, tr(), { reduction: 'avg' as never })).toThrow(ValueError);
  });

  it('lets validate: false skip the value checks', () => {
    expect(() => crfLogNorm(em(), tf.tensor2d([[1, 0, 1], [1, 1, 1]]), tr(), { validate: false })).not.toThrow();
  });
});
