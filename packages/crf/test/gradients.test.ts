import * as tf from '@tensorflow/tfjs';
import { crfLogNorm, crfMarginals, crfNegLogLikelihood } from '../src';
import { BACKENDS, bruteForce, maxAbsDiff, randomProblem, useTestBackend, type Problem } from './helpers';

/** Mean NLL of the problem in float64 by brute force. */
function meanNll(p: Problem): number {
  let total = 0;
  for (let b = 0; b < p.B; b++) {
    const r = bruteForce(p, b);
    total += r.logZ - r.gold;
  }
  return total / p.B;
}

/** Central finite differences of the brute-force mean NLL w.r.t. every entry of one parameter. */
function finiteDifferences(p: Problem, which: 'emissions' | 'transitions' | 'start' | 'end'): number[] {
  const h = 1e-5;
  const clone = (): Problem => JSON.parse(JSON.stringify(p)) as Problem;
  const cells: Array<(q: Problem) => { get: () => number; set: (v: number) => void }> = [];
  if (which === 'emissions') {
    for (let b = 0; b < p.B; b++)
      for (let t = 0; t < p.T; t++)
        for (let k = 0; k < p.K; k++) cells.push((q) => ({ get: () => q.emissions[b][t][k], set: (v) => (q.emissions[b][t][k] = v) }));
  } else if (which === 'transitions') {
    for (let i = 0; i < p.K; i++) for (let j = 0; j < p.K; j++) cells.push((q) => ({ get: () => q.transitions[i][j], set: (v) => (q.transitions[i][j] = v) }));
  } else {
    for (let k = 0; k < p.K; k++) cells.push((q) => ({ get: () => q[which]![k], set: (v) => (q[which]![k] = v) }));
  }
  return cells.map((cell) => {
    const up = clone();
    const down = clone();
    cell(up).set(cell(up).get() + h);
    cell(down).set(cell(down).get() - h);
    return (meanNll(up) - meanNll(down)) / (2 * h);
  });
}

describe.each(BACKENDS)('%s backend', (backendName) => {
  beforeAll(() => useTestBackend(backendName));

  it.each([false, true])('matches finite differences of the mean NLL w.r.t. emissions, transitions, start and end (start/end=%s)', (startEnd) => {
    const p = randomProblem(startEnd ? 11 : 12, 4, 3, 3, { startEnd, lengths: [3, 2, 1, 0] });
    const start = tf.memory().numTensors;
    const em = tf.tensor3d(p.emissions);
    const tr = tf.tensor2d(p.transitions);
    const st = tf.tensor1d(p.start ?? [0, 0, 0]);
    const en = tf.tensor1d(p.end ?? [0, 0, 0]);
    const tags = tf.tensor2d(p.tags, undefined, 'int32');
    const mask = tf.tensor2d(p.lengths.map((L) => [0, 1, 2].map((t) => (t < L ? 1 : 0))));
    const grads = startEnd
      ? tf.grads((e: tf.Tensor, t: tf.Tensor, s: tf.Tensor, n: tf.Tensor) =>
          crfNegLogLikelihood(e, tags, mask, t, { startTransitions: s, endTransitions: n }),
        )([em, tr, st, en])
      : tf.grads((e: tf.Tensor, t: tf.Tensor) => crfNegLogLikelihood(e, tags, mask, t))([em, tr]);
    const [gEm, gTr, gSt, gEn] = grads.map((g) => Array.from(g.dataSync()));
    expect(maxAbsDiff(gEm, finiteDifferences(p, 'emissions'))).toBeLessThan(1e-4);
    expect(maxAbsDiff(gTr, finiteDifferences(p, 'transitions'))).toBeLessThan(1e-4);
    if (startEnd) {
      expect(maxAbsDiff(gSt, finiteDifferences(p, 'start'))).toBeLessThan(1e-4);
      expect(maxAbsDiff(gEn, finiteDifferences(p, 'end'))).toBeLessThan(1e-4);
    }
    tf.dispose([...grads, em, tr, st, en, tags, mask]);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('gives padding emissions a zero gradient', () => {
    const p = randomProblem(5, 2, 4, 3, { lengths: [2, 0] });
    const em = tf.tensor3d(p.emissions);
    const tr = tf.tensor2d(p.transitions);
    const tags = tf.tensor2d(p.tags, undefined, 'int32');
    const mask = tf.tensor2d([[1, 1, 0, 0], [0, 0, 0, 0]]);
    const g = tf.grad((e: tf.Tensor) => crfNegLogLikelihood(e, tags, mask, tr))(em);
    const arr = g.arraySync() as number[][][];
    expect(arr[0].slice(2).flat().every((v) => v === 0)).toBe(true);
    expect(arr[1].flat().every((v) => v === 0)).toBe(true);
    tf.dispose([em, tr, tags, mask, g]);
  });

  it('equals the gradient of log Z w.r.t. emissions to the marginals', () => {
    const p = randomProblem(6, 3, 4, 3, { startEnd: true, lengths: [4, 2, 1] });
    const em = tf.tensor3d(p.emissions);
    const tr = tf.tensor2d(p.transitions);
    const opts = { startTransitions: tf.tensor1d(p.start!), endTransitions: tf.tensor1d(p.end!) };
    const mask = tf.tensor2d(p.lengths.map((L) => [0, 1, 2, 3].map((t) => (t < L ? 1 : 0))));
    const g = tf.grad((e: tf.Tensor) => tf.sum(crfLogNorm(e, mask, tr, opts)))(em);
    const m = crfMarginals(em, mask, tr, opts);
    expect(maxAbsDiff(g.arraySync(), m.arraySync())).toBeLessThan(1e-5);
    tf.dispose([em, tr, opts.startTransitions, opts.endTransitions, mask, g, m]);
  });

  it('keeps gradients finite with large transitions and garbage in the padding', () => {
    tf.tidy(() => {
      const em = tf.tensor3d([[[1, 2], [500, -500], [900, 900]], [[0, 1], [1, 0], [-900, 900]]]);
      const tr = tf.tensor2d([[100, -100], [-100, 100]]);
      const tags = tf.tensor2d([[0, 1, 0], [1, 1, 0]], undefined, 'int32');
      const mask = tf.tensor2d([[1, 1, 0], [1, 0, 0]]);
      const [gEm, gTr] = tf.grads((e: tf.Tensor, t: tf.Tensor) => crfNegLogLikelihood(e, tags, mask, t))([em, tr]);
      expect(Array.from(gEm.dataSync()).every(Number.isFinite)).toBe(true);
      expect(Array.from(gTr.dataSync()).every(Number.isFinite)).toBe(true);
    });
  });

  it.each([50, 1e3])('stays finite and exact with emissions of magnitude %d', (scale) => {
    const p = randomProblem(21, 3, 4, 4, { startEnd: true, scale, lengths: [4, 3, 1] });
    const em = tf.tensor3d(p.emissions);
    const tr = tf.tensor2d(p.transitions);
    const tags = tf.tensor2d(p.tags, undefined, 'int32');
    const opts = { startTransitions: tf.tensor1d(p.start!), endTransitions: tf.tensor1d(p.end!) };
    const mask = tf.tensor2d(p.lengths.map((L) => [0, 1, 2, 3].map((t) => (t < L ? 1 : 0))));
    const logZ = crfLogNorm(em, mask, tr, opts);
    const truth = [0, 1, 2].map((b) => bruteForce(p, b).logZ);
    // float32 keeps ~7 significant digits of values near 1e3
    expect(maxAbsDiff(logZ.arraySync(), truth)).toBeLessThan(scale * 1e-5);
    const trVar = tf.variable(tr);
    const { value, grads } = tf.variableGrads(() => crfNegLogLikelihood(em, tags, mask, trVar, opts) as tf.Scalar, [trVar]);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    expect(Array.from(grads[trVar.name].dataSync()).every(Number.isFinite)).toBe(true);
    const g = tf.grad((e: tf.Tensor) => crfNegLogLikelihood(e, tags, mask, tr, opts))(em);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    const m = crfMarginals(em, mask, tr, opts);
    expect(Array.from(m.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([em, tr, tags, opts.startTransitions, opts.endTransitions, mask, logZ, value, g, m, trVar, ...Object.values(grads)]);
  });
});
