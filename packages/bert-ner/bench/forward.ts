// Forward throughput (tokens/s) of BertForTokenClassification on the fastest available tfjs
// backend: bert-base-uncased's config with random weights at batch 32 × 48 tokens, and the
// Hugging Face tiny fixture model on its 16 tweets. Also the peak resident memory.
// Env: BENCH_BACKEND (auto|tensorflow|wasm|cpu, default auto), BENCH_RUNS (default 3), TWNER_SHARED_DIR.
// TWNER_BENCH_SMOKE=1 (CI): one run each, and bert-base's config cut to 1 layer at batch 2 × 8 tokens.
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@twner/backend';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BertForTokenClassification, createBertConfig } from '../src';

const SMOKE = process.env.TWNER_BENCH_SMOKE === '1';
const RUNS = Number(process.env.BENCH_RUNS ?? (SMOKE ? 1 : 3));
const SHARED = process.env.TWNER_SHARED_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared');
const TINY = path.join(SHARED, 'fixtures/hf-tiny-bert');

let peakRss = process.memoryUsage().rss;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const timer = setInterval(sampleRss, 20);

async function throughput(label: string, model: BertForTokenClassification, inputIds: tf.Tensor2D, attentionMask: tf.Tensor2D): Promise<void> {
  const tokens = inputIds.shape[0] * inputIds.shape[1];
  const once = async () => {
    const start = performance.now();
    const { logits } = model.predict({ inputIds, attentionMask });
    await logits.data();
    sampleRss();
    logits.dispose();
    return performance.now() - start;
  };
  await once(); // warm-up: kernel setup and first allocations
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await once());
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(
    `${label}: batch ${inputIds.shape[0]} × ${inputIds.shape[1]} = ${tokens} tokens, median ${median.toFixed(0)} ms over ${RUNS} runs ` +
      `→ ${Math.round((tokens / median) * 1000).toLocaleString('en-US')} tokens/s`,
  );
}

async function main(): Promise<void> {
  const { name } = await useBackend(process.env.BENCH_BACKEND ?? 'auto');
  console.log(`backend: ${name}`);

  const fx = JSON.parse(readFileSync(path.join(TINY, 'forward.json'), 'utf8')) as { input_ids: number[][]; attention_mask: number[][] };
  const tiny = await BertForTokenClassification.fromPretrained(path.join(TINY, 'model'));
  const tinyIds = tf.tensor2d(fx.input_ids, undefined, 'int32');
  const tinyMask = tf.tensor2d(fx.attention_mask, undefined, 'int32');
  await throughput('tiny fixture model (2 layers, hidden 32)', tiny, tinyIds, tinyMask);
  tf.dispose([tinyIds, tinyMask]);
  tiny.dispose();

  const labels = ['O', ...['company', 'facility', 'geo-loc', 'movie', 'musicartist', 'other', 'person', 'product', 'sportsteam', 'tvshow'].flatMap((t) => [`B-${t}`, `I-${t}`])];
  const base = BertForTokenClassification.create(createBertConfig(SMOKE ? { labels, numHiddenLayers: 1 } : { labels }), { seed: 0 });
  console.log(`bert-base-uncased config${SMOKE ? ' (smoke: 1 layer)' : ''}, random weights: ${(base.numParameters / 1e6).toFixed(1)} M parameters`);
  const [batch, length] = SMOKE ? [2, 8] : [32, 48];
  const ids = tf.tidy(() => tf.concat([tf.fill([batch, 1], 101, 'int32'), tf.randomUniform([batch, length - 2], 1000, 30000, 'int32', 0), tf.fill([batch, 1], 102, 'int32')], 1)) as tf.Tensor2D;
  const mask = tf.ones([batch, length], 'int32') as tf.Tensor2D;
  await throughput(SMOKE ? 'bert-base (smoke: 1 layer, hidden 768)' : 'bert-base (12 layers, hidden 768)', base, ids, mask);
  tf.dispose([ids, mask]);
  base.dispose();

  clearInterval(timer);
  sampleRss();
  console.log(`peak RSS: ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
