/**
 * The notebook's first experiment over the public APIs: a BiLSTM-CRF trained on WNUT 2016
 * (epochs chosen on dev), scored once on test, saved, reloaded without tfjs and used on a tweet.
 *
 *   pnpm --filter @twner/examples run bilstm-crf            # the default model (about 10 minutes)
 *   TWNER_EXAMPLE_SMOKE=1 pnpm --filter @twner/examples run bilstm-crf   # seconds, for tests
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classificationReport, f1Score } from '@twner/metrics-seqeval';
import { loadSplits, loadTagger } from '@twner/tagger';
import { trainTagger } from '@twner/tagger/train';

const smoke = process.env.TWNER_EXAMPLE_SMOKE === '1';
const splits = await loadSplits(
  { dataDir: process.env.TWNER_DATA_DIR, ...(smoke ? { limitTrain: 64, limitDev: 32, limitTest: 40 } : {}) },
  console.log,
);

// Train on train, choose the epoch count on dev, refit on train + dev (two models, averaged).
const tagger = await trainTagger(splits, { seed: 42, ...(smoke ? { epochs: 1, ensemble: 1 } : {}) }, { log: console.log });

// Test, once.
const gold = splits.test.map((s) => s.tags);
const predicted = tagger.tag(splits.test.map((s) => s.tokens));
console.log(classificationReport(gold, predicted, { digits: 4, zeroDivision: 0 }));
console.log(`test entity micro-F1: ${f1Score(gold, predicted).toFixed(4)}`);

// Save, reload on the tfjs-free serving engine, tag raw text.
const dir = join(await mkdtemp(join(tmpdir(), 'twner-example-')), 'run');
await tagger.save(dir);
tagger.dispose();
const served = await loadTagger(dir);
for (const e of served.tag('Watching the Yankees beat the Red Sox at Fenway Park tonight with @john').entities) {
  console.log(`${e.type}\t${e.text}\t${e.score.toFixed(3)}`);
}
await served.dispose();
