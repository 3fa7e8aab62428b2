import * as tf from '@tensorflow/tfjs';
import { averageCrf, averageEmissions } from '../src/models/ensemble';
import { crfDecoder, crfParamsFromArrays, type CrfParams } from '../src/models/crf';
import { seededRandom } from '../src/random';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenVocabulary } from '@twner/conll';
import { CRFDecoder } from '@twner/crf';
import { buildEmissionModel, type ModelConfig } from '../src/models/bilstm-crf';
import { wnut16Labels } from '../src/models/labels';
import { saveBundle, type SavedConfig } from '../src/run-folder/bundle';
import { loadTaggerTfjs } from '../src/train/load-tfjs';
import { loadTagger } from '../src/load';

const K = 3;
const T = 4;

function randomCrf(rng: () => number): CrfParams {
  const r = (n: number): number[] => Array.from({ length: n }, () => rng() * 4 - 2);
  return crfParamsFromArrays({
    transitions: Array.from({ length: K }, () => r(K)),
    start: r(K),
    end: r(K),
  });
}

/** A path's score under one CRF, from the arrays (the textbook sum). */
function pathScore(crf: CrfParams, emissions: Float32Array, path: number[]): number {
  const tr = crf.transitions.dataSync();
  let s = crf.start.dataSync()[path[0]] + crf.end.dataSync()[path[path.length - 1]];
  path.forEach((y, t) => {
    s += emissions[t * K + y];
    if (t > 0) s += tr[path[t - 1] * K + y];
  });
  return s;
}

function allPaths(): number[][] {
  const out: number[][] = [];
  for (let code = 0; code < K ** T; code++) out.push(Array.from({ length: T }, (_, t) => Math.floor(code / K ** t) % K));
  return out;
}

describe('ensemble decoding (averaged emissions and CRF scores)', () => {
  it('Viterbi over the averages finds the path with the best mean member score (brute force over all K^T paths)', () => {
    const rng = seededRandom(7);
    const start = tf.memory().numTensors;
    for (let trial = 0; trial < 20; trial++) {
      const members = [randomCrf(rng), randomCrf(rng), randomCrf(rng)];
      const emissions = members.map(() => Float32Array.from({ length: T * K }, () => rng() * 6 - 3));
      const mean = averageCrf(members);
      const meanEmissions = Float32Array.from(emissions[0], (_, i) => emissions.reduce((a, e) => a + e[i], 0) / members.length);
      let best = -Infinity;
      let bestPath: number[] = [];
      for (const path of allPaths()) {
        const s = members.reduce((a, c, m) => a + pathScore(c, emissions[m], path), 0) / members.length;
        expect(pathScore(mean, meanEmissions, path)).toBeCloseTo(s, 4);
        if (s > best) [best, bestPath] = [s, path];
      }
      expect(Array.from(crfDecoder(mean).decode(meanEmissions).path)).toEqual(bestPath);
      tf.dispose([...members, mean].flatMap((c) => [c.transitions, c.start, c.end]));
    }
    expect(tf.memory().numTensors).toBe(start);
  });

  it('averageEmissions is the mean of the members’ predictions, and one member’s own output', () => {
    const models = [1, 2].map((seed) => {
      const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4, 5], units: K, kernelInitializer: tf.initializers.glorotUniform({ seed }) })] });
      return m;
    });
    const x = tf.randomNormal([2, 4, 5], 0, 1, 'float32', 3);
    tf.dispose(averageEmissions(models, [x])); // warm-up: tfjs-layers caches a constant on the first predict
    const start = tf.memory().numTensors;
    const avg = averageEmissions(models, [x]);
    const a = models[0].predict(x) as tf.Tensor;
    const b = models[1].predict(x) as tf.Tensor;
    const expected = tf.tidy(() => tf.div(tf.add(a, b), 2));
    expect(Array.from(avg.dataSync()).map((v, i) => v - expected.dataSync()[i]).every((d) => Math.abs(d) < 1e-6)).toBe(true);
    const single = averageEmissions([models[0]], [x]);
    expect(Array.from(single.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(avg.dataSync())).not.toEqual(Array.from(a.dataSync()));
    tf.dispose([avg, a, b, expected, single]);
    expect(tf.memory().numTensors).toBe(start);
    x.dispose();
    for (const m of models) m.dispose();
  });
});

describe('an ensemble run folder (saveBundle with members → loadTaggerTfjs)', () => {
  const root = mkdtempSync(join(tmpdir(), 'twner-ensemble-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const labels = wnut16Labels([]);
  const L = labels.length;

  it('reloads every member and tags with their averaged emissions and CRF scores; members: k keeps the first k', async () => {
    const rng = seededRandom(11);
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const sentences = Array.from({ length: 40 }, () => Array.from({ length: 1 + Math.floor(rng() * 12) }, () => words[Math.floor(rng() * 40)]));
    const vocab = TokenVocabulary.build(sentences);
    const config: ModelConfig = {
      arch: 'notebook', vocabSize: vocab.size, embeddingDim: 8, charVocabSize: 0, charDim: 0, charFilters: 0, charKernel: 1,
      maxChars: 1, featureDim: 0, units: 6, layers: 1, dropout: 0, denseUnits: 0, numTags: L, seed: 0, fused: true, recurrentActivation: 'sigmoid',
    };
    const nets = [5, 6].map((seed) => {
      const net = buildEmissionModel({ ...config, seed });
      // Weights large enough that emissions, not the transitions alone, decide the paths.
      net.setWeights(net.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.8, 'float32', seed * 100 + i)));
      return net;
    });
    const crfs = [randomCrfOf(L, rng), randomCrfOf(L, rng)];
    const saved: SavedConfig = { model: config, labels, constrained: false, useCasing: false, gazetteerLists: [], ensemble: { seeds: [5, 6] } };
    const dir = join(root, 'run');
    await saveBundle(dir, { model: nets[0], crf: crfs[0], vocab, chars: null, config: saved, members: [{ model: nets[1], crf: crfs[1] }] });

    // Independent truth: each member's emissions one tweet at a time, averaged and decoded here.
    const arrays = crfs.map((c) => ({ tr: c.transitions.dataSync(), st: c.start.dataSync(), en: c.end.dataSync() }));
    const mean = (pick: (a: (typeof arrays)[number]) => Float32Array | Int32Array | Uint8Array): number[][] =>
      [Array.from(pick(arrays[0]), (v, i) => (v + pick(arrays[1])[i]) / 2)];
    const decoder = new CRFDecoder({ transitions: mean((a) => a.tr as Float32Array)[0], startTransitions: mean((a) => a.st as Float32Array)[0], endTransitions: mean((a) => a.en as Float32Array)[0] }, L);
    const alone = new CRFDecoder({ transitions: arrays[0].tr, startTransitions: arrays[0].st, endTransitions: arrays[0].en }, L);
    const expected: string[][] = [];
    const member1: string[][] = [];
    for (const s of sentences) {
      const ids = tf.tensor2d([s.map((w) => vocab.indexOf(w))], [1, s.length], 'int32');
      const outs = nets.map((n) => (n.predict(ids) as tf.Tensor).dataSync());
      const avg = Float32Array.from(outs[0], (v, i) => (v + outs[1][i]) / 2);
      expected.push(Array.from(decoder.decode(avg, s.length).path, (i) => labels[i]));
      member1.push(Array.from(alone.decode(outs[0], s.length).path, (i) => labels[i]));
      ids.dispose();
    }
    const tagger = await loadTaggerTfjs(dir);
    expect(tagger.tagTokens(sentences).map((t) => t.tags)).toEqual(expected);
    expect(expected).not.toEqual(member1); // the second member changes some tags
    tagger.dispose();

    // `members`: the first networks only, with their own CRFs, on both engines; saved as such.
    const tags = (t: { tagTokens(s: string[][]): { tags: string[] }[] }): string[][] => t.tagTokens(sentences).map((x) => x.tags);
    const tfjsOne = await loadTaggerTfjs(dir, { members: 1 });
    expect(tags(tfjsOne)).toEqual(member1);
    tfjsOne.dispose();
    const servingOne = await loadTagger(dir, { members: 1, precision: 'float32' });
    expect(tags(servingOne)).toEqual(member1);
    expect(servingOne.engine.description).not.toMatch(/members averaged/);
    const saved1 = await servingOne.save(join(root, 'one-member'));
    await servingOne.dispose();
    expect(existsSync(join(saved1, 'members'))).toBe(false);
    expect(JSON.parse(readFileSync(join(saved1, 'config.json'), 'utf8')).ensemble).toEqual({ seeds: [5] });
    const reloaded = await loadTagger(saved1, { precision: 'float32' });
    expect(tags(reloaded)).toEqual(member1);
    await reloaded.dispose();
    const servingBoth = await loadTagger(dir, { members: 2, precision: 'float32' });
    expect(tags(servingBoth)).toEqual(expected);
    await servingBoth.dispose();
    for (const bad of [0, 3, 1.5]) {
      await expect(loadTagger(dir, { members: bad })).rejects.toThrow(`option "members" must be an integer from 1 to 2 (the model at ${dir} has 2 networks), got ${bad}`);
    }
    for (const n of nets) n.dispose();
    tf.dispose(crfs.flatMap((c) => [c.transitions, c.start, c.end]));
  });

  it('names a missing member folder', async () => {
    const dir = join(root, 'run');
    rmSync(join(dir, 'members', '2'), { recursive: true });
    await expect(loadTaggerTfjs(dir)).rejects.toThrow(/members\/2\/model.json is missing/);
  });
});

function randomCrfOf(k: number, rng: () => number): CrfParams {
  const r = (n: number): number[] => Array.from({ length: n }, () => rng() * 2 - 1);
  return crfParamsFromArrays({ transitions: Array.from({ length: k }, () => r(k)), start: r(k), end: r(k) });
}
