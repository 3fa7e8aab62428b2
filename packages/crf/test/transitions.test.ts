import * as tf from '@tensorflow/tfjs';
import { allowedTransitions, CRFDecoder, crfDecode, crfLogNorm, crfNBest, isAllowedPath, ValueError } from '../src';
import { BACKENDS, allPaths, logSumExp, rng, uniform, useTestBackend } from './helpers';

const IOB2 = ['O', 'B-loc', 'I-loc', 'B-per', 'I-per'];

describe('allowedTransitions', () => {
  it('forbids O → I-x, B-y → I-x and a leading I-x in IOB2', () => {
    const c = allowedTransitions(IOB2, 'IOB2');
    const ok = (a: string, b: string): boolean => c.transitions[IOB2.indexOf(a)][IOB2.indexOf(b)];
    expect(ok('O', 'I-loc')).toBe(false);
    expect(ok('B-per', 'I-loc')).toBe(false);
    expect(ok('I-per', 'I-loc')).toBe(false);
    expect(ok('B-loc', 'I-loc')).toBe(true);
    expect(ok('I-loc', 'I-loc')).toBe(true);
    expect(ok('I-loc', 'B-loc')).toBe(true);
    expect(ok('O', 'B-per')).toBe(true);
    expect(c.start).toEqual([true, true, false, true, false]);
    expect(c.end).toEqual([true, true, true, true, true]);
  });

  test.each([
    // scheme, labels, forbidden moves (from → to; ^ = start, $ = end)
    ['IO', ['O', 'I-a', 'I-b'], []],
    ['IOB1', ['O', 'I-a', 'B-a', 'I-b'], ['^ B-a', 'O B-a', 'I-b B-a']],
    ['IOE2', ['O', 'I-a', 'E-a'], ['I-a O', 'I-a $']],
    ['IOE1', ['O', 'I-a', 'E-a', 'I-b'], ['E-a O', 'E-a I-b', 'E-a $']],
    ['IOBES', ['O', 'B-a', 'I-a', 'E-a', 'S-a'], ['^ I-a', '^ E-a', 'O I-a', 'O E-a', 'B-a O', 'B-a B-a', 'B-a S-a', 'B-a $', 'I-a O', 'I-a B-a', 'I-a S-a', 'I-a $', 'E-a I-a', 'E-a E-a', 'S-a I-a', 'S-a E-a']],
    ['BILOU', ['O', 'B-a', 'I-a', 'L-a', 'U-a'], ['^ I-a', '^ L-a', 'O I-a', 'O L-a', 'B-a O', 'B-a B-a', 'B-a U-a', 'B-a $', 'I-a O', 'I-a B-a', 'I-a U-a', 'I-a $', 'L-a I-a', 'L-a L-a', 'U-a I-a', 'U-a L-a']],
  ] as const)('in %s over %j forbids exactly %j', (scheme, labels, forbidden) => {
    const c = allowedTransitions(labels, scheme);
    const got: string[] = [];
    labels.forEach((to, j) => c.start[j] || got.push(`^ ${to}`));
    labels.forEach((from, i) => labels.forEach((to, j) => c.transitions[i][j] || got.push(`${from} ${to}`)));
    labels.forEach((from, i) => c.end[i] || got.push(`${from} $`));
    expect(got.sort()).toEqual([...forbidden].sort());
  });

  it('reads suffix-style tags', () => {
    expect(allowedTransitions(['O', 'loc-B', 'loc-I'], 'IOB2', { suffix: true }).transitions[0][2]).toBe(false);
  });

  it('rejects a label outside the scheme and an unknown scheme', () => {
    expect(() => allowedTransitions(['O', 'S-loc'], 'IOB2')).toThrow(ValueError);
    expect(() => allowedTransitions(['O', 'S-loc'], 'IOB2')).toThrowErrorMatchingInlineSnapshot(`"allowedTransitions: labels contains "S-loc", which is not a tag of scheme IOB2 (prefixes B, I, O)"`);
    expect(() => allowedTransitions(['O'], 'BIO' as never)).toThrowErrorMatchingInlineSnapshot(`"allowedTransitions: scheme must be IO, IOB1, IOB2, IOE1, IOE2, IOBES or BILOU, got BIO"`);
  });
});

describe.each(BACKENDS)('%s backend: constrained decoding', (backendName) => {
  beforeAll(() => useTestBackend(backendName));
  const constraints = allowedTransitions(IOB2, 'IOB2');

  it('never emits a forbidden move, even when emissions favour one', () => {
    const rand = rng(3);
    const B = 24;
    const T = 7;
    const K = IOB2.length;
    // I-x emissions get a bonus so that the unconstrained decoder would pick forbidden moves
    const emissions = Array.from({ length: B }, () => Array.from({ length: T }, () => uniform(rand, K, -3, 3).map((v, k) => (k === 2 || k === 4 ? v + 2 : v))));
    const lengths = Array.from({ length: B }, (_, b) => b % (T + 1));
    const em = tf.tensor3d(emissions);
    const mask = tf.tensor2d(lengths.map((L) => Array.from({ length: T }, (_, t) => (t < L ? 1 : 0))));
    const tr = tf.tensor2d(Array.from({ length: K }, () => uniform(rand, K, -1, 1)));
    const free = crfDecode(em, mask, tr);
    const freeTags = free.tags.arraySync();
    expect(freeTags.some((row, b) => !isAllowedPath(row.slice(0, lengths[b]), constraints))).toBe(true);
    const out = crfDecode(em, mask, tr, { constraints });
    const nbest = crfNBest(em, mask, tr, 3, { constraints });
    const tags = out.tags.arraySync();
    const nTags = nbest.tags.arraySync();
    const decoder = new CRFDecoder({ transitions: tr.arraySync(), constraints });
    lengths.forEach((L, b) => {
      expect(isAllowedPath(tags[b].slice(0, L), constraints)).toBe(true);
      expect(Array.from(decoder.decode(emissions[b].flat(), L).path)).toEqual(tags[b].slice(0, L));
      for (let q = 0; q < 3; q++) if (L > 1) expect(isAllowedPath(nTags[b][q].slice(0, L), constraints)).toBe(true);
    });
    // The constrained best path equals the best allowed path by brute force.
    const trArr = tr.arraySync();
    const b = 7;
    const allowed = allPaths(K, lengths[b]).filter((p) => isAllowedPath(p, constraints));
    const score = (p: number[]) => p.reduce((s, k, t) => s + emissions[b][t][k] + (t > 0 ? trArr[p[t - 1]][k] : 0), 0);
    const best = allowed.reduce((x, y) => (score(y) > score(x) ? y : x));
    expect(tags[b].slice(0, lengths[b])).toEqual(best);
    // Training with constraints: log Z sums allowed paths only (forbidden ones weigh e^-1e4 ≈ 0).
    const logZ = crfLogNorm(em, mask, tr, { constraints });
    expect(logZ.arraySync()[b]).toBeCloseTo(logSumExp(allowed.map(score)), 3);
    expect(Array.from(logZ.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([em, mask, tr, free.tags, free.scores, out.tags, out.scores, nbest.tags, nbest.scores, logZ]);
  });

  it('gives forbidden transitions a zero gradient', () => {
    const K = IOB2.length;
    const tr = tf.variable(tf.zeros([K, K]));
    const em = tf.randomNormal([2, 4, K], 0, 1, 'float32', 1);
    const { grads, value } = tf.variableGrads(() => tf.sum(crfLogNorm(em, null, tr, { constraints })) as tf.Scalar, [tr]);
    const g = grads[tr.name].arraySync() as number[][];
    constraints.transitions.forEach((row, i) => row.forEach((ok, j) => ok || expect(g[i][j]).toBe(0)));
    tf.dispose([tr, em, value, ...Object.values(grads)]);
  });
});
