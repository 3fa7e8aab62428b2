import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@twner/backend';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BertForTokenClassification, evaluateWords, fineTune, InvalidOptionError, type TrainingExample, TrainingError } from '../src';
import { forwardFixture, TINY_MODEL_DIR, trainStepFixture } from './fixture';

/** The fixture's 16 tweets as training examples (first-sub-token labels, HF word ids). */
function fixtureExamples(): TrainingExample[] {
  const fx = forwardFixture();
  const { labels } = trainStepFixture();
  return fx.input_ids.map((ids, i) => {
    const n = fx.attention_mask[i].reduce((a, b) => a + b, 0);
    return { inputIds: ids.slice(0, n), labels: labels[i].slice(0, n), wordIds: fx.word_ids[i].slice(0, n) };
  });
}

const checksum = (model: BertForTokenClassification) =>
  tf.tidy(() => tf.addN([...model.namedWeights().values()].map((v) => tf.sum(tf.abs(v)))).dataSync()[0]);

describe('evaluateWords', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('tags each word by its first sub-token, as the arg-max of the Hugging Face logits does', async () => {
    const fx = forwardFixture();
    const model = await BertForTokenClassification.fromPretrained(TINY_MODEL_DIR);
    const result = evaluateWords(model, fixtureExamples(), 5);
    const expected = fx.logits.map((sentence, b) => {
      const firsts = fx.word_ids[b].map((w, i) => (w !== null && fx.word_ids[b].indexOf(w) === i ? i : -1)).filter((i) => i >= 0);
      return firsts.map((i) => model.config.id2label[sentence[i].indexOf(Math.max(...sentence[i]))]);
    });
    expect(result.yPred).toEqual(expected);
    expect(result.yTrue).toEqual(fx.tags);
    expect(result.f1).toBeGreaterThanOrEqual(0);
    expect(result.f1).toBeLessThanOrEqual(1);
    model.dispose();
  });
});

describe('fineTune', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('lowers the training loss, reports progress per step and keeps a history per epoch, leaking nothing', async () => {
    const model = await BertForTokenClassification.fromPretrained(TINY_MODEL_DIR);
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const train = fixtureExamples();
    const result = await fineTune(model, {
      train,
      dev: train,
      epochs: 4,
      batchSize: 8,
      learningRate: 3e-3,
      warmupSteps: 1,
      onProgress: (p) => progress.push(p.globalStep),
    });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(result.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    expect(result.history[3].trainLoss).toBeLessThan(result.history[0].trainLoss);
    expect(result.history.every((h) => typeof h.devF1 === 'number')).toBe(true);
    expect(result.history[3].learningRate).toBe(0);
    expect(result.globalSteps).toBe(8);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('gives the same weights for the same seed (dropout masks included) and other weights for another seed', async () => {
    const train = fixtureExamples();
    const trained = async (seed: number): Promise<Float32Array> => {
      const model = await BertForTokenClassification.fromPretrained(TINY_MODEL_DIR);
      // shuffling off: only the dropout masks depend on the seed
      await fineTune(model, { train, epochs: 1, batchSize: 8, learningRate: 3e-3, shuffle: false, seed });
      const values = tf.tidy(() => tf.concat([...model.namedWeights().values()].map((v) => tf.reshape(v, [-1]))).dataSync() as Float32Array);
      model.dispose();
      return values;
    };
    const [a, b, c] = [await trained(7), await trained(7), await trained(8)];
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
  });

  it('stops early when the dev F1 stops improving and restores the best epoch', async () => {
    const model = await BertForTokenClassification.fromPretrained(TINY_MODEL_DIR);
    const scores = [0.1, 0.5, 0.4, 0.3, 0.9];
    const sums: number[] = [];
    const result = await fineTune(model, {
      train: fixtureExamples(),
      epochs: 5,
      batchSize: 16,
      learningRate: 1e-3,
      patience: 2,
      evaluate: (m, epoch) => {
        sums.push(checksum(m));
        return scores[epoch - 1];
      },
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.history.map((h) => [h.epoch, h.devF1, h.best])).toEqual([
      [1, 0.1, true],
      [2, 0.5, true],
      [3, 0.4, false],
      [4, 0.3, false],
    ]);
    expect(result.bestEpoch).toBe(2);
    expect(checksum(model)).toBe(sums[1]);
    expect(sums[3]).not.toBe(sums[1]);
    model.dispose();
  });

  it('keeps the best weights in a temporary file removed at the end, restoring the same bits as a copy in memory', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'fine-tune-test-'));
    const scores = [0.5, 0.2, 0.1];
    const seen: string[][] = [];
    const weightsNow = (model: BertForTokenClassification): Float32Array =>
      tf.tidy(() => tf.concat([...model.namedWeights().values()].map((v) => tf.reshape(v, [-1]))).dataSync() as Float32Array);
    const [atEpoch1, atEpoch3]: Float32Array[][] = [[], []];
    const run = async (bestWeights: 'memory' | 'disk'): Promise<Float32Array> => {
      const model = await BertForTokenClassification.fromPretrained(TINY_MODEL_DIR);
      const before = tf.memory().numTensors;
      const evaluate = (m: BertForTokenClassification, epoch: number): number => {
        seen.push(readdirSync(parent)); // before this epoch's snapshot: the one kept so far
        if (epoch === 1) atEpoch1.push(weightsNow(m));
        if (epoch === 3) atEpoch3.push(weightsNow(m));
        return scores[epoch - 1];
      };
      await fineTune(model, { train: fixtureExamples(), epochs: 3, batchSize: 16, learningRate: 1e-3, evaluate, bestWeights, bestWeightsDir: parent });
      expect(tf.memory().numTensors).toBe(before);
      const values = weightsNow(model);
      model.dispose();
      return values;
    };
    const onDisk = await run('disk');
    expect(seen.map((entries) => entries.length)).toEqual([0, 1, 1]);
    expect(seen[1][0]).toMatch(/^twner-best-weights-/);
    expect(readdirSync(parent)).toEqual([]); // removed at the end
    const inMemory = await run('memory');
    expect(readdirSync(parent)).toEqual([]);
    expect(Buffer.from(onDisk.buffer).equals(Buffer.from(inMemory.buffer))).toBe(true);
    expect(Buffer.from(onDisk.buffer).equals(Buffer.from(atEpoch1[0].buffer))).toBe(true); // the best epoch's, bit for bit
    expect(Buffer.from(onDisk.buffer).equals(Buffer.from(atEpoch3[0].buffer))).toBe(false);
    rmSync(parent, { recursive: true });
  });

  it('refuses a bestWeights store it does not know, and names the directory it cannot write', async () => {
    const model = await BertForTokenClassification.fromPretrained(TINY_MODEL_DIR);
    const train = fixtureExamples();
    await expect(fineTune(model, { train, epochs: 1, bestWeights: 'gpu' as never })).rejects.toThrow(InvalidOptionError);
    const missing = path.join(tmpdir(), 'no-such-dir-for-twner', 'deeper');
    await expect(fineTune(model, { train, epochs: 1, batchSize: 16, evaluate: () => 1, bestWeightsDir: missing })).rejects.toThrow(
      new TrainingError(`fineTune: cannot create a directory for the best weights under ${missing}: ENOENT: no such file or directory, mkdtemp '${path.join(missing, 'twner-best-weights-')}XXXXXX'`),
    );
    model.dispose();
  });

  it('rejects label ids outside the label set, naming the example', async () => {
    const model = await BertForTokenClassification.fromPretrained(TINY_MODEL_DIR);
    const train = [{ inputIds: [2, 10, 3], labels: [-100, 21, -100] }];
    await expect(fineTune(model, { train })).rejects.toThrow(new TrainingError('example 0: label id 21 is neither -100 nor in [0, 21)'));
    await expect(fineTune(model, { train: [] })).rejects.toThrow('fineTune: the training set is empty');
    model.dispose();
  });
});
