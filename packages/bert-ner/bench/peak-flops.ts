// The machine's WebAssembly SIMD peak: what f32x4 arithmetic reaches when nothing waits on memory.
// A matmul never runs faster than this; it is the ceiling above the matmul limit. The module is
// written here byte by byte (no assembler needed): `peak(n)` runs n iterations of CHAINS independent
// chains `a = a·m + c` on f32x4 values held in locals (registers, once V8's optimising tier has
// compiled it), then returns their sum so that nothing is optimised away.
//  - 'mul-add': f32x4.mul then f32x4.add, 2 FLOP per lane and chain (plain SIMD, every runtime);
//  - 'fma': f32x4.relaxed_madd, 2 FLOP per lane and chain in one instruction (relaxed SIMD: on by
//    default from Node 22 / V8 11.4, behind --experimental-wasm-relaxed-simd before).
// Threads are worker threads, each with its own instance, released together through a barrier.
import { Worker } from 'node:worker_threads';

export type PeakKind = 'mul-add' | 'fma';

// The one WebAssembly JS-API member used here (the ES2022 lib and @types/node 20 do not declare
// the WebAssembly namespace; the worker is plain JavaScript).
const wasmApi = (globalThis as { WebAssembly?: { validate(bytes: Uint8Array): boolean } }).WebAssembly;

/** Independent accumulator chains: enough to cover the latency of two vector units, few enough for 16 registers. */
export const CHAINS = 10;
/** FLOP of one loop iteration: CHAINS chains × 4 lanes × (multiply + add). */
export const FLOP_PER_ITERATION = CHAINS * 4 * 2;

const uleb = (value: number): number[] => {
  const out: number[] = [];
  let v = value;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
};
const f32Bytes = (x: number): number[] => [...new Uint8Array(new Float32Array([x]).buffer)];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const SIMD = 0xfd;
const op = {
  localGet: (i: number) => [0x20, ...uleb(i)],
  localSet: (i: number) => [0x21, ...uleb(i)],
  localTee: (i: number) => [0x22, ...uleb(i)],
  splatF32: (x: number) => [0x43, ...f32Bytes(x), SIMD, ...uleb(0x13)],
  f32x4Add: [SIMD, ...uleb(0xe4)],
  f32x4Mul: [SIMD, ...uleb(0xe6)],
  f32x4RelaxedMadd: [SIMD, ...uleb(0x105)],
  extractLane0: [SIMD, ...uleb(0x1f), 0],
};

/** The binary of a module exporting `peak(iterations: i32): f32` for `kind`. */
export function peakModule(kind: PeakKind): Uint8Array {
  const V128 = 0x7b;
  // Locals: 0 = iterations (param), 1 = m, 2 = c, 3 … 3 + CHAINS - 1 = accumulators.
  const [M, C, A0] = [1, 2, 3];
  const body: number[] = [];
  body.push(...op.splatF32(0.999_9), ...op.localSet(M), ...op.splatF32(1e-4), ...op.localSet(C));
  for (let i = 0; i < CHAINS; i++) body.push(...op.splatF32(1 + i / 16), ...op.localSet(A0 + i));
  body.push(0x03, 0x40); // loop (no result)
  for (let i = 0; i < CHAINS; i++) {
    if (kind === 'fma') body.push(...op.localGet(A0 + i), ...op.localGet(M), ...op.localGet(C), ...op.f32x4RelaxedMadd);
    else body.push(...op.localGet(A0 + i), ...op.localGet(M), ...op.f32x4Mul, ...op.localGet(C), ...op.f32x4Add);
    body.push(...op.localSet(A0 + i));
  }
  body.push(...op.localGet(0), 0x41, 1, 0x6b, ...op.localTee(0), 0x0d, 0, 0x0b); // n -= 1; br_if n ≠ 0; end
  body.push(...op.localGet(A0));
  for (let i = 1; i < CHAINS; i++) body.push(...op.localGet(A0 + i), ...op.f32x4Add);
  body.push(...op.extractLane0, 0x0b);
  const locals = [1, ...uleb(2 + CHAINS), V128]; // one run of 2 + CHAINS v128 locals
  const func = [...locals, ...body];
  const name = [...new TextEncoder().encode('peak')];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7d]), // type 0: (i32) → f32
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(7, [1, ...uleb(name.length), ...name, 0x00, 0]), // export "peak" = function 0
    ...section(10, [1, ...uleb(func.length), ...func]),
  ]);
}

/** Whether this runtime compiles `kind` (relaxed SIMD may be off). */
export function peakAvailable(kind: PeakKind): boolean {
  return wasmApi?.validate(peakModule(kind)) ?? false;
}

// The worker: instantiate, warm up until V8 tiers `peak` up to optimised code (a running call is
// never swapped, so warm-up is many short calls), say ready, wait at the barrier, run, report.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { bytes, iterations, barrier } = workerData;
const peak = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.peak;
const warmUntil = performance.now() + workerData.warmUpMs;
while (performance.now() < warmUntil) peak(20000);
const flag = new Int32Array(barrier);
parentPort.postMessage('ready');
Atomics.wait(flag, 0, 0);
const start = performance.now();
const sink = peak(iterations);
parentPort.postMessage({ ms: performance.now() - start, sink });
`;

export interface PeakOptions {
  /** Loop iterations each thread runs in the measured call. */
  iterations: number;
  /** Milliseconds of short warm-up calls per thread before it. */
  warmUpMs: number;
}

/** GFLOP/s of `threads` threads running `peak` at once: all their FLOP over the wall time of the slowest. */
export async function measurePeakGflops(kind: PeakKind, threads: number, { iterations, warmUpMs }: PeakOptions): Promise<number> {
  const bytes = peakModule(kind);
  const barrier = new SharedArrayBuffer(4);
  const workers = Array.from({ length: threads }, () => new Worker(WORKER, { eval: true, workerData: { bytes, iterations, barrier, warmUpMs } }));
  try {
    const ready = workers.map((w) => new Promise<void>((resolve, reject) => { w.once('message', () => resolve()); w.once('error', reject); }));
    await Promise.all(ready);
    const done = workers.map((w) => new Promise<number>((resolve, reject) => { w.once('message', (m: { ms: number }) => resolve(m.ms)); w.once('error', reject); }));
    Atomics.store(new Int32Array(barrier), 0, 1);
    Atomics.notify(new Int32Array(barrier), 0);
    const ms = Math.max(...(await Promise.all(done)));
    return (threads * iterations * FLOP_PER_ITERATION) / ms / 1e6;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
