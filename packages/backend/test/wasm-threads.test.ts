import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { useBackend } from '@twner/backend';

// Its own test file: the thread count is fixed when the wasm backend is first initialised, and
// jest gives every test file a fresh module registry.
describe('useBackend wasm with wasmThreads', () => {
  it('loads the threaded build with 2 XNNPACK threads and computes what the cpu backend computes', async () => {
    const choice = await useBackend('wasm', { wasmThreads: 2 });
    expect(choice.name).toBe('wasm');
    expect(getThreadsCount()).toBe(2);
    const a = tf.randomNormal([64, 48], 0, 1, 'float32', 1);
    const b = tf.randomNormal([48, 80], 0, 1, 'float32', 2);
    const onWasm = tf.matMul(a, b).dataSync();
    const [av, bv] = [a.arraySync() as number[][], b.arraySync() as number[][]];
    await useBackend('cpu');
    const onCpu = tf.tidy(() => tf.matMul(tf.tensor2d(av), tf.tensor2d(bv)).dataSync());
    let maxDiff = 0;
    onWasm.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - onCpu[i]))));
    expect(maxDiff).toBeLessThan(1e-4);
    tf.dispose([a, b]);
  });

  it('refuses a thread count outside 1–8', async () => {
    await expect(useBackend('wasm', { wasmThreads: 9 })).rejects.toThrow(/wasm threads must be an integer from 1 to 8, got 9/);
  });

  it('lets the process exit: the pool threads hold no reference on it (built package, `pnpm build` first)', () => {
    const script = "require('@twner/backend').useBackend('wasm', { wasmThreads: 2 }).then(() => console.log('ready', require('@tensorflow/tfjs-backend-wasm').getThreadsCount()))";
    const run = spawnSync(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '..'), encoding: 'utf8', timeout: 60_000 });
    expect(run.stdout.trim()).toBe('ready 2');
    expect(run.status).toBe(0);
  });
});
