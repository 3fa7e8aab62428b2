import * as tf from '@tensorflow/tfjs';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenVocabulary } from '@twner/conll';
import { buildEmissionModel, type ModelConfig } from '../src/models/bilstm-crf';
import { seededRandom } from '../src/random';
import { wnut16Labels } from '../src/models/labels';
import { saveBundle, type SavedConfig } from '../src/run-folder/bundle';
import { loadServingEngine } from '../src/serving/load-serving';
import { openRunFolder } from '../src/run-folder/format';
import { buildGazetteer, gazetteerWidth } from '../src/features/gazetteer';
import { buildCharIndex } from '../src/features/chars';
import { CASING_FEATURES } from '../src/features/casing';
import { loadTagger } from '../src/load';
import { loadTaggerTfjs } from '../src/train/load-tfjs';

const labels = wnut16Labels([]);

/** Random tweets over a small word list, with some words the vocabulary never saw. */
function tweets(n: number, seed: number): string[][] {
  const rng = seededRandom(seed);
  const words = Array.from({ length: 60 }, (_, i) => `w${i}`);
  return Array.from({ length: n }, () => {
    const len = 1 + Math.floor(rng() * 35);
    return Array.from({ length: len }, () => (rng() < 0.1 ? `unseen${Math.floor(rng() * 9)}` : words[Math.floor(rng() * words.length)]));
  });
}

/** A run folder with a random (but far from uniform) notebook-arch model. */
async function writeRun(dir: string, opts: { fused: boolean; recurrentActivation: 'sigmoid' | 'hardSigmoid'; constrained: boolean; seed: number }): Promise<void> {
  const vocab = TokenVocabulary.build(tweets(200, opts.seed).map((t) => t.filter((w) => !w.startsWith('unseen'))));
  const model: ModelConfig = {
    arch: 'notebook', vocabSize: vocab.size, embeddingDim: 12, charVocabSize: 0, charDim: 0, charFilters: 0, charKernel: 1,
    maxChars: 1, featureDim: 0, units: 8, layers: 2, dropout: 0, denseUnits: 10, numTags: labels.length, seed: opts.seed,
    fused: opts.fused, recurrentActivation: opts.recurrentActivation,
  };
  const net = buildEmissionModel(model);
  // Weights large enough that emissions, not the transitions alone, decide the paths.
  net.setWeights(net.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.6, 'float32', opts.seed * 100 + i)));
  const K = labels.length;
  const crf = {
    transitions: tf.variable(tf.randomUniform([K, K], -1, 1, 'float32', opts.seed + 1)),
    start: tf.variable(tf.randomUniform([K], -1, 1, 'float32', opts.seed + 2)),
    end: tf.variable(tf.randomUniform([K], -1, 1, 'float32', opts.seed + 3)),
  };
  const config: SavedConfig = { model, labels, constrained: opts.constrained, useCasing: false, gazetteerLists: [] };
  await saveBundle(dir, { model: net, crf, vocab, chars: null, config });
  net.dispose();
  tf.dispose([crf.transitions, crf.start, crf.end]);
}

describe('serving path (InferenceBiLstm + CRFDecoder, no tfjs)', () => {
  const root = mkdtempSync(join(tmpdir(), 'twner-serving-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const cases = [
    { name: 'fused, sigmoid gates, IOB2-constrained', fused: true, recurrentActivation: 'sigmoid', constrained: true, seed: 3, threads: 1 },
    { name: 'tfjs-layers LSTM, hardSigmoid gates, unconstrained, 2 threads', fused: false, recurrentActivation: 'hardSigmoid', constrained: false, seed: 7, threads: 2 },
  ] as const;

  it.each(cases)('tags exactly as crf.decode on model.predict: $name', async (c) => {
    const dir = join(root, `run-${c.seed}`);
    await writeRun(dir, c);
    const sentences = tweets(300, c.seed + 50);
    sentences.splice(17, 0, []); // an empty tweet stays empty
    const reference = await loadTaggerTfjs(dir);
    const expected = reference.tagTokens(sentences).map((t) => t.tags);
    reference.dispose();
    // (float32: the exact path; the default int16 products are tested below)
    const serving = await loadTagger(dir, { threads: c.threads, precision: 'float32' });
    const got = serving.tagTokens(sentences).map((t) => t.tags);
    // One at a time (the streaming case) gives the same paths as the batch.
    const single = sentences.slice(0, 40).map((s) => serving.tagTokens([s])[0].tags);
    await serving.dispose();
    expect(got).toHaveLength(sentences.length);
    expect(got[17]).toEqual([]);
    expect(got).toEqual(expected);
    expect(single).toEqual(expected.slice(0, 40));
    // Not a degenerate model: the paths use many tags.
    expect(new Set(got.flat()).size).toBeGreaterThan(4);
  });

  // The default architecture: word embedding ‖ char CNN ‖ casing + gazetteer features (with the
  // BIES match count k/4) → BiLSTM → CRF, an ensemble of two, both engines from the same folder.
  const gazLists = [
    { name: 'team', entries: ['red sox', 'yankees', 'new york yankees', 'w1 w2'] },
    { name: 'place', entries: ['new york', 'fenway park', 'w3', 'w1'] },
    { name: 'person', entries: ['john', 'w1', 'w2 w3 w4'] },
    { name: 'other', entries: ['w1', 'yankees'] },
  ];
  const gaz = buildGazetteer(gazLists);
  async function writeCharGazRun(dir: string, seed: number, widths: number[], fusedChars: boolean): Promise<void> {
    const sentences = tweets(200, seed);
    const vocab = TokenVocabulary.build(sentences.map((t) => t.filter((w) => !w.startsWith('unseen'))));
    const charIndex = buildCharIndex(sentences.map((tokens) => ({ tokens, tags: tokens.map(() => 'O') })), 1);
    const featureDim = CASING_FEATURES.length + gazetteerWidth(gaz, 'BIES');
    const model: ModelConfig = {
      arch: 'char-gazetteer', vocabSize: vocab.size, embeddingDim: 8, charVocabSize: charIndex.chars.length, charDim: 5, charFilters: 6,
      charKernel: widths[0], ...(widths.length > 1 ? { charKernels: widths } : {}), maxChars: 7, featureDim, units: 6, layers: 1, dropout: 0.5,
      denseUnits: 0, numTags: labels.length, seed, fused: true, recurrentActivation: 'sigmoid', ...(fusedChars ? { charCnnFused: true } : {}),
    };
    const K = labels.length;
    const nets = [0, 1].map((k) => {
      const net = buildEmissionModel({ ...model, seed: seed + k });
      net.setWeights(net.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.5, 'float32', seed * 100 + k * 50 + i)));
      return net;
    });
    const crfs = [0, 1].map((k) => ({
      transitions: tf.variable(tf.randomUniform([K, K], -1, 1, 'float32', seed + 10 * k + 1)),
      start: tf.variable(tf.randomUniform([K], -1, 1, 'float32', seed + 10 * k + 2)),
      end: tf.variable(tf.randomUniform([K], -1, 1, 'float32', seed + 10 * k + 3)),
    }));
    const config: SavedConfig = {
      model, labels, constrained: true, useCasing: true, gazetteerLists: gaz.names, gazetteerScheme: 'BIES', ensemble: { seeds: [seed, seed + 1] },
    };
    await saveBundle(dir, { model: nets[0], crf: crfs[0], vocab, chars: charIndex, config, members: [{ model: nets[1], crf: crfs[1] }] });
    nets.forEach((n) => n.dispose());
    crfs.forEach((c) => tf.dispose([c.transitions, c.start, c.end]));
  }

  it.each([
    { name: 'fused char CNN width 3, wasm', widths: [3], fusedChars: true, kernels: 'wasm' as const, seed: 21 },
    { name: 'fused char CNN widths 2,3,4, typescript', widths: [2, 3, 4], fusedChars: true, kernels: 'typescript' as const, seed: 22 },
    { name: 'layer-composition char CNN, wasm', widths: [3], fusedChars: false, kernels: 'wasm' as const, seed: 23 },
  ])('serves the default architecture (ensemble of 2) exactly as tfjs: $name', async (c) => {
    const dir = join(root, `chargaz-${c.seed}`);
    await writeCharGazRun(dir, c.seed, c.widths, c.fusedChars);
    // Tweets that hit the gazetteer: several lists per token (count features 1/4 … 4/4), multi-token phrases, @mentions.
    const extra = [['new', 'york', 'yankees', 'at', 'fenway', 'park'], ['@john', 'w1', 'w2', 'w3', 'w4'], ['W1', 'Red', 'Sox', '#yankees']];
    const sentences = [...extra, ...tweets(150, c.seed + 7)];
    const reference = await loadTaggerTfjs(dir, { gazetteer: gaz });
    const serving = await loadTagger(dir, { gazetteer: gaz, kernels: c.kernels, precision: 'float32' });
    expect(serving.engine.description).toMatch(/2 members averaged; no tfjs/);
    const a = reference.engine.emissions(sentences);
    const b = serving.engine.emissions(sentences);
    let max = 0;
    a.forEach((e, i) => e.forEach((v, q) => (max = Math.max(max, Math.abs(v - b[i][q])))));
    expect(max).toBeLessThan(1e-4);
    const expected = reference.tagTokens(sentences).map((t) => t.tags);
    expect(serving.tagTokens(sentences).map((t) => t.tags)).toEqual(expected);
    expect(new Set(expected.flat()).size).toBeGreaterThanOrEqual(3); // not a degenerate all-O model
    await serving.dispose();
    reference.dispose();
  });

  it('serves with int16 LSTM products by default on the wasm kernels: emissions within 2e-3 of tfjs, float32 on request', async () => {
    const dir = join(root, 'chargaz-24');
    await writeCharGazRun(dir, 24, [3], true);
    const sentences = tweets(150, 31);
    const reference = await loadTaggerTfjs(dir, { gazetteer: gaz });
    const byDefault = await loadTagger(dir, { gazetteer: gaz, kernels: 'wasm' });
    const exact = await loadTagger(dir, { gazetteer: gaz, kernels: 'wasm', precision: 'float32' });
    expect(byDefault.engine.description).toMatch(/int16 LSTM products/);
    expect(exact.engine.description).not.toMatch(/int16/);
    const truth = reference.engine.emissions(sentences);
    const gap = (engine: typeof byDefault.engine): number => {
      let max = 0;
      engine.emissions(sentences).forEach((e, i) => e.forEach((v, q) => (max = Math.max(max, Math.abs(v - truth[i][q])))));
      return max;
    };
    const q = gap(byDefault.engine);
    expect(q).toBeLessThan(2e-3);
    expect(q).toBeGreaterThan(gap(exact.engine)); // the rounding shows
    await Promise.all([byDefault.dispose(), exact.dispose()]);
    reference.dispose();
  });

  it('names the run folder and the file when vocab.json or the weights do not fit the config', async () => {
    const good = join(root, 'for-damage');
    await writeRun(good, { fused: true, recurrentActivation: 'sigmoid', constrained: true, seed: 5 });
    const copy = (name: string, damage: (d: string) => void): string => {
      const d = join(root, name);
      cpSync(good, d, { recursive: true });
      damage(d);
      return d;
    };
    const noVocab = copy('vocab-object', (d) => writeFileSync(join(d, 'vocab.json'), '{}'));
    await expect(loadServingEngine(await openRunFolder(noVocab), {})).rejects.toThrow(new RegExp(`^${noVocab}: vocab.json: expected \\{ lowercase`));
    const wrongSize = copy('units-edited', (d) => {
      const c = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8'));
      writeFileSync(join(d, 'config.json'), JSON.stringify({ ...c, model: { ...c.model, embeddingDim: c.model.embeddingDim + 1 } }));
    });
    await expect(loadServingEngine(await openRunFolder(wrongSize), {})).rejects.toThrow(new RegExp(`^${wrongSize}: model/weights.bin: weight word_embedding/embeddings has shape \\[\\d+,12\\], config.json says \\[\\d+,13\\]`));
  });

  it('says why it needs the gazetteer of a model with gazetteer features', async () => {
    const dir = join(root, 'chargaz-nogaz');
    await writeCharGazRun(dir, 31, [3], true);
    await expect(loadServingEngine(await openRunFolder(dir), {})).rejects.toThrow(/uses gazetteer features: load it with its gazetteer/);
  });
});
