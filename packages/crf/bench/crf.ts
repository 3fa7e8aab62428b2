// Speed of @twner/crf: `pnpm --filter @twner/crf bench` (timings live here, never in tests).
// B=32, T=39, K=21: NLL forward+backward and Viterbi decode per batch on the cpu and wasm
// backends; plain-TS CRFDecoder sequences/s for T=20, K=21 on one core, beside a naive decoder.
// `tsx bench/crf.ts --plain` runs only the plain-TS part; pin it with `taskset -c 1`.
// TWNER_BENCH_SMOKE=1 (CI): every part once on small sizes (500 sequences, one timed run each).
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { useBackend } from '@twner/backend';
import { allowedTransitions, CRFDecoder, crfDecode, crfNegLogLikelihood } from '../src';

const SMOKE = process.env.TWNER_BENCH_SMOKE === '1';

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function timeIt(runs: number, f: () => void): number {
  f(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) f();
  return (performance.now() - t0) / runs;
}

async function tfjsBench(): Promise<void> {
  const [B, T, K] = [32, 39, 21];
  for (const backend of ['cpu', 'wasm'] as const) {
    await useBackend(backend);
    const rand = seeded(1);
    const emissions = tf.variable(tf.randomNormal([B, T, K], 0, 2, 'float32', 1));
    const transitions = tf.variable(tf.randomUniform([K, K], -0.1, 0.1, 'float32', 2));
    const start = tf.variable(tf.zeros([K]));
    const end = tf.variable(tf.zeros([K]));
    const tags = tf.randomUniform([B, T], 0, K, 'int32', 3);
    const lengths = Array.from({ length: B }, () => 10 + Math.floor(rand() * (T - 9)));
    const mask = tf.tensor2d(lengths.map((L) => Array.from({ length: T }, (_, t) => (t < L ? 1 : 0))));
    const opts = { startTransitions: start, endTransitions: end };
    const nll = timeIt(SMOKE ? 1 : 5, () => {
      const { value, grads } = tf.variableGrads(() => crfNegLogLikelihood(emissions, tags, mask, transitions, opts) as tf.Scalar);
      value.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
    });
    const decode = timeIt(SMOKE ? 1 : 10, () => {
      const out = crfDecode(emissions, mask, transitions, opts);
      out.tags.dataSync();
      tf.dispose([out.tags, out.scores]);
    });
    console.log(`${backend.padEnd(5)} B=${B} T=${T} K=${K}: NLL forward+backward ${nll.toFixed(1)} ms/batch, crfDecode ${decode.toFixed(1)} ms/batch`);
    tf.dispose([emissions, transitions, start, end, tags, mask]);
  }
}

/**
 * The textbook decoder, deliberately naive: nested arrays, a fresh array per step, stored
 * backpointers. Float64 arithmetic, so its paths may differ from CRFDecoder's on near-ties;
 * it is here only as a speed yardstick run in the same process.
 */
function naiveViterbi(emissions: number[][], transitions: number[][]): number[] {
  const K = transitions.length;
  let delta = emissions[0].slice();
  const back: number[][] = [];
  for (let t = 1; t < emissions.length; t++) {
    const next: number[] = [];
    const bp: number[] = [];
    for (let j = 0; j < K; j++) {
      let best = -Infinity;
      let arg = 0;
      for (let i = 0; i < K; i++) {
        const v = delta[i] + transitions[i][j];
        if (v > best) {
          best = v;
          arg = i;
        }
      }
      next.push(best + emissions[t][j]);
      bp.push(arg);
    }
    back.push(bp);
    delta = next;
  }
  const path = [delta.indexOf(Math.max(...delta))];
  for (let t = back.length - 1; t >= 0; t--) path.unshift(back[t][path[0]]);
  return path;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = (): string => os.loadavg()[0].toFixed(1);
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

/**
 * Sequences/s of `f` over `n` sequences: median of `reps` timed repetitions after a warm-up,
 * by the wall clock and per second of this process's CPU time (less sensitive to a loaded box).
 */
function rate(n: number, reps: number, f: () => number): { wall: number; cpu: number; load: string } {
  f();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    wall.push(n / ((performance.now() - t0) / 1000));
    const c = process.cpuUsage(c0);
    cpu.push(n / ((c.user + c.system) / 1e6));
  }
  return { wall: median(wall), cpu: median(cpu), load: load() };
}

function plainBench(): void {
  const [T, K, N, REPS] = SMOKE ? [20, 21, 500, 1] : [20, 21, 20_000, 7];
  const rand = seeded(2);
  const labels = ['O', ...['person', 'geo-loc', 'company', 'facility', 'product', 'musicartist', 'movie', 'sportsteam', 'tvshow', 'other'].flatMap((t) => [`B-${t}`, `I-${t}`])];
  const transitions = Array.from({ length: K * K }, () => rand() * 2 - 1);
  const nested = Array.from({ length: K }, (_, i) => transitions.slice(i * K, (i + 1) * K));
  const random = Float32Array.from({ length: N * T * K }, () => rand() * 4 - 2);
  // "trained-like": one tag per token stands out by ~6, as in a tagger's emissions
  const peaked = random.map((v) => v);
  for (let n = 0; n < N * T; n++) peaked[n * K + Math.floor(rand() * K)] += 6;
  const constraints = allowedTransitions(labels, 'IOB2');
  const cases: Array<[string, Float32Array, CRFDecoder]> = [
    ['peaked', peaked, new CRFDecoder({ transitions }, K)],
    ['random', random, new CRFDecoder({ transitions }, K)],
    ['peaked, IOB2', peaked, new CRFDecoder({ transitions, constraints }, K)],
    ['random, IOB2', random, new CRFDecoder({ transitions, constraints }, K)],
  ];
  const tags = new Int32Array(N * T);
  const scores = new Float32Array(N);
  console.log(`CRFDecoder, T=${T} K=${K}, one core, ${N.toLocaleString('en-US')} sequences, median of ${REPS}; cpu = per CPU-second of this process; load = 1-min load average of ${os.cpus().length} CPUs`);
  for (const [name, em, decoder] of cases) {
    const nestedEm = Array.from({ length: N }, (_, n) => Array.from({ length: T }, (_, t) => Array.from(em.subarray((n * T + t) * K, (n * T + t + 1) * K))));
    const naive = rate(N, REPS, () => {
      let checksum = 0;
      for (let n = 0; n < N; n++) checksum += naiveViterbi(nestedEm[n], nested)[0];
      return checksum;
    });
    const single = rate(N, REPS, () => {
      let checksum = 0;
      for (let n = 0; n < N; n++) checksum += decoder.decode(em, T, n * T * K).path[0];
      return checksum;
    });
    const batch = rate(N, REPS, () => {
      decoder.decodeBatchInto(em, N, T, null, tags, scores);
      return tags[0];
    });
    const show = (r: { wall: number; cpu: number; load: string }): string => `${fmt(r.wall).padStart(8)}/s (cpu ${fmt(r.cpu).padStart(8)}/s, load ${r.load})`;
    console.log(`  ${name.padEnd(13)} decode ${show(single)} · decodeBatchInto ${show(batch)} · naive ${show(naive)} · ×${(batch.wall / naive.wall).toFixed(1)} naive`);
  }
}

async function main(): Promise<void> {
  plainBench();
  // `--plain` skips the tfjs part (e.g. under `taskset -c 1` for a one-core figure)
  if (!process.argv.includes('--plain')) await tfjsBench();
}

void main();
