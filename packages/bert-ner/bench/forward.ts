// BertForTokenClassification on the fastest available tfjs backend, in one run:
//  1. a plain matmul of the same backend at BERT's shapes ([N, H] × [H, H] and [N, H] × [H, I],
//     N = B·T): the GFLOP/s it reaches is the practical limit of this machine and backend;
//  2. for the Hugging Face tiny fixture and for bert-base-uncased's config (random weights):
//     forward tokens/s (batch 32 × 48) and training-step tokens/s (forward, backward, gradient
//     clipping and AdamW at batch 16 × 48), each with its GFLOP/s and fraction of that limit;
//  3. on the wasm and cpu backends, each of those again with the attention core and GELU op by op
//     in tfjs instead of on @twner/kernels' SIMD kernels: the baseline, run in the same process;
//  4. the peak resident memory after each part;
//  5. first of all, the machine's WebAssembly SIMD peak (bench/peak-flops.ts: f32x4 arithmetic in
//     registers, 1 thread and every core), the ceiling above the matmul limit, and what the issue's
//     targets (forward 400 tokens/s, training step 130 tokens/s) need of it.
// Env: BENCH_BACKEND (auto|tensorflow|wasm|cpu, default auto), BENCH_RUNS (default 3), TWNER_SHARED_DIR,
// TWNER_WASM_THREADS (XNNPACK threads of the wasm backend, default 1; see @twner/backend).
// TWNER_BENCH_SMOKE=1 (CI): one run each, bert-base's config cut to 1 layer, batches of 2 × 8 tokens.
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@twner/backend';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AdamW, BertForTokenClassification, type BertConfig, clipGradsByGlobalNorm, createBertConfig, noDecayForBiasAndLayerNorm, setTransformerKernels, simdKernelsActive } from '../src';
import { forwardFlopsPerToken, trainingStepFlopsPerToken } from './flops';
import { measurePeakGflops, peakAvailable, type PeakKind } from './peak-flops';

const SMOKE = process.env.TWNER_BENCH_SMOKE === '1';
const RUNS = Number(process.env.BENCH_RUNS ?? (SMOKE ? 1 : 3));
const SHARED = process.env.TWNER_SHARED_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared');
const TINY = path.join(SHARED, 'fixtures/hf-tiny-bert');
const LABELS = ['O', ...['company', 'facility', 'geo-loc', 'movie', 'musicartist', 'other', 'person', 'product', 'sportsteam', 'tvshow'].flatMap((t) => [`B-${t}`, `I-${t}`])];

let peakRss = process.memoryUsage().rss;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const timer = setInterval(sampleRss, 20);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

/** The middle value of `xs` (the upper one of the two middle values for an even count). */
function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median wall-clock milliseconds of `RUNS` calls after one warm-up call. */
async function medianMs(once: () => Promise<void>): Promise<number> {
  await once(); // warm-up: kernel setup and first allocations
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await once();
    sampleRss();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** GFLOP/s of tf.matMul on [n, k] × [k, m]. */
async function matmulGflops(n: number, k: number, m: number): Promise<number> {
  const a = tf.randomNormal([n, k], 0, 1, 'float32', 1);
  const b = tf.randomNormal([k, m], 0, 1, 'float32', 2);
  const ms = await medianMs(async () => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  });
  tf.dispose([a, b]);
  return (2 * n * k * m) / ms / 1e6;
}

/** The matmul limit: the best GFLOP/s of the backend's plain matmul at the model's shapes. */
async function matmulLimit(config: BertConfig, tokens: number): Promise<number> {
  const h = config.hiddenSize;
  const square = await matmulGflops(tokens, h, h);
  const wide = await matmulGflops(tokens, h, config.intermediateSize);
  console.log(
    `  matmul [${tokens}, ${h}] × [${h}, ${h}]: ${square.toFixed(1)} GFLOP/s; ` +
      `[${tokens}, ${h}] × [${h}, ${config.intermediateSize}]: ${wide.toFixed(1)} GFLOP/s → limit ${Math.max(square, wide).toFixed(1)} GFLOP/s`,
  );
  return Math.max(square, wide);
}

function randomIds(batch: number, length: number, vocab: number): tf.Tensor2D {
  return tf.tidy(() =>
    tf.concat([tf.fill([batch, 1], 1, 'int32'), tf.randomUniform([batch, length - 2], 5, vocab, 'int32', 0), tf.fill([batch, 1], 2, 'int32')], 1),
  ) as tf.Tensor2D;
}

/** The SIMD peak of the threads the backend uses (wasm only; null on the others, whose ceiling it is not). */
let backendPeak: { gflops: number; threads: number } | null = null;

/** Prints one measurement and returns its tokens/s. */
function report(what: string, tokens: number, ms: number, flopsPerToken: number, limit: number): number {
  const tokensPerSecond = (tokens / ms) * 1000;
  const gflops = (tokensPerSecond * flopsPerToken) / 1e9;
  const ofPeak = backendPeak ? `, ${((100 * gflops) / backendPeak.gflops).toFixed(0)}% of the ${backendPeak.threads}-thread SIMD peak` : '';
  console.log(
    `  ${what}: ${tokens} tokens, median ${ms.toFixed(0)} ms over ${RUNS} run(s) → ${fmt(tokensPerSecond)} tokens/s, ` +
      `${gflops.toFixed(1)} GFLOP/s (${(flopsPerToken / 1e6).toFixed(flopsPerToken < 1e7 ? 2 : 0)} MFLOP/token) = ${((100 * gflops) / limit).toFixed(0)}% of the matmul limit${ofPeak}`,
  );
  return tokensPerSecond;
}

/** Median GFLOP/s of `RUNS` measurements of the SIMD peak (bench/peak-flops.ts). */
async function peakGflops(kind: PeakKind, threads: number): Promise<number> {
  const options = SMOKE ? { iterations: 1_000_000, warmUpMs: 20 } : { iterations: 50_000_000, warmUpMs: 300 };
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measurePeakGflops(kind, threads, options));
  return median(runs);
}

/**
 * Prints the machine's WebAssembly SIMD peak on 1 thread and on every core, with relaxed-SIMD FMA
 * where this runtime has it, and returns the plain (multiply + add) peaks by thread count.
 */
async function simdPeak(): Promise<Map<number, number>> {
  const cores = cpus().length;
  const peaks = new Map<number, number>();
  for (const threads of new Set([1, cores])) peaks.set(threads, await peakGflops('mul-add', threads));
  const plain = [...peaks].map(([t, g]) => `${g.toFixed(1)} GFLOP/s on ${t} thread(s)`).join(', ');
  let fma = `relaxed-SIMD FMA not available in Node ${process.version} (--experimental-wasm-relaxed-simd; on by default from Node 22)`;
  if (peakAvailable('fma')) fma = `relaxed-SIMD FMA: ${(await peakGflops('fma', 1)).toFixed(1)} GFLOP/s on 1 thread, ${(await peakGflops('fma', cores)).toFixed(1)} on ${cores}`;
  console.log(`WebAssembly SIMD peak (f32x4 multiply + add in registers, no memory traffic): ${plain}; ${fma}`);
  return peaks;
}

/** The speed targets against the plain SIMD peak of every core. */
function targetsAgainstPeak(config: BertConfig, seqLen: number, peak: number, cores: number): void {
  const need = (tokensPerSecond: number, flopsPerToken: number) => {
    const gflops = (tokensPerSecond * flopsPerToken) / 1e9;
    return `${tokensPerSecond} tokens/s needs ${gflops.toFixed(1)} GFLOP/s = ${((100 * gflops) / peak).toFixed(0)}% of the ${cores}-thread SIMD peak`;
  };
  console.log(`  targets: forward ${need(400, forwardFlopsPerToken(config, seqLen))}; training step ${need(130, trainingStepFlopsPerToken(config, seqLen))}`);
}

async function forward(model: BertForTokenClassification, inputIds: tf.Tensor2D, limit: number, label = ''): Promise<number> {
  const [batch, length] = inputIds.shape;
  const ms = await medianMs(async () => {
    const { logits } = model.predict({ inputIds });
    await logits.data();
    logits.dispose();
  });
  return report(`forward${label}, batch ${batch} × ${length}`, batch * length, ms, forwardFlopsPerToken(model.config, length), limit);
}

/** One fine-tuning step as `fineTune` takes it: loss with dropout, gradients, clipping to norm 1, AdamW. */
async function trainingStep(model: BertForTokenClassification, inputIds: tf.Tensor2D, limit: number, label = ''): Promise<number> {
  const [batch, length] = inputIds.shape;
  const labels = tf.tidy(() => tf.randomUniform([batch, length], 0, model.numLabels, 'int32', 3)) as tf.Tensor2D;
  const optimizer = new AdamW({ learningRate: 5e-5, weightDecay: 0.01, excludeFromWeightDecay: noDecayForBiasAndLayerNorm });
  const variables = [...model.namedWeights().values()];
  const ms = await medianMs(async () => {
    const { value, grads } = tf.variableGrads(() => model.loss({ inputIds }, labels, { training: true }), variables);
    const clipped = clipGradsByGlobalNorm(grads, 1, { consume: true });
    optimizer.applyGradients(clipped.grads);
    await value.data();
    tf.dispose([value, ...Object.values(clipped.grads)]);
  });
  optimizer.dispose();
  labels.dispose();
  return report(`training step${label}, batch ${batch} × ${length}`, batch * length, ms, trainingStepFlopsPerToken(model.config, length), limit);
}

/**
 * Runs `measure` with the attention core and GELU on the SIMD kernels (the default here), then
 * op by op on the backend (the baseline, in the same process), and prints the ratio.
 */
async function withBaseline(measure: (label: string) => Promise<number>): Promise<void> {
  const fast = await measure('');
  sampleRss();
  console.log(`    peak RSS so far: ${mib(peakRss)}`);
  if (!simdKernelsActive()) return;
  const previous = setTransformerKernels('tfjs');
  const baseline = await measure(' (baseline: attention core and GELU op by op in tfjs)');
  setTransformerKernels(previous);
  console.log(`    → SIMD attention core and GELU: ${(fast / baseline).toFixed(2)}× the baseline`);
}

async function section(title: string, model: BertForTokenClassification, forwardShape: [number, number], trainShape: [number, number]): Promise<void> {
  console.log(`${title}: ${(model.numParameters / 1e6).toFixed(1)} M parameters`);
  const limit = await matmulLimit(model.config, forwardShape[0] * forwardShape[1]);
  const trainIds = randomIds(...trainShape, model.config.vocabSize);
  await withBaseline((label) => trainingStep(model, trainIds, limit, label));
  trainIds.dispose();
  sampleRss();
  console.log(`  peak RSS so far: ${mib(peakRss)}`);
  const ids = randomIds(...forwardShape, model.config.vocabSize);
  await withBaseline((label) => forward(model, ids, limit, label));
  ids.dispose();
  sampleRss();
  console.log(`  peak RSS so far: ${mib(peakRss)}`);
}

async function main(): Promise<void> {
  const { name } = await useBackend(process.env.BENCH_BACKEND ?? 'auto');
  const threads = name === 'wasm' ? `, ${process.env.TWNER_WASM_THREADS ?? 1} XNNPACK thread(s) (TWNER_WASM_THREADS)` : '';
  console.log(`backend: ${name}${threads}; ${cpus().length} CPU(s); load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; runs: ${RUNS}${SMOKE ? ' (smoke)' : ''}`);
  const peaks = await simdPeak();
  const cores = cpus().length;
  const wasmThreads = Number(process.env.TWNER_WASM_THREADS ?? 1);
  const threadPeak = peaks.get(wasmThreads);
  if (name === 'wasm' && threadPeak !== undefined) backendPeak = { gflops: threadPeak, threads: wasmThreads };

  const fx = JSON.parse(readFileSync(path.join(TINY, 'forward.json'), 'utf8')) as { input_ids: number[][] };
  const tiny = await BertForTokenClassification.fromPretrained(path.join(TINY, 'model'));
  const [fb, fl] = [fx.input_ids.length, fx.input_ids[0].length];
  await section(`tiny fixture model (${tiny.config.numHiddenLayers} layers, hidden ${tiny.config.hiddenSize})`, tiny, [fb, fl], [fb, fl]);
  tiny.dispose();

  const config = createBertConfig(SMOKE ? { labels: LABELS, numHiddenLayers: 1 } : { labels: LABELS });
  const base = BertForTokenClassification.create(config, { seed: 0 });
  const [forwardShape, trainShape]: [number, number][] = SMOKE ? [[2, 8], [2, 8]] : [[32, 48], [16, 48]];
  targetsAgainstPeak(createBertConfig({ labels: LABELS }), 48, peaks.get(cores) ?? 0, cores);
  await section(`bert-base-uncased config${SMOKE ? ' (smoke: 1 layer)' : ''} (${config.numHiddenLayers} layers, hidden ${config.hiddenSize}), random weights`, base, forwardShape, trainShape);
  base.dispose();

  clearInterval(timer);
  sampleRss();
  console.log(`peak RSS: ${mib(peakRss)}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
