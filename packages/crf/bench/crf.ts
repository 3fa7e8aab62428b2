// Speed of @twner/crf: `pnpm --filter @twner/crf bench` (timings live here, never in tests).
// B=32, T=39, K=21: NLL forward+backward and Viterbi decode per batch on the cpu and wasm
// backends; plain-TS CRFDecoder sequences/s for T=20, K=21 on one core.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { useBackend } from '@twner/backend';
import { allowedTransitions, CRFDecoder, crfDecode, crfNegLogLikelihood } from '../src';

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
    const nll = timeIt(5, () => {
      const { value, grads } = tf.variableGrads(() => crfNegLogLikelihood(emissions, tags, mask, transitions, opts) as tf.Scalar);
      value.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
    });
    const decode = timeIt(10, () => {
      const out = crfDecode(emissions, mask, transitions, opts);
      out.tags.dataSync();
      tf.dispose([out.tags, out.scores]);
    });
    console.log(`${backend.padEnd(5)} B=${B} T=${T} K=${K}: NLL forward+backward ${nll.toFixed(1)} ms/batch, crfDecode ${decode.toFixed(1)} ms/batch`);
    tf.dispose([emissions, transitions, start, end, tags, mask]);
  }
}

function plainBench(): void {
  const [T, K, N] = [20, 21, 50_000];
  const rand = seeded(2);
  const labels = ['O', ...['person', 'geo-loc', 'company', 'facility', 'product', 'musicartist', 'movie', 'sportsteam', 'tvshow', 'other'].flatMap((t) => [`B-${t}`, `I-${t}`])];
  const transitions = Array.from({ length: K * K }, () => rand() * 2 - 1);
  const random = Float32Array.from({ length: N * T * K }, () => rand() * 4 - 2);
  // "trained-like": one tag per token stands out by ~6, as in a tagger's emissions
  const peaky = random.map((v) => v);
  for (let n = 0; n < N * T; n++) peaky[n * K + Math.floor(rand() * K)] += 6;
  const cases: Array<[string, Float32Array, CRFDecoder]> = [
    ['peaky emissions', peaky, new CRFDecoder({ transitions }, K)],
    ['uniform random emissions', random, new CRFDecoder({ transitions }, K)],
    ['peaky, IOB2-constrained', peaky, new CRFDecoder({ transitions, constraints: allowedTransitions(labels, 'IOB2') }, K)],
  ];
  for (const [name, em, decoder] of cases) {
    decoder.decode(em, T, 0);
    const t0 = performance.now();
    let checksum = 0;
    for (let n = 0; n < N; n++) checksum += decoder.decode(em, T, n * T * K).path[0];
    const seconds = (performance.now() - t0) / 1000;
    console.log(`CRFDecoder T=${T} K=${K}, ${name}: ${Math.round(N / seconds).toLocaleString('en-US')} sequences/s (checksum ${checksum})`);
  }
}

async function main(): Promise<void> {
  plainBench();
  await tfjsBench();
}

void main();
