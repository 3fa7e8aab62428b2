/**
 * pnpm --filter @twner/kernels bench:tagger  [-- --quick] [--no-tfjs]
 *
 * Tagging throughput (emissions only) of the default `--arch char-gazetteer` network shape —
 * word embedding E=100 ‖ char CNN (25-dim chars, 100 filters of width 3, 16 chars per token) ‖
 * 230 sparse 0/1 features (4 active per token) → BiLSTM(100, sigmoid) → Dense(21) — on the
 * tweets of WNUT16 train (its tokens repeat as real text does), with random weights (speed
 * does not depend on their values).
 * Baseline in the same process: tfjs-layers predict of the same network on the wasm backend.
 * TWNER_BENCH_SMOKE=1 (CI): 32 tweets, a 2,000-word vocabulary, one timed repetition of each part.
 */
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@twner/backend';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FusedBidirectionalLSTM, FusedCharCNN, FusedEmbedding, InferenceBiLstm, type InferenceBiLstmConfig, type TweetInputs } from '../src';

const quick = process.argv.includes('--quick');
const SMOKE = process.env.TWNER_BENCH_SMOKE === '1';
/** Timed repetitions: `n` normally, 1 in smoke mode. */
const reps = (n: number): number => (SMOKE ? 1 : n);
const S = { V: SMOKE ? 2000 : 20000, E: 100, Vc: 120, d: 25, F: 100, widths: [3], C: 16, featureDim: 230, active: 4, H: 100, K: 21 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall ms of `fn`, and CPU ms of this process (all its threads): the machine may be shared, so CPU time is the steadier figure. */
function time(fn: () => void, reps: number): { wall: number; cpu: number } {
  fn(); // warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/** The tweets of WNUT16 train as tokens (a synthetic corpus with repeated tokens when the data is absent). */
function corpus(): string[][] {
  const dir = process.env.TWNER_DATA_DIR ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/wnut16');
  const file = path.join(dir, 'train.conll');
  if (!fs.existsSync(file)) return Array.from({ length: 2394 }, (_, i) => Array.from({ length: 5 + ((i * 13) % 30) }, (_, t) => `w${(i * 31 + t * 17) % 3000}`));
  const tweets: string[][] = [];
  let cur: string[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') {
      if (cur.length > 0) tweets.push(cur);
      cur = [];
    } else cur.push(line.split('\t')[0]);
  }
  if (cur.length > 0) tweets.push(cur);
  return tweets;
}

/**
 * The tweets encoded as the tagger would: word ids from a vocabulary built on the fly, the first
 * 16 characters' ids, and 4 active features per token derived from the token (so that repeated
 * tokens repeat everything, as in real text).
 */
function tweets(text: string[][]): TweetInputs[] {
  const vocab = new Map<string, number>();
  const charIds = new Map<number, number>();
  const hash = (t: string, k: number): number => {
    let h = 2166136261 ^ k;
    for (let q = 0; q < t.length; q++) h = Math.imul(h ^ t.charCodeAt(q), 16777619);
    return h >>> 0;
  };
  return text.map((tokens) => {
    const T = tokens.length;
    const words = Int32Array.from(tokens, (t) => {
      const key = t.toLowerCase();
      if (!vocab.has(key)) vocab.set(key, 1 + (vocab.size % (S.V - 1)));
      return vocab.get(key) as number;
    });
    const chars = new Int32Array(T * S.C);
    tokens.forEach((tok, t) => {
      for (let q = 0; q < Math.min(S.C, tok.length); q++) {
        const code = tok.charCodeAt(q);
        if (!charIds.has(code)) charIds.set(code, 1 + (charIds.size % (S.Vc - 1)));
        chars[t * S.C + q] = charIds.get(code) as number;
      }
    });
    const featureOffsets = Int32Array.from({ length: T + 1 }, (_, t) => t * S.active);
    const featureIndices = new Int32Array(T * S.active);
    tokens.forEach((tok, t) => {
      for (let k = 0; k < S.active; k++) featureIndices[t * S.active + k] = k * 57 + (hash(tok, k) % 57);
    });
    return { words, chars, featureOffsets, featureIndices };
  });
}

function model(): tf.LayersModel {
  const words = tf.input({ shape: [null], dtype: 'int32' });
  const chars = tf.input({ shape: [null, S.C], dtype: 'int32' });
  const feats = tf.input({ shape: [null, S.featureDim] });
  const w = new FusedEmbedding({ inputDim: S.V, outputDim: S.E, maskZero: true }).apply(words) as tf.SymbolicTensor;
  const c = new FusedCharCNN({ inputDim: S.Vc, outputDim: S.d, filters: S.F, widths: S.widths }).apply(chars) as tf.SymbolicTensor;
  let x = tf.layers.concatenate().apply([tf.layers.concatenate().apply([w, c]) as tf.SymbolicTensor, feats]) as tf.SymbolicTensor;
  x = new FusedBidirectionalLSTM({ units: S.H, recurrentActivation: 'sigmoid' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: [words, chars, feats], outputs: tf.layers.dense({ units: S.K }).apply(x) as tf.SymbolicTensor });
}

async function main(): Promise<void> {
  const os = await import('node:os');
  console.log(`machine: ${os.cpus()[0].model} × ${os.cpus().length}, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  await useBackend('wasm');
  const m = model();
  const weights = m.getWeights().map((w) => w.dataSync() as Float32Array);
  const config: InferenceBiLstmConfig = {
    vocabSize: S.V,
    embeddingDim: S.E,
    lstmUnits: [S.H],
    dense: [{ units: S.K, activation: 'linear' }],
    recurrentActivation: 'sigmoid',
    charCnn: { vocabSize: S.Vc, dim: S.d, filters: S.F, widths: S.widths, maxChars: S.C },
    featureDim: S.featureDim,
  };
  const n = SMOKE ? 32 : quick ? 512 : 2048;
  const sample = tweets(corpus().slice(0, n));
  const tokens = sample.reduce((a, x) => a + x.words.length, 0);
  const batches = Array.from({ length: Math.ceil(n / 256) }, (_, i) => sample.slice(i * 256, (i + 1) * 256));
  const rate = (ms: number, count = n): number => (count / ms) * 1000;
  const rates = (t: { wall: number; cpu: number }, count = n): [number, number] => [rate(t.wall, count), rate(t.cpu, count)];
  console.log(`emissions of ${n} WNUT16 train tweets (${(tokens / n).toFixed(1)} tokens each), char-gazetteer shape ${JSON.stringify(S)}:`);
  let base = NaN;
  if (!process.argv.includes('--no-tfjs')) {
    const few = batches[0];
    const T = Math.max(...few.map((x) => x.words.length));
    const B = few.length;
    const wd = new Int32Array(B * T);
    const cd = new Int32Array(B * T * S.C);
    const fd = new Float32Array(B * T * S.featureDim);
    few.forEach((x, b) => {
      wd.set(x.words as Int32Array, b * T);
      cd.set(x.chars as Int32Array, b * T * S.C);
      for (let t = 0; t < x.words.length; t++) for (let q = t * S.active; q < (t + 1) * S.active; q++) fd[(b * T + t) * S.featureDim + (x.featureIndices as Int32Array)[q]] = 1;
    });
    const inputs = [tf.tensor2d(wd, [B, T], 'int32'), tf.tensor3d(cd, [B, T, S.C], 'int32'), tf.tensor3d(fd, [B, T, S.featureDim])];
    const ms = time(() => tf.tidy(() => (m.predict(inputs) as tf.Tensor).dataSync()), 1);
    base = rate(ms.wall, B);
    tf.dispose(inputs);
    console.log(`  ${'tfjs-layers predict, wasm backend, batch 256 (padded)'.padEnd(52)} ${base.toFixed(0).padStart(6)} tweets/s  (baseline)`);
  }
  const line = (what: string, [r, perCpu]: [number, number]): void =>
    console.log(`  ${what.padEnd(52)} ${r.toFixed(0).padStart(6)} tweets/s${Number.isNaN(base) ? '' : ` (${(r / base).toFixed(1)}x tfjs)`}, ${perCpu.toFixed(0).padStart(6)} tweets per CPU-second`);
  const ts = new InferenceBiLstm(weights, config, { kernels: 'typescript' });
  line('InferenceBiLstm typescript, batch 256', rates(time(() => batches.slice(0, 1).forEach((b) => ts.forwardBatch(b)), reps(2)), batches[0].length));
  const one = new InferenceBiLstm(weights, config, { kernels: 'wasm' });
  line('InferenceBiLstm wasm SIMD, batch 256, 1 thread', rates(time(() => batches.forEach((b) => one.forwardBatch(b)), reps(quick ? 3 : 7))));
  const two = new InferenceBiLstm(weights, config, { kernels: 'wasm', threads: 2 });
  line('InferenceBiLstm wasm SIMD, batch 256, 2 threads', rates(time(() => batches.forEach((b) => two.forwardBatch(b)), reps(quick ? 3 : 7))));
  line('InferenceBiLstm wasm SIMD, one at a time', rates(time(() => sample.slice(0, 256).forEach((x) => one.forward(x)), reps(3)), Math.min(256, n)));
  await two.dispose();
  m.dispose();
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

void main();
