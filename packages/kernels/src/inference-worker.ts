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
// parent's flags make eval'd code a module, e.g. \`node --input-type=module -e\`). One thread
// serves every network of the process: each network it is given (an "add" message with a port
// of its own) gets its own instance of the kernels with the weights copied to the same addresses
// as in the main thread's memory; then for each request on that port it writes the inputs, runs
// the kernel calls of a plan and sends back the output rows. Requests of all networks run one
// after the other, in the order they arrive.
const WORKER_SOURCE = `
const { parentPort, workerData } = typeof require === 'function' ? require('node:worker_threads') : process.getBuiltinModule('node:worker_threads');
const compiled = (() => { try { return new WebAssembly.Module(Buffer.from(workerData.wasm, 'base64')); } catch (e) { return String(e); } })();
parentPort.on('message', ({ port, flag, base, weights }) => {
  const done = () => { Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); };
  let k;
  try {
    if (typeof compiled === 'string') throw new Error(compiled);
    k = new WebAssembly.Instance(compiled, { env: { abort() { throw new Error('kernels.wasm: abort'); } } }).exports;
  } catch (e) { port.postMessage({ error: String(e) }); done(); return; }
  const ensure = (end) => { const need = end - k.memory.buffer.byteLength; if (need > 0) k.memory.grow(Math.ceil(need / 65536)); };
  ensure(base + weights.byteLength);
  new Uint8Array(k.memory.buffer, base, weights.byteLength).set(weights);
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
    done();
  });
  port.on('close', () => { k = null; });
});
`;

/** The one worker thread of the process, and how many networks use it. */
let shared: { worker: Worker; users: number } | null = null;

/** How long `finish` waits for the worker before giving up. */
const TIMEOUT_MS = 120_000;

/**
 * A network's handle on the process's worker thread, which holds its own copy of the network's
 * kernels and weights, driven synchronously: `start` hands it a planned batch, `finish` blocks
 * (Atomics.wait) until its rows are back. All networks share the one thread (an ensemble's
 * members run one after the other there, not in competition); it is unref'd (it never keeps the
 * process alive), and `terminate` of the last network ends it.
 */
export class InferenceWorker {
  private readonly host: { worker: Worker; users: number };
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly threads: WorkerThreads;
  /** Milliseconds the worker spent on the last plan it finished (its own clock). */
  lastMs = 0;

  constructor(engine: WasmInference) {
    this.threads = workerThreads();
    const { base, bytes } = engine.weightsSnapshot();
    const { port1, port2 } = new this.threads.MessageChannel();
    if (shared === null) {
      const worker = new this.threads.Worker(WORKER_SOURCE, { eval: true, workerData: { wasm: KERNELS_WASM_BASE64 } });
      worker.unref();
      shared = { worker, users: 0 };
    }
    shared.users++;
    this.host = shared;
    this.host.worker.postMessage({ port: port2, flag: this.flag, base, weights: bytes }, [port2]);
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

  /** Leaves the thread; the last network to leave ends it. */
  async terminate(): Promise<number> {
    this.port.close();
    const host = this.host;
    if (--host.users > 0) return 0;
    if (shared === host) shared = null;
    return host.worker.terminate();
  }
}
