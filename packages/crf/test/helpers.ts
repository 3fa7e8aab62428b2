// Test helpers: backend switching, a seeded generator and a brute-force CRF oracle in float64.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { useBackend } from '@twner/backend';

export const BACKENDS = ['cpu', 'wasm'] as const;
export type TestBackend = (typeof BACKENDS)[number];

/** Switch backend through `@twner/backend` (which registers the kernels wasm lacks). */
export async function useTestBackend(name: TestBackend): Promise<void> {
  await useBackend(name);
}

/** mulberry32: a small seeded generator of floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function uniform(rand: () => number, n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, () => lo + (hi - lo) * rand());
}

/** A CRF problem in plain arrays. Emissions [B][T][K], transitions [K][K], lengths [B]. */
export interface Problem {
  B: number;
  T: number;
  K: number;
  emissions: number[][][];
  transitions: number[][];
  start?: number[];
  end?: number[];
  lengths: number[];
  tags: number[][];
}

export function randomProblem(
  seed: number,
  B: number,
  T: number,
  K: number,
  opts: { startEnd?: boolean; scale?: number; lengths?: number[] } = {},
): Problem {
  const rand = rng(seed);
  const scale = opts.scale ?? 2;
  const emissions = Array.from({ length: B }, () => Array.from({ length: T }, () => uniform(rand, K, -scale, scale)));
  const transitions = Array.from({ length: K }, () => uniform(rand, K, -1, 1));
  const lengths = opts.lengths ?? Array.from({ length: B }, () => Math.floor(rand() * (T + 1)));
  const tags = Array.from({ length: B }, () => Array.from({ length: T }, () => Math.floor(rand() * K)));
  const p: Problem = { B, T, K, emissions, transitions, lengths, tags };
  if (opts.startEnd) {
    p.start = uniform(rand, K, -1, 1);
    p.end = uniform(rand, K, -1, 1);
  }
  return p;
}

export function maskOf(p: Problem): number[][] {
  return p.lengths.map((L) => Array.from({ length: p.T }, (_, t) => (t < L ? 1 : 0)));
}

/** Every path of length L over K tags. */
export function allPaths(K: number, L: number): number[][] {
  let out: number[][] = [[]];
  for (let t = 0; t < L; t++) out = out.flatMap((p) => Array.from({ length: K }, (_, k) => [...p, k]));
  return out;
}

/** Score of one path in float64, with optional additive penalty tables. */
export function pathScore(p: Problem, b: number, path: number[]): number {
  if (path.length === 0) return 0;
  let s = 0;
  for (let t = 0; t < path.length; t++) s += p.emissions[b][t][path[t]];
  for (let t = 1; t < path.length; t++) s += p.transitions[path[t - 1]][path[t]];
  if (p.start) s += p.start[path[0]];
  if (p.end) s += p.end[path[path.length - 1]];
  return s;
}

export function logSumExp(xs: number[]): number {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((a, x) => a + Math.exp(x - m), 0));
}

/** Brute force over all K^L paths of row b. */
export function bruteForce(p: Problem, b: number) {
  const L = p.lengths[b];
  const paths = allPaths(p.K, L);
  const scores = paths.map((path) => pathScore(p, b, path));
  const logZ = L === 0 ? 0 : logSumExp(scores);
  const order = scores.map((s, i) => i).sort((x, y) => scores[y] - scores[x]);
  const marginals = Array.from({ length: p.T }, () => new Array(p.K).fill(0));
  if (L > 0) {
    paths.forEach((path, i) => {
      const prob = Math.exp(scores[i] - logZ);
      path.forEach((k, t) => (marginals[t][k] += prob));
    });
  }
  return {
    logZ,
    gold: pathScore(p, b, p.tags[b].slice(0, L)),
    best: paths[order[0]],
    bestScore: scores[order[0]],
    ranked: order.map((i) => ({ path: paths[i], score: scores[i] })),
    marginals,
  };
}

/** The problem as tensors. */
export function tensorsOf(p: Problem) {
  return {
    emissions: tf.tensor3d(p.emissions, [p.B, p.T, p.K], 'float32'),
    tags: tf.tensor2d(p.tags, [p.B, p.T], 'int32'),
    mask: tf.tensor2d(maskOf(p), [p.B, p.T], 'int32'),
    transitions: tf.tensor2d(p.transitions, [p.K, p.K], 'float32'),
    opts: p.start && p.end ? { startTransitions: tf.tensor1d(p.start), endTransitions: tf.tensor1d(p.end) } : {},
  };
}

export function disposeAll(x: unknown): void {
  tf.dispose(x as tf.TensorContainer);
}

/** Max absolute difference between two nested number arrays. */
export function maxAbsDiff(a: unknown, b: unknown): number {
  const fa = (a as number[]).flat(4) as number[];
  const fb = (b as number[]).flat(4) as number[];
  if (fa.length !== fb.length) return Infinity;
  return fa.reduce((m, x, i) => Math.max(m, Math.abs(x - fb[i])), 0);
}
