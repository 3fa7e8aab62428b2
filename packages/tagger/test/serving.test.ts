import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenVocabulary } from '@twner/conll';
import { buildEmissionModel, type ModelConfig } from '../src/models/bilstm-crf';
import { seededRandom } from '../src/random';
import { wnut16Labels } from '../src/models/labels';
import { saveBundle, type SavedConfig } from '../src/run-folder/bundle';
import { servingSupport } from '../src/serving/serving-engine';
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
    const serving = await loadTagger(dir, { threads: c.threads });
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

  it('says which architectures it can serve', () => {
    const base: ModelConfig = {
      arch: 'char-gazetteer', vocabSize: 10, embeddingDim: 4, charVocabSize: 30, charDim: 4, charFilters: 5, charKernel: 3,
      maxChars: 10, featureDim: 119, units: 4, layers: 1, dropout: 0.5, denseUnits: 0, numTags: 21, seed: 1, fused: true,
    };
    const cfg = (model: ModelConfig): SavedConfig => ({ model, labels, constrained: true, useCasing: true, gazetteerLists: [] });
    expect(servingSupport(cfg({ ...base, arch: 'notebook' })).ok).toBe(true);
    expect(servingSupport(cfg(base))).toEqual({ ok: false, reason: expect.stringContaining('char CNN') });
    expect(servingSupport(cfg({ ...base, charVocabSize: 0 }))).toEqual({ ok: false, reason: expect.stringContaining('features') });
    expect(servingSupport(cfg({ ...base, charVocabSize: 0, featureDim: 0 })).ok).toBe(true);
  });
});
