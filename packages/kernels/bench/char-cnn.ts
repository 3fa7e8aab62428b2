/**
 * pnpm --filter @twner/kernels bench:char-cnn   (= npx tsx bench/char-cnn.ts [--reps N] [--backend cpu])
 *
 * Forward + backward time of a character CNN on a BiLSTM-CRF batch (B=32 tweets, T=20 tokens,
 * C=16 characters, d=25, F=100 filters per width), wasm backend: the tfjs-layers composition
 * of examples/src/models/bilstm-crf.ts (FusedEmbedding → zeroPadding2d → cropping2D shifts →
 * concatenate → dense(relu) → maxPooling2d → reshape, per width) against the fused
 * `FusedCharCNN` layer with the same weights, measured in the same process.
 * TWNER_BENCH_SMOKE=1 (CI): B=2, T=4, one warm-up and one timed step (`--reps` still wins).
 */
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@twner/backend';
import { FusedCharCNN, FusedEmbedding } from '../src';

const SMOKE = process.env.TWNER_BENCH_SMOKE === '1';
const [B, T, C, d, F, V] = SMOKE ? [2, 4, 16, 25, 100, 120] : [32, 20, 16, 25, 100, 120];
const argAt = (name: string) => process.argv.indexOf(name);
const reps = argAt('--reps') > 0 ? Number(process.argv[argAt('--reps') + 1]) : SMOKE ? 1 : 20;
const backend = argAt('--backend') > 0 ? process.argv[argAt('--backend') + 1] : 'wasm';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function composition(widths: number[]): tf.LayersModel {
  const chars = tf.input({ shape: [null, C], dtype: 'int32' });
  const c = new FusedEmbedding({ inputDim: V, outputDim: d }).apply(chars) as tf.SymbolicTensor;
  const pooled: tf.SymbolicTensor[] = [];
  for (const width of widths) {
    const half = Math.floor(width / 2);
    const padded = tf.layers.zeroPadding2d({ padding: [[0, 0], [half, width - 1 - half]] }).apply(c) as tf.SymbolicTensor;
    const shifted: tf.SymbolicTensor[] = [];
    for (let k = 0; k < width; k++) shifted.push(tf.layers.cropping2D({ cropping: [[0, 0], [k, width - 1 - k]] }).apply(padded) as tf.SymbolicTensor);
    let w = shifted.length > 1 ? (tf.layers.concatenate().apply(shifted) as tf.SymbolicTensor) : shifted[0];
    w = tf.layers.dense({ units: F, activation: 'relu' }).apply(w) as tf.SymbolicTensor;
    w = tf.layers.maxPooling2d({ poolSize: [1, C], strides: [1, C] }).apply(w) as tf.SymbolicTensor;
    pooled.push(tf.layers.reshape({ targetShape: [-1, F] }).apply(w) as tf.SymbolicTensor);
  }
  const out = pooled.length > 1 ? (tf.layers.concatenate().apply(pooled) as tf.SymbolicTensor) : pooled[0];
  return tf.model({ inputs: chars, outputs: out });
}

function fused(widths: number[]): tf.LayersModel {
  const chars = tf.input({ shape: [null, C], dtype: 'int32' });
  const out = new FusedCharCNN({ inputDim: V, outputDim: d, filters: F, widths, seed: 1 }).apply(chars) as tf.SymbolicTensor;
  return tf.model({ inputs: chars, outputs: out });
}

/** Words of 1–12 characters (WNUT-like), right-padded with char id 0. */
function charIds(): tf.Tensor3D {
  let s = 12345;
  const rnd = (n: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), s % n);
  const data = new Int32Array(B * T * C);
  for (let i = 0; i < B * T; i++) {
    const len = 1 + rnd(12);
    for (let c = 0; c < len; c++) data[i * C + c] = 1 + rnd(V - 1);
  }
  return tf.tensor3d(data, [B, T, C], 'int32');
}

/** Median ms of one forward + backward pass (gradients of every weight, read back). */
function timeStep(model: tf.LayersModel, ids: tf.Tensor, probe: tf.Tensor): number {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = () => {
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(model.apply(ids) as tf.Tensor, probe)) as tf.Scalar, vars);
    for (const g of Object.values(grads)) g.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
  for (let i = 0; i < (SMOKE ? 1 : 3); i++) step(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    step();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

async function main(): Promise<void> {
  await useBackend(backend);
  console.log(`char CNN forward + backward, ${tf.getBackend()} backend, B=${B} T=${T} C=${C} d=${d} F=${F} V=${V}, median of ${reps}`);
  const ids = charIds();
  for (const widths of [[3], [2, 3, 4]]) {
    const reference = composition(widths);
    const ours = fused(widths);
    ours.setWeights(reference.getWeights());
    const probe = tf.randomNormal([B, T, F * widths.length], 0, 1, 'float32', 3);
    const a = reference.predict(ids) as tf.Tensor;
    const b = ours.predict(ids) as tf.Tensor;
    const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
    const tLayers = timeStep(reference, ids, probe);
    const tFused = timeStep(ours, ids, probe);
    console.log(
      `widths [${widths.join(', ')}]: tfjs-layers composition ${tLayers.toFixed(1)} ms, FusedCharCNN ${tFused.toFixed(1)} ms, ` +
        `${(tLayers / tFused).toFixed(1)}× faster (outputs within ${diff.toExponential(1)})`,
    );
    tf.dispose([probe, a, b]);
    reference.dispose();
    ours.dispose();
  }
  ids.dispose();
}

void main();
