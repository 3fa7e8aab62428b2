import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { IGNORE_INDEX } from '@twner/bert-ner';
import { labelListOf, loadWnut16, locateWnut16 } from '../src/bert/data';
import { shuffledBatches, toTrainBatch } from '../src/bert/encode';
import { seededRandom } from '@twner/tagger';
import { entitySpans, formatEntitySpans, splitWords } from '../src/bert/entities';
import { parseTrainBertOptions } from '../src/bert/options';
import { scratchConfig } from '../src/bert/presets';
import { createRunDir, readBertRun } from '../src/bert/run-dir';
import { scoreTags } from '../src/bert/scores';
import { EXIT_USAGE } from '@twner/tagger';
import { cliFailure, WNUT16_DIR } from './bert-helpers';

describe('bert options', () => {
  it('fills the documented defaults', () => {
    const o = parseTrainBertOptions({});
    expect(o).toMatchObject({
      model: 'bert-base-uncased',
      fromScratch: false,
      aggregation: 'first',
      lr: 5e-5,
      epochs: 3,
      batchSize: 16,
      warmupRatio: 0.1,
      weightDecay: 0.01,
      patience: 2,
      maxLength: 128,
      limitTrain: 0,
      limitEval: 0,
    });
  });

  it('converts given values', () => {
    const o = parseTrainBertOptions({ aggregation: 'sum', lr: '1e-3', epochs: '2', labelAllTokens: true, fromScratch: true, config: 'tiny' });
    expect(o).toMatchObject({ aggregation: 'sum', lr: 1e-3, epochs: 2, labelAllTokens: true, fromScratch: true, config: 'tiny' });
  });

  it.each([
    [{ aggregation: 'mean' }, '--aggregation: expected one of first, average, max, sum, received "mean"'],
    [{ lr: 'fast' }, '--lr: expected a number, received "fast"'],
    [{ lr: '0' }, '--lr: expected a positive number, received "0"'],
    [{ epochs: '1.5' }, '--epochs: expected an integer ≥ 1, received "1.5"'],
    [{ batchSize: '0' }, '--batch-size: expected an integer ≥ 1, received "0"'],
    [{ warmupRatio: '1' }, '--warmup-ratio: expected a number in [0, 1), received "1"'],
    [{ limitTrain: '-1' }, '--limit-train: expected an integer ≥ 0, received "-1"'],
  ])('rejects %j as a usage error', async (raw, message) => {
    const error = await cliFailure(() => parseTrainBertOptions(raw));
    expect(error.message).toBe(message);
    expect(error.exitCode).toBe(EXIT_USAGE);
  });
});

describe('bert from-scratch presets', () => {
  it('builds the tiny config with the tokenizer vocabulary and the labels', () => {
    const c = scratchConfig('tiny', { vocabSize: 4000, padTokenId: 0 }, ['O', 'B-x', 'I-x']);
    expect(c).toMatchObject({ hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 64, vocabSize: 4000, padTokenId: 0 });
    expect(c.id2label).toEqual({ 0: 'O', 1: 'B-x', 2: 'I-x' });
  });

  it('names the presets when given an unknown one', async () => {
    const error = await cliFailure(() => scratchConfig('huge', { vocabSize: 10, padTokenId: 0 }, ['O']));
    expect(error.message).toBe('--config: expected one of tiny, mini, small, base or a config.json path, received "huge"');
  });
});

describe('bert entity spans from raw text', () => {
  const text = '  apple macbook pro is the best laptop in the  world';
  const words = splitWords(text);

  it('keeps character offsets of whitespace-separated words', () => {
    expect(words.slice(0, 2)).toEqual([
      { text: 'apple', start: 2, end: 7 },
      { text: 'macbook', start: 8, end: 15 },
    ]);
    for (const w of words) expect(text.slice(w.start, w.end)).toBe(w.text);
  });

  it('groups tags as seqeval does (I- after O starts an entity) with mean word scores', () => {
    const tags = ['B-company', 'B-product', 'I-product', 'O', 'O', 'O', 'O', 'O', 'O', 'I-geo-loc'];
    const scores = [0.9, 0.8, 0.6, 1, 1, 1, 1, 1, 1, 0.5];
    const spans = entitySpans(text, words, tags, scores);
    expect(spans.map(({ type, text: t, start, end, tokenStart, tokenEnd }) => ({ type, t, start, end, w: [tokenStart, tokenEnd] }))).toEqual([
      { type: 'company', t: 'apple', start: 2, end: 7, w: [0, 1] },
      { type: 'product', t: 'macbook pro', start: 8, end: 19, w: [1, 3] },
      { type: 'geo-loc', t: 'world', start: 47, end: 52, w: [9, 10] },
    ]);
    expect(spans[1].score).toBeCloseTo(0.7, 12);
    expect(formatEntitySpans(spans).split('\n')[1]).toBe('  product  [8, 19)  "macbook pro"  0.700');
    expect(formatEntitySpans([])).toBe('  (no entities)');
  });
});

describe('bert training batches', () => {
  it('shuffles reproducibly and covers every example once', () => {
    const a = shuffledBatches(10, 4, seededRandom(1));
    expect(a).toEqual(shuffledBatches(10, 4, seededRandom(1)));
    expect(a.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(a.flat().sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('pads ids with the pad id, the mask with 0 and the labels with -100', () => {
    const batch = toTrainBatch(
      [
        { inputIds: [2, 10, 3], labels: [IGNORE_INDEX, 1, IGNORE_INDEX], truncated: false },
        { inputIds: [2, 10, 11, 12, 3], labels: [IGNORE_INDEX, 0, 5, IGNORE_INDEX, IGNORE_INDEX], truncated: false },
      ],
      0,
    );
    expect(batch.inputIds.arraySync()).toEqual([[2, 10, 3, 0, 0], [2, 10, 11, 12, 3]]);
    expect(batch.attentionMask.arraySync()).toEqual([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]);
    expect(batch.labels.arraySync()).toEqual([[-100, 1, -100, -100, -100], [-100, 0, 5, -100, -100]]);
    tf.dispose([batch.inputIds, batch.attentionMask, batch.tokenTypeIds, batch.labels]);
  });
});

describe('bert data and scores', () => {
  it('finds WNUT16, limits the splits, and takes the 21 labels (O, B-/I- by sorted type) from the full training split', async () => {
    const data = await loadWnut16(WNUT16_DIR, { limitTrain: 30, limitEval: 5 });
    expect([data.train.length, data.dev.length, data.test.length]).toEqual([30, 5, 5]);
    expect(labelListOf(data.train).length).toBeLessThan(21);
    const labels = data.labels;
    expect(labels).toHaveLength(21);
    expect(labels.slice(0, 3)).toEqual(['O', 'B-company', 'I-company']);
  });

  it('says where to point --data-dir when the folder lacks the splits', async () => {
    const error = await cliFailure(() => locateWnut16(os.tmpdir()));
    expect(error.exitCode).toBe(EXIT_USAGE);
    expect(error.message).toContain('--data-dir');
  });

  it('scores entities, not tokens (a half-found entity is a miss)', () => {
    const s = scoreTags([['B-person', 'I-person', 'O', 'B-geo-loc']], [['B-person', 'O', 'O', 'B-geo-loc']]);
    expect(s.overall).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(s.perType.person.f1).toBe(0);
    expect(s.conlleval.split('\n')[0]).toBe('processed 4 tokens with 2 phrases; found: 2 phrases; correct: 1.');
  });
});

describe('bert run folders', () => {
  it('names folders by time and refuses a folder without a BERT run.json', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'twner-bert-runs-'));
    const now = new Date('2024-05-06T07:08:09Z');
    const a = await createRunDir(root, 'bert', now);
    const b = await createRunDir(root, 'bert', now);
    expect(path.basename(a)).toBe('2024-05-06T07-08-09-bert');
    expect(path.basename(b)).toBe('2024-05-06T07-08-09-bert-2');
    const error = await cliFailure(() => readBertRun(a));
    expect(error.exitCode).toBe(EXIT_USAGE);
    expect(error.message).toContain('run.json is missing');
    fs.rmSync(root, { recursive: true, force: true });
  });
});
