/**
 * pnpm --filter @twner/kernels bench  [-- --quick]
 *
 * Every figure is printed next to a baseline measured in the same process: the tfjs-layers
 * path (tf.layers.bidirectional(tf.layers.lstm)) on the same backend.
 */
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@twner/backend';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FusedBidirectionalLSTM, InferenceBiLstm } from '../src';

const B = 32;
const T = 39;
const D = 200;
const H = 50;
const quick = process.argv.includes('--quick');

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
  const V = 10000;
  const input = tf.input({ shape: [T], dtype: 'int32' });
  let h = tf.layers.embedding({ inputDim: V, outputDim: D, maskZero: true }).apply(input) as tf.SymbolicTensor;
  for (let i = 0; i < 2; i++) h = tf.layers.bidirectional({ layer: tf.layers.lstm({ units: H, returnSequences: true }) as tf.RNN }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 25, activation: 'relu' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 21 }).apply(h) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: h });
  const lengths = tweetLengths();
  const tweets = lengths.map((n, i) => Array.from({ length: n }, (_, t) => 1 + ((i * 31 + t * 17) % (V - 1))));
  const n = quick ? 256 : 1024;
  const sample = tweets.slice(0, n);
  const padded = tf.tensor2d(sample.map((ids) => [...ids, ...Array(T - ids.length).fill(0)]), [n, T], 'int32');
  const baseMs = time(() => tf.tidy(() => (model.predict(padded, { batchSize: 256 }) as tf.Tensor).dataSync()), 1);
  const baseRate = (n / baseMs) * 1000;
  const net = new InferenceBiLstm(model.getWeights().map((w) => w.dataSync() as Float32Array), {
    vocabSize: V,
    embeddingDim: D,
    lstmUnits: [H, H],
    dense: [{ units: 25, activation: 'relu' }, { units: 21, activation: 'linear' }],
  });
  const batchedMs = time(() => net.forwardBatch(sample), 3);
  const singleMs = time(() => { for (const ids of sample) net.forward(ids); }, 3);
  const rate = (ms: number) => (n / ms) * 1000;
  console.log(`[wasm] emissions, notebook model, ${n} WNUT-length tweets (mean ${(lengths.reduce((a, b) => a + b, 0) / lengths.length).toFixed(1)} tokens):`);
  console.log(`  tfjs-layers predict (batch 256): ${baseRate.toFixed(0)} tweets/s (baseline)`);
  console.log(`  InferenceBiLstm batched:        ${rate(batchedMs).toFixed(0)} tweets/s → ${(rate(batchedMs) / baseRate).toFixed(1)}x`);
  console.log(`  InferenceBiLstm one at a time:  ${rate(singleMs).toFixed(0)} tweets/s → ${(rate(singleMs) / baseRate).toFixed(1)}x`);
  padded.dispose();
  model.dispose();
}

async function main(): Promise<void> {
  console.log(`machine: ${(await import('node:os')).cpus()[0].model} × ${(await import('node:os')).cpus().length}, node ${process.version}`);
  for (const backend of process.argv.includes('--infer-only') ? [] : quick ? ['wasm'] : ['wasm', 'cpu']) {
    await useBackend(backend);
    const base = trainingStep(false);
    const baseMs = time(base.step, backend === 'cpu' ? 1 : 2);
    base.dispose();
    const fused = trainingStep(true);
    const fusedMs = time(fused.step, 5);
    fused.dispose();
    console.log(
      `[${backend}] training step BiLSTM(50)x2, B=${B} T=${T} D=${D}: tfjs-layers ${baseMs.toFixed(0)} ms, fused ${fusedMs.toFixed(0)} ms → ${(baseMs / fusedMs).toFixed(1)}x faster`,
    );
  }
  await inference();
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

void main();
