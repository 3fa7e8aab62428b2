/**
 * The notebook's second experiment over the public APIs: a BERT token classifier fine-tuned on
 * WNUT 2016 with first-sub-token labels, scored on test words.
 *
 *   pnpm --filter @twner/examples run bert -- <model dir or Hub id>   # default: bert-base-uncased (needs the Hub)
 *   TWNER_EXAMPLE_SMOKE=1 pnpm --filter @twner/examples run bert -- ../shared/fixtures/hf-tiny-bert/model
 */
import { useBackend } from '@twner/backend';
import { alignLabels, BertForTokenClassification, BertTokenizer, evaluateWords, fineTune, type TrainingExample } from '@twner/bert-ner';
import { classificationReport } from '@twner/metrics-seqeval';
import { labelsFromData, loadSplits, type Sentence } from '@twner/tagger';

const smoke = process.env.TWNER_EXAMPLE_SMOKE === '1';
const modelId = process.argv[2] ?? 'bert-base-uncased';
await useBackend('auto');
const full = await loadSplits({ dataDir: process.env.TWNER_DATA_DIR }, console.log);
// Labels from the whole training split (O, then B-/I- of each type seen there: 21 for WNUT 2016).
const labels = labelsFromData(full.train.map((s) => s.tags));
const splits = smoke ? { train: full.train.slice(0, 32), dev: full.dev.slice(0, 16), test: full.test.slice(0, 16) } : full;
const label2id = Object.fromEntries(labels.map((l, i) => [l, i]));
const tokenizer = await BertTokenizer.fromPretrained(modelId);
const model = await BertForTokenClassification.fromPretrained(modelId, { labels });

async function encode(sentences: readonly Sentence[]): Promise<TrainingExample[]> {
  const batch = await tokenizer.encodeWords(sentences.map((s) => s.tokens), { maxLength: 128, truncation: 'tokens', padding: false });
  const aligned = alignLabels(sentences.map((s) => s.tags), batch.wordIds, { label2id, labelAllTokens: false });
  return batch.inputIds.map((inputIds, i) => ({ inputIds, labels: aligned[i], wordIds: batch.wordIds[i] }));
}

const result = await fineTune(model, {
  train: await encode(splits.train),
  dev: await encode(splits.dev),
  epochs: smoke ? 1 : 3,
  batchSize: 16,
  learningRate: smoke ? 1e-2 : 5e-5,
  patience: 2,
});
console.log(`best dev epoch: ${result.bestEpoch}`);
const test = evaluateWords(model, await encode(splits.test));
console.log(classificationReport(test.yTrue, test.yPred, { digits: 4, zeroDivision: 0 }));
console.log(`test entity micro-F1 (words): ${test.f1.toFixed(4)}`);
model.dispose();
