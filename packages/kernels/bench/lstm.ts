/**
 * pnpm --filter @twner/kernels bench  [-- --quick] [--infer-only] [--no-pytorch]
 *
 * Every figure is printed next to a baseline measured in the same process: the tfjs-layers
 * path (tf.layers.bidirectional(tf.layers.lstm)) on the same backend, the package's own
 * TypeScript time loops, and — where `/usr/bin/python3 -c "import torch"` works — the PyTorch
 * reference of ../../shared/baselines/pytorch (one 2-thread worker: 2 epochs, tagging at batch
 * 256 and 1) run by this script.
 *
 * TWNER_BENCH_SMOKE=1 (CI): every part once on small sizes (B=4, T=12, 32 tweets, one timed
 * repetition) with the PyTorch reference skipped; figures not meaningful.
 */
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@twner/backend';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { FusedBidirectionalLSTM, InferenceBiLstm, setRecurrenceKernels } from '../src';

const SMOKE = process.env.TWNER_BENCH_SMOKE === '1';
const B = SMOKE ? 4 : 32;
const T = SMOKE ? 12 : 39;
const D = SMOKE ? 16 : 200;
const H = SMOKE ? 8 : 50;
const quick = process.argv.includes('--quick');
/** Timed repetitions: `n` normally, 1 in smoke mode. */
const reps = (n: number): number => (SMOKE ? 1 : n);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, reps: number): number {
  fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

/** BiLSTM(50) × 2 on [B, T, D] input, fused or not; returns a training-step closure. */
function trainingStep(fused: boolean): { step: () => void; dispose: () => void } {
  const input = tf.input({ shape: [T, D] });
  let h: tf.SymbolicTensor = input;
  for (let i = 0; i < 2; i++) {
    const layer = fused
      ? new FusedBidirectionalLSTM({ units: H })
      : tf.layers.bidirectional({ layer: tf.layers.lstm({ units: H, returnSequences: true }) as tf.RNN });
    h = layer.apply(h) as tf.SymbolicTensor;
  }
  const model = tf.model({ inputs: input, outputs: h });
  const x = tf.randomNormal([B, T, D]);
  const lengths = Array.from({ length: B }, (_, b) => 8 + ((b * 7) % (T - 8)));
  const mask = tf.tensor2d(lengths.flatMap((n) => Array.from({ length: T }, (_, t) => (t < n ? 1 : 0))), [B, T], 'bool');
  const optimizer = tf.train.adam(1e-3);
  const step = () => {
    const loss = optimizer.minimize(() => tf.mean(tf.square(model.apply(x, { mask }) as tf.Tensor)) as tf.Scalar, true);
    loss?.dataSync();
    loss?.dispose();
  };
  return { step, dispose: () => { model.dispose(); tf.dispose([x, mask]); optimizer.dispose(); } };
}

/** Tweet lengths of WNUT16 train (or a synthetic spread with the same mean when the data is absent). */
function tweetLengths(): number[] {
  const file = path.join(process.env.TWNER_DATA_DIR ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/wnut16'), 'train.conll');
  if (!fs.existsSync(file)) return Array.from({ length: 2394 }, (_, i) => 5 + ((i * 13) % 30));
  const lengths: number[] = [];
  let n = 0;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') {
      if (n > 0) lengths.push(Math.min(n, T));
      n = 0;
    } else n++;
  }
  if (n > 0) lengths.push(Math.min(n, T));
  return lengths;
}

/** Tagging throughput (emissions) of the notebook model: tfjs-layers predict vs InferenceBiLstm. */
async function inference(): Promise<void> {
  await useBackend('wasm');
  const V = SMOKE ? 500 : 10000;
  const input = tf.input({ shape: [T], dtype: 'int32' });
  let h = tf.layers.embedding({ inputDim: V, outputDim: D, maskZero: true }).apply(input) as tf.SymbolicTensor;
  for (let i = 0; i < 2; i++) h = tf.layers.bidirectional({ layer: tf.layers.lstm({ units: H, returnSequences: true }) as tf.RNN }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 25, activation: 'relu' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 21 }).apply(h) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: h });
  const lengths = tweetLengths();
  const tweets = lengths.map((n, i) => Array.from({ length: n }, (_, t) => 1 + ((i * 31 + t * 17) % (V - 1))));
  const n = SMOKE ? 32 : quick ? 256 : 1024;
  const sample = tweets.slice(0, n);
  const padded = tf.tensor2d(sample.map((ids) => [...ids, ...Array(T - ids.length).fill(0)]), [n, T], 'int32');
  const baseMs = time(() => tf.tidy(() => (model.predict(padded, { batchSize: 256 }) as tf.Tensor).dataSync()), 1);
  const baseRate = (n / baseMs) * 1000;
  const net = new InferenceBiLstm(model.getWeights().map((w) => w.dataSync() as Float32Array), {
    vocabSize: V,
    embeddingDim: D,
    lstmUnits: [H, H],
    dense: [{ units: 25, activation: 'relu' }, { units: 21, activation: 'linear' }],
  }, { kernels: 'wasm' });
  const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
  const config = {
    vocabSize: V,
    embeddingDim: D,
    lstmUnits: [H, H],
    dense: [{ units: 25, activation: 'relu' as const }, { units: 21, activation: 'linear' as const }],
  };
  const tsNet = new InferenceBiLstm(weights, config, { kernels: 'typescript' });
  const batches = (size: number) => Array.from({ length: Math.ceil(n / size) }, (_, i) => sample.slice(i * size, (i + 1) * size));
  const b256 = batches(256);
  const tsMs = time(() => { for (const b of b256) tsNet.forwardBatch(b); }, reps(3));
  const wasmBatchedMs = time(() => { for (const b of b256) net.forwardBatch(b); }, reps(9));
  const wasmSingleMs = time(() => { for (const ids of sample) net.forward(ids); }, reps(9));
  const net2 = new InferenceBiLstm(weights, config, { kernels: 'wasm', threads: 2 });
  const wasmTwoMs = time(() => { for (const b of b256) net2.forwardBatch(b); }, reps(9));
  await net2.dispose();
  const rate = (ms: number) => (n / ms) * 1000;
  const line = (what: string, r: number) => console.log(`  ${what.padEnd(48)} ${r.toFixed(0).padStart(6)} tweets/s  ${(r / baseRate).toFixed(1)}x tfjs-layers${torchInfer === null ? '' : `, ${(r / (what.includes('one at a time') ? torchInfer.b1 : torchInfer.b256)).toFixed(2)}x PyTorch`}`);
  console.log(`[wasm] emissions, notebook model, ${n} WNUT-length tweets (mean ${(lengths.reduce((a, b) => a + b, 0) / lengths.length).toFixed(1)} tokens):`);
  console.log(`  tfjs-layers predict (batch 256):                 ${baseRate.toFixed(0).padStart(6)} tweets/s  (baseline)`);
  line('InferenceBiLstm typescript, batch 256', rate(tsMs));
  line('InferenceBiLstm wasm SIMD, batch 256', rate(wasmBatchedMs));
  line('InferenceBiLstm wasm SIMD, batch 256, 2 threads', rate(wasmTwoMs));
  line('InferenceBiLstm wasm SIMD, one at a time', rate(wasmSingleMs));
  if (torchInfer !== null) console.log(`  PyTorch (2 threads, Viterbi-decoded):     batch 256 ${torchInfer.b256.toFixed(0)} tweets/s, batch 1 ${torchInfer.b1.toFixed(0)} tweets/s`);
  padded.dispose();
  model.dispose();
}

interface TorchFigures {
  epochSeconds: number;
  b256: number;
  b1: number;
}

/** One PyTorch reference worker (2 threads: 2 epochs, the second timed; tagging at batch 256 and 1). */
function pytorch(): TorchFigures | null {
  if (process.argv.includes('--no-pytorch')) return null;
  if (SMOKE) {
    console.log('PyTorch reference: skipped (smoke mode)');
    return null;
  }
  const python = '/usr/bin/python3';
  if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) return null;
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/baselines/pytorch/bilstm_crf_bench.py');
  if (!fs.existsSync(script)) return null;
  const env = { ...process.env, OMP_NUM_THREADS: '2', MKL_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '1' };
  const r = spawnSync(python, ['-W', 'ignore', script, '--worker', '--threads-one', '2', '--epochs', '2', '--infer'], { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const found = (r.stdout ?? '').split('\n').find((l) => l.startsWith('WORKER_RESULT '));
  if (found === undefined) return null;
  const res = JSON.parse(found.slice('WORKER_RESULT '.length));
  return { epochSeconds: res.epoch_seconds[1], b256: res.inference.batch_256.tweets_per_s, b1: res.inference.batch_1.tweets_per_s };
}

let torchInfer: { b256: number; b1: number } | null = null;

async function main(): Promise<void> {
  const os = await import('node:os');
  console.log(`machine: ${os.cpus()[0].model} × ${os.cpus().length}, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const torch = pytorch();
  if (torch !== null) {
    torchInfer = torch;
    console.log(`PyTorch reference (2 threads, same machine, run now): epoch ${torch.epochSeconds.toFixed(2)} s (${((torch.epochSeconds / 75) * 1000).toFixed(0)} ms/step over 75 steps)`);
  }
  const steps = Math.ceil(tweetLengths().length / B); // batches per WNUT16 training epoch
  for (const backend of process.argv.includes('--infer-only') ? [] : quick ? ['wasm'] : ['wasm', 'cpu']) {
    await useBackend(backend);
    const base = trainingStep(false);
    const baseMs = time(base.step, backend === 'cpu' ? 1 : 2);
    base.dispose();
    const ms: Record<string, number> = {};
    for (const kernels of ['typescript', 'wasm'] as const) {
      const previous = setRecurrenceKernels(kernels);
      const fused = trainingStep(true);
      ms[kernels] = time(fused.step, reps(7));
      fused.dispose();
      setRecurrenceKernels(previous);
    }
    console.log(`[${backend}] training step BiLSTM(${H})x2, B=${B} T=${T} D=${D}:`);
    console.log(`  tfjs-layers                      ${baseMs.toFixed(0).padStart(6)} ms (baseline)`);
    console.log(`  fused, TypeScript time loops     ${ms.typescript.toFixed(0).padStart(6)} ms → ${(baseMs / ms.typescript).toFixed(1)}x faster`);
    console.log(`  fused, wasm SIMD time loops      ${ms.wasm.toFixed(0).padStart(6)} ms → ${(baseMs / ms.wasm).toFixed(1)}x faster`);
    const epoch = (ms.wasm * steps) / 1000;
    console.log(
      `  epoch bound (${steps} steps at T=${T}): ${epoch.toFixed(2)} s${torch === null ? '' : ` vs PyTorch ${torch.epochSeconds.toFixed(2)} s → ${(epoch / torch.epochSeconds).toFixed(2)}x PyTorch's time`}`,
    );
  }
  await inference();
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

void main();
