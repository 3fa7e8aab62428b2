import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { classificationReport } from '@twner/metrics-seqeval';
import { loadTagger, readConllFile, resolveModel } from '@twner/tagger';
import { loadTaggerTfjs, selectBackend } from '@twner/tagger/train';

// The shipped model, re-scored on the test split without tfjs: the card's figures are what it gets.
const here = resolve(__dirname, '..');
const card = JSON.parse(readFileSync(join(here, 'model', 'card.json'), 'utf8'));
const wnut = process.env.TWNER_DATA_DIR ?? resolve(here, '../../../shared/data/wnut16');

function du(dir: string): number {
  return readdirSync(dir).reduce((n, f) => {
    const p = join(dir, f);
    return n + (statSync(p).isDirectory() ? du(p) : statSync(p).size);
  }, 0);
}

describe('@twner/model-wnut16', () => {
  it('is found by package name, as Tagger.load() finds it', () => {
    const source = resolveModel('@twner/model-wnut16');
    expect(source.dir).toBe(join(here, 'model'));
    expect(source.package?.name).toBe('@twner/model-wnut16');
  });

  it('re-scores to the F1 on its card (serving engine, all members)', async () => {
    const tagger = await loadTagger(join(here, 'model'));
    expect(tagger.engine.description).toMatch(/no tfjs/);
    const test = await readConllFile(join(wnut, 'test.conll'));
    expect(test).toHaveLength(3850);
    const pred = tagger.tagTokens(test.map((s) => s.tokens)).map((t) => t.tags);
    await tagger.dispose();
    const report = classificationReport(test.map((s) => s.tags), pred, { outputDict: true, zeroDivision: 0 });
    expect(report['micro avg']['f1-score']).toBeCloseTo(card.test.microF1, 4);
    for (const [type, v] of Object.entries(card.test.perType as Record<string, { f1: number }>)) {
      expect([type, report[type]['f1-score']]).toEqual([type, expect.closeTo(v.f1, 4)]);
    }
  });

  it('serving engine (int16 LSTM products, the default, and float32) and tfjs path give identical tags to all 3,850 test tweets (both members)', async () => {
    const test = await readConllFile(join(wnut, 'test.conll'));
    const sentences = test.map((s) => s.tokens);
    const serving = await loadTagger(join(here, 'model'), { threads: 2 });
    expect(serving.engine.description).toMatch(/int16 LSTM products/);
    const fast = serving.tagTokens(sentences).map((t) => t.tags);
    await serving.dispose();
    const float32 = await loadTagger(join(here, 'model'), { precision: 'float32' });
    const exact = float32.tagTokens(sentences).map((t) => t.tags);
    await float32.dispose();
    await selectBackend('wasm');
    const tfjs = await loadTaggerTfjs(join(here, 'model'));
    expect(tfjs.engine.description).toMatch(/tfjs.*2 members averaged/);
    const slow: string[][] = [];
    for (let i = 0; i < sentences.length; i += 256) slow.push(...tfjs.tagTokens(sentences.slice(i, i + 256)).map((t) => t.tags));
    await tfjs.dispose();
    const differing = (tagged: string[][]): number[] => tagged.map((tags, i) => (tags.join(' ') === slow[i].join(' ') ? -1 : i)).filter((i) => i >= 0);
    expect(differing(fast)).toEqual([]);
    expect(differing(exact)).toEqual([]);
    expect(fast.flat().filter((t) => t !== 'O').length).toBeGreaterThan(3000);
  }, 300_000);

  it('card: data sha256 of the files it was trained and tested on, and the size limit', () => {
    for (const f of ['train', 'dev', 'test'] as const) {
      expect([f, createHash('sha256').update(readFileSync(join(wnut, `${f}.conll`))).digest('hex')]).toEqual([f, card.data[f]]);
    }
    expect(du(join(here, 'model'))).toBeLessThan(50 * 1024 * 1024);
  });

  it('card: the training settings are those the model was trained with (its config.json), in card.json and MODEL_CARD.md', () => {
    const config = JSON.parse(readFileSync(join(here, 'model', 'config.json'), 'utf8'));
    const t = config.training;
    expect(card.training).toEqual({
      optimizer: t.optimizer,
      lr: t.lr,
      batchSize: t.batchSize,
      epochLimit: t.epochs,
      patience: t.patience,
      refitEpochs: t.refitEpochs,
      dropout: config.model.dropout,
      wordDropout: t.wordDropout,
      ema: t.ema,
    });
    expect(card.dev.bestEpoch).toBe(t.refitEpochs);
    const md = readFileSync(join(here, 'MODEL_CARD.md'), 'utf8');
    expect(md).toContain(`| training | Adam, lr ${t.lr}, batches of ${t.batchSize}, at most ${t.epochs} epochs (patience ${t.patience} on dev F1); refit for ${t.refitEpochs} epochs`);
    expect(md).toContain(`| **test entity micro-F1** (seqeval default) | **${card.test.microF1.toFixed(4)}** |`);
  });
});
