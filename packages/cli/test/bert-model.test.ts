import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@twner/backend';
import { loadWnut16 } from '../src/bert/data';
import { encodeExamples } from '../src/bert/encode';
import { type EpochRecord, fineTune } from '../src/bert/fine-tune';
import { loadBertForTraining } from '../src/bert/load-model';
import { BertTagger } from '../src/bert/tagger';
import { EXIT_USAGE } from '@twner/tagger';
import { cliFailure, TINY_MODEL_DIR, WNUT16_DIR } from './bert-helpers';

const LABELS = [
  'O',
  ...['company', 'facility', 'geo-loc', 'movie', 'musicartist', 'other', 'person', 'product', 'sportsteam', 'tvshow'].flatMap((t) => [`B-${t}`, `I-${t}`]),
];

beforeAll(async () => {
  // wasm: about 5x faster than the plain JS backend for these small matrices.
  await useBackend('wasm');
});

describe('bert model loading', () => {
  it('keeps the fixture head when its labels are the data labels', async () => {
    const loaded = await loadBertForTraining({ model: TINY_MODEL_DIR, fromScratch: false, config: 'tiny', labels: LABELS, seed: 1 });
    expect(loaded.fromCheckpoint).toBe(true);
    expect(loaded.model.loadReport.newlyInitialized).toEqual([]);
    expect(loaded.tokenizer.padToken).toEqual({ token: '[PAD]', id: 0 });
    loaded.model.dispose();
  });

  it('starts a new head for other labels', async () => {
    const loaded = await loadBertForTraining({ model: TINY_MODEL_DIR, fromScratch: false, config: 'tiny', labels: ['O', 'B-x', 'I-x'], seed: 1 });
    expect(loaded.model.numLabels).toBe(3);
    expect(loaded.model.loadReport.newlyInitialized).toEqual(['classifier.weight', 'classifier.bias']);
    loaded.model.dispose();
  });

  it('says plainly that a from-scratch model is not pretrained', async () => {
    const loaded = await loadBertForTraining({ model: TINY_MODEL_DIR, fromScratch: true, config: 'tiny', labels: LABELS, seed: 1 });
    expect(loaded.fromCheckpoint).toBe(false);
    expect(loaded.notes[0]).toMatch(/^NOT PRETRAINED: --from-scratch --config tiny initialises all [\d,]+ parameters at random/);
    expect(loaded.model.config.vocabSize).toBe(4000);
    loaded.model.dispose();
  });

  it('asks for --model <dir> when a Hub id cannot be downloaded', async () => {
    const saved = { offline: process.env.HF_HUB_OFFLINE, cache: process.env.HF_HUB_CACHE };
    process.env.HF_HUB_OFFLINE = '1';
    process.env.HF_HUB_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'twner-hf-cache-'));
    try {
      const error = await cliFailure(() => loadBertForTraining({ model: 'bert-base-uncased', fromScratch: false, config: 'tiny', labels: LABELS, seed: 1 }));
      expect(error.exitCode).toBe(EXIT_USAGE);
      expect(error.message).toContain("Cannot get 'bert-base-uncased' from the Hugging Face Hub");
      expect(error.message).toContain('--model <dir>');
    } finally {
      fs.rmSync(process.env.HF_HUB_CACHE, { recursive: true, force: true });
      if (saved.offline === undefined) delete process.env.HF_HUB_OFFLINE;
      else process.env.HF_HUB_OFFLINE = saved.offline;
      if (saved.cache === undefined) delete process.env.HF_HUB_CACHE;
      else process.env.HF_HUB_CACHE = saved.cache;
    }
  });
});

describe('bert tagger and fine-tuning loop', () => {
  it('tags every word, with O for words cut off by maxLength', async () => {
    const { model, tokenizer } = await loadBertForTraining({ model: TINY_MODEL_DIR, fromScratch: false, config: 'tiny', labels: LABELS, seed: 1 });
    const data = await loadWnut16(WNUT16_DIR, { limitEval: 12 });
    const words = data.test.map((t) => t.words);
    for (const aggregation of ['first', 'average', 'max', 'sum'] as const) {
      const out = await new BertTagger(model, tokenizer, { aggregation, maxLength: 128, batchSize: 5 }).tagWords(words);
      expect(out.tags.map((t) => t.length)).toEqual(words.map((w) => w.length));
      expect(out.tags.flat().every((t) => LABELS.includes(t))).toBe(true);
    }
    const short = await new BertTagger(model, tokenizer, { aggregation: 'first', maxLength: 6 }).tagWords(words);
    expect(short.truncated).toBeGreaterThan(0);
    const long = words.findIndex((w) => w.length > 8);
    expect(short.tags[long].slice(6)).toEqual(words[long].slice(6).map(() => 'O'));
    expect(short.scores[long][words[long].length - 1]).toBe(0);
    model.dispose();
  });

  it('stops after `patience` epochs without a better dev F1 and restores the best epoch', async () => {
    const { model, tokenizer } = await loadBertForTraining({ model: TINY_MODEL_DIR, fromScratch: false, config: 'tiny', labels: LABELS, seed: 1 });
    const data = await loadWnut16(WNUT16_DIR, { limitTrain: 24 });
    const examples = await encodeExamples(tokenizer, data.train, { label2id: model.config.label2id, labelAllTokens: false, maxLength: 40 });
    const devF1 = [0.3, 0.5, 0.4, 0.45, 0.9];
    let calls = 0;
    const probe = 'classifier.weight';
    let atBest: number[] = [];
    const before = tf.memory().numTensors;
    const result = await fineTune(
      model,
      examples,
      tokenizer.padToken.id,
      async () => ({ f1: devF1[calls++], precision: 0, recall: 0 }),
      { epochs: 5, batchSize: 12, lr: 1e-3, warmupRatio: 0.1, weightDecay: 0.01, patience: 2, maxGradNorm: 1, seed: 3 },
      {
        onEpochEnd: (r: EpochRecord) => {
          if (r.epoch === 2) atBest = Array.from(model.namedWeights().get(probe)!.dataSync());
        },
      },
    );
    expect(result.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    expect(result.history.map((h) => h.improved)).toEqual([true, true, false, false]);
    expect(result.stoppedEarly).toBe(true);
    expect(result.bestEpoch).toBe(2);
    expect(result.steps).toBe(4 * 2);
    expect(result.history.every((h) => Number.isFinite(h.trainLoss))).toBe(true);
    expect(Array.from(model.namedWeights().get(probe)!.dataSync())).toEqual(atBest);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('trains the same weights for the same seed, dropout included, and other weights for another seed', async () => {
    const data = await loadWnut16(WNUT16_DIR, { limitTrain: 16 });
    const trained = async (seed: number): Promise<Buffer> => {
      const { model, tokenizer } = await loadBertForTraining({ model: TINY_MODEL_DIR, fromScratch: false, config: 'tiny', labels: LABELS, seed: 1 });
      const examples = await encodeExamples(tokenizer, data.train, { label2id: model.config.label2id, labelAllTokens: false, maxLength: 40 });
      await fineTune(model, examples, tokenizer.padToken.id, async () => ({ f1: 0, precision: 0, recall: 0 }), {
        epochs: 1, batchSize: 8, lr: 1e-3, warmupRatio: 0, weightDecay: 0.01, patience: 0, maxGradNorm: 1, seed,
      });
      const values = tf.tidy(() => tf.concat([...model.namedWeights().values()].map((v) => tf.reshape(v, [-1]))).dataSync() as Float32Array);
      model.dispose();
      return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    };
    const [a, b, c] = [await trained(5), await trained(5), await trained(6)];
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });
});
