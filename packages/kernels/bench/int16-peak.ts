/**
 * pnpm --filter @twner/kernels bench:int16-peak
 *
 * How close the inference LSTM's 16-bit recurrent product (`gemmQ`, `i32x4.dot_i16x8_s` with
 * 32-bit sums) runs to what WebAssembly SIMD128 gives on this CPU, on one thread:
 *
 *   1. a loop of nothing but the same two instructions (eight independent accumulators of
 *      `i32x4.add(c, i32x4.dot_i16x8_s(a, b))`, no loads or stores), compiled here from
 *      AssemblyScript source with the package's own compiler: what V8 makes of this product on
 *      this CPU when nothing else is in the way (with twelve accumulators it spills registers and
 *      runs slower, so eight is the loop's best);
 *   2. `gemmQ` of the kernel module at the recurrence's shape of the shipped model, one time step
 *      of a batch of 256 tweets: [256, 100] × [100, 400] (Hp = 100 units, 4 gates);
 *
 * printed as multiply-adds per second, and what that rate means for the shipped model: its
 * recurrent products are 2 members × 2 directions × 100 × 400 multiply-adds a token, 16.1 tokens
 * per WNUT16 test tweet, so at gemmQ's rate they alone cost the µs per tweet printed, a bound on
 * the tweets per second of the whole tagger on one core whatever else is made faster.
 * TWNER_BENCH_SMOKE=1 (CI): a few iterations of each; figures not meaningful.
 */
import * as os from 'node:os';
import { KERNELS_WASM_BASE64 } from '../src/generated/kernels-wasm';

const SMOKE = process.env.TWNER_BENCH_SMOKE === '1';

const PEAK_SOURCE = `
export function peak(iters: i32, seed: i32): i32 {
  const a = i16x8.splat(<i16>seed), b = i16x8.splat(<i16>(seed + 1)), c = i16x8.splat(<i16>(seed + 2)), d = i16x8.splat(<i16>(seed + 3));
  let c0 = i32x4.splat(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
  for (let i = 0; i < iters; i++) {
    c0 = i32x4.add(c0, i32x4.dot_i16x8_s(a, b));
    c1 = i32x4.add(c1, i32x4.dot_i16x8_s(a, c));
    c2 = i32x4.add(c2, i32x4.dot_i16x8_s(a, d));
    c3 = i32x4.add(c3, i32x4.dot_i16x8_s(b, c));
    c4 = i32x4.add(c4, i32x4.dot_i16x8_s(b, d));
    c5 = i32x4.add(c5, i32x4.dot_i16x8_s(c, d));
    c6 = i32x4.add(c6, i32x4.dot_i16x8_s(b, b));
    c7 = i32x4.add(c7, i32x4.dot_i16x8_s(c, c));
  }
  const s = i32x4.add(i32x4.add(i32x4.add(c0, c1), i32x4.add(c2, c3)), i32x4.add(i32x4.add(c4, c5), i32x4.add(c6, c7)));
  return i32x4.extract_lane(s, 0) + i32x4.extract_lane(s, 3);
}
`;

/** Least wall ms of `rounds` calls of `fn` after one untimed call. */
function least(fn: () => void, rounds: number): number {
  fn();
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

// The few WebAssembly JS-API members used here (the ES2022 lib and @types/node do not declare the namespace).
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const instantiate = (bytes: Uint8Array): object => new wasm.Instance(new wasm.Module(bytes), {}).exports;

/** The part of AssemblyScript's compiler API used here (loaded by a computed name, so that its global types stay out of this program). */
interface Asc {
  compileString(source: string, options: Record<string, unknown>): Promise<{ error: Error | null; binary: Uint8Array | null; stderr: { toString(): string } }>;
}
const ASC = 'assemblyscript/asc';

interface PeakExports {
  peak(iters: number, seed: number): number;
}

interface GemmExports {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
  gemmQ(c: number, ldc: number, a: number, kp: number, b: number, scale: number, rowSteps: number, m: number, n: number): void;
}

async function main(): Promise<void> {
  console.log(`machine: ${os.cpus()[0].model} × ${os.cpus().length}, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const asc = (await import(ASC)) as Asc;
  const compiled = await asc.compileString(PEAK_SOURCE, { optimizeLevel: 3, runtime: 'stub', enable: ['simd'], noAssert: true });
  if (compiled.error || !compiled.binary) throw new Error(`the peak loop did not compile: ${String(compiled.error)} ${compiled.stderr.toString()}`);
  const peak = instantiate(compiled.binary) as PeakExports;
  const iters = SMOKE ? 1000 : 1e8;
  let sink = 0;
  const peakMs = least(() => (sink += peak.peak(iters, 1)), SMOKE ? 1 : 5);
  const peakRate = (iters * 8 * 8) / peakMs / 1e6; // G multiply-adds per second: 8 dot products of 8 pairs per iteration

  const k = instantiate(Buffer.from(KERNELS_WASM_BASE64, 'base64')) as GemmExports;
  const M = 256;
  const KP = 100;
  const N = 400;
  const base = (k.heapBase() + 65535) & ~65535;
  const A = base;
  const B = A + M * KP * 2;
  const S = B + KP * N * 2;
  const C = S + N * 4;
  const end = C + M * N * 4;
  if (end > k.memory.buffer.byteLength) k.memory.grow(Math.ceil((end - k.memory.buffer.byteLength) / 65536));
  const i16 = new Int16Array(k.memory.buffer);
  for (let i = 0; i < M * KP; i++) i16[A / 2 + i] = ((i * 7919) % 2001) - 1000;
  for (let i = 0; i < KP * N; i++) i16[B / 2 + i] = ((i * 104729) % 2001) - 1000;
  new Float32Array(k.memory.buffer, S, N).fill(1e-6);
  const calls = SMOKE ? 2 : 2000;
  const gemmMs = least(() => {
    for (let i = 0; i < calls; i++) k.gemmQ(C, N, A, KP, B, S, 0, M, N);
  }, SMOKE ? 1 : 7);
  const gemmRate = (M * KP * N * calls) / gemmMs / 1e6;

  const macsPerTweet = 2 * 2 * 100 * 400 * 16.1;
  const usPerTweet = macsPerTweet / (gemmRate * 1e3);
  console.log(`1. a loop of dot_i16x8_s + add alone: ${peakRate.toFixed(1)} G multiply-adds/s (checksum ${sink & 0xff})`);
  console.log(`2. gemmQ [${M}, ${KP}] × [${KP}, ${N}]: ${gemmRate.toFixed(1)} G multiply-adds/s, ${((100 * gemmRate) / peakRate).toFixed(0)}% of the loop above (${((gemmMs / calls) * 1000).toFixed(1)} µs a call)`);
  console.log(
    `   the shipped model's recurrent products at that rate: ${usPerTweet.toFixed(0)} µs a tweet (${(macsPerTweet / 1e6).toFixed(2)} M multiply-adds), ` +
      `so at most ${(1e6 / usPerTweet).toFixed(0)} tweets/s on one core and ${(2e6 / usPerTweet).toFixed(0)} on two for the recurrence alone`,
  );
}

void main();
