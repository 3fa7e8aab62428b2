import type { MessagePort, Worker } from 'node:worker_threads';
import { KernelError, ValueError } from './errors';
import { KERNELS_WASM_BASE64 } from './generated/kernels-wasm';
import type { Plan, WasmInference } from './inference-wasm';

type WorkerThreads = typeof import('node:worker_threads');

/**
 * `node:worker_threads`, loaded only when a second thread is asked for, so that the inference
 * entry imports no Node built-in (it bundles for browsers): `process.getBuiltinModule` (Node
 * ≥ 20.16) or CommonJS `require`.
 */
function workerThreads(): WorkerThreads {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const viaProcess = proc?.getBuiltinModule?.('node:worker_threads') as WorkerThreads | undefined;
  if (viaProcess !== undefined) return viaProcess;
  // The id sits in a variable so that bundlers leave this require alone.
  const id = 'node:worker_threads';
  try {
    if (typeof require === 'function') return require(id) as WorkerThreads; // eslint-disable-line @typescript-eslint/no-require-imports
  } catch {
    // a bundler's require shim (browsers): no worker threads here
  }
  throw new ValueError('InferenceBiLstm', 'threads', '2 needs Node.js worker threads (Node ≥ 20.16 under ESM, or CommonJS); use threads: 1 here');
}

// The worker is a plain script, so that it runs the same under ESM, CJS and jest (and where the
// parent's flags make eval'd code a module, e.g. \`node --input-type=module -e\`): it
// instantiates the kernels, copies the model's weights to the same addresses as in the main
// thread's memory, and then for each request writes the inputs, runs the kernel calls of a
// plan and sends back the output rows.
const WORKER_SOURCE = `
const { workerData } = typeof require === 'function' ? require('node:worker_threads') : process.getBuiltinModule('node:worker_threads');
const { port, flag, base, weights } = workerData;
let k;
try {
  const bytes = Buffer.from(workerData.wasm, 'base64');
  k = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { abort() { throw new Error('kernels.wasm: abort'); } } }).exports;
} catch (e) { port.postMessage({ error: String(e) }); Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); }
const ensure = (end) => { const need = end - k.memory.buffer.byteLength; if (need > 0) k.memory.grow(Math.ceil(need / 65536)); };
if (k) { ensure(base + weights.byteLength); new Uint8Array(k.memory.buffer, base, weights.byteLength).set(weights); }
port.on('message', (m) => {
  try {
    const t0 = performance.now();
    ensure(m.top);
    new Uint8Array(k.memory.buffer, m.inputAt, m.input.byteLength).set(m.input);
    for (const [name, ...args] of m.calls) k[name](...args);
    const out = new Uint8Array(k.memory.buffer, m.outAt, m.outBytes).slice();
    port.postMessage({ out, ms: performance.now() - t0 }, [out.buffer]);
  } catch (e) {
    port.postMessage({ error: String(e) });
  }
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

/** How long `finish` waits for the worker before giving up. */
const TIMEOUT_MS = 120_000;

/**
 * A worker thread with its own copy of an engine's kernels and weights, driven synchronously:
 * `start` hands it a planned batch, `finish` blocks (Atomics.wait) until its rows are back.
 * The thread is unref'd (it never keeps the process alive); `terminate` ends it.
 */
export class InferenceWorker {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly threads: WorkerThreads;
  /** Milliseconds the worker spent on the last plan it finished (its own clock). */
  lastMs = 0;

  constructor(engine: WasmInference) {
    this.threads = workerThreads();
    const { base, bytes } = engine.weightsSnapshot();
    const { port1, port2 } = new this.threads.MessageChannel();
    this.worker = new this.threads.Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { wasm: KERNELS_WASM_BASE64, base, weights: bytes, flag: this.flag, port: port2 },
      transferList: [port2],
    });
    this.worker.unref();
    this.port = port1;
    this.port.unref();
  }

  /** Sends a plan whose inputs are `input` (the bytes `[plan.inputAt, plan.inputEnd)`). */
  start(plan: Plan, input: Uint8Array): void {
    Atomics.store(this.flag, 0, 0);
    const { calls, inputAt, top, outAt, outBytes } = plan;
    this.port.postMessage({ input, calls, inputAt, top, outAt, outBytes }, [input.buffer as ArrayBuffer]);
  }

  /** The plan's output rows. */
  finish(): Float32Array {
    if (Atomics.wait(this.flag, 0, 0, TIMEOUT_MS) === 'timed-out') throw new KernelError('InferenceBiLstm', `worker thread did not answer within ${TIMEOUT_MS / 1000} s; use threads: 1`, 'WORKER_FAILED');
    const reply = this.threads.receiveMessageOnPort(this.port);
    const msg = reply?.message as { out?: Uint8Array; ms?: number; error?: string } | undefined;
    if (msg === undefined || msg.out === undefined) throw new KernelError('InferenceBiLstm', `worker thread failed: ${msg?.error ?? 'no reply'}; use threads: 1`, 'WORKER_FAILED');
    this.lastMs = msg.ms ?? 0;
    return new Float32Array(msg.out.buffer, msg.out.byteOffset, msg.out.byteLength / 4);
  }

  terminate(): Promise<number> {
    this.port.close();
    return this.worker.terminate();
  }
}
