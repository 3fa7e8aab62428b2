/**
 * pnpm --filter @twner/kernels bench  [-- --quick]
 *
 * Every figure is printed next to a baseline measured in the same process: the tfjs-layers
 * path (tf.layers.bidirectional(tf.layers.lstm)) on the same backend.
 */
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@twner/backend';
import { FusedBidirectionalLSTM } from '../src';

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

async function main(): Promise<void> {
  console.log(`machine: ${(await import('node:os')).cpus()[0].model} × ${(await import('node:os')).cpus().length}, node ${process.version}`);
  for (const backend of quick ? ['wasm'] : ['wasm', 'cpu']) {
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
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

void main();
