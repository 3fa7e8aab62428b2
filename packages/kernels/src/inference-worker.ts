import type { Worker } from 'node:worker_threads';
import { KernelError, ValueError } from './errors';
import { KERNELS_WASM_BASE64 } from './generated/kernels-wasm';
import { PLAN_KERNELS, type Plan, type WasmInference } from './inference-wasm';

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

/**
 * A network's mailbox: one SharedArrayBuffer that the calling thread and the worker both read
 * and write, so that a request costs no message and no wake-up of an event loop.
 *
 *   Int32 [0]  state: IDLE, REQUEST (written by the caller), DONE or FAILED (by the worker)
 *   Float64 [1…] header: inputAt, inputBytes, top, outAt, outBytes, call words, ms
 *   Float64 calls: per call its kernel index, its argument count, the arguments
 *   bytes: the plan's inputs in; its output rows back, at the same place
 */
const IDLE = 0;
const REQUEST = 1;
const DONE = 2;
const FAILED = 3;
const HEADER = 8; // Float64 slots: [0] holds the state (as Int32 [0]), then 7 fields
const INITIAL_BYTES = 1 << 20;
/**
 * How long each side spins on a shared word before it sleeps (waking a sleeping thread costs
 * about 0.1 ms on this 2-core VM): the caller while its batch runs, the worker between
 * requests. Measured on tweets tagged one at a time: 0.5 ms spins gave p50 0.35–0.44 ms, 2 ms
 * spins 0.28–0.32 ms.
 */
const SPIN_MS = 2;

// The worker is a plain script, so that it runs the same under ESM, CJS and jest (and where the
// parent's flags make eval'd code a module, e.g. \`node --input-type=module -e\`). One thread
// serves every network of the process. Networks come and go as messages on its parent port
// ("add": the network's id, its weights, copied to the same addresses as in the calling
// thread's memory, and its mailbox; "mailbox": a larger mailbox; "remove"). Between requests
// it blocks on a doorbell (Atomics.wait on a shared word the callers bump): on each ring it
// reads the parent port's messages, then runs the REQUEST of every mailbox, writing the output
// rows back and DONE (or FAILED and the error) into it.
const WORKER_SOURCE = `
const wt = typeof require === 'function' ? require('node:worker_threads') : process.getBuiltinModule('node:worker_threads');
const { parentPort, workerData, receiveMessageOnPort } = wt;
const NAMES = workerData.names;
const bell = workerData.bell;
const compiled = (() => { try { return new WebAssembly.Module(Buffer.from(workerData.wasm, 'base64')); } catch (e) { return String(e); } })();
const nets = new Map();
const mailbox = (net, sab) => { net.sab = sab; net.state = new Int32Array(sab, 0, 1); net.head = new Float64Array(sab, 0, ${HEADER}); };
const fail = (net, error) => {
  const text = new TextEncoder().encode(String(error)).subarray(0, net.sab.byteLength - ${HEADER * 8} - 4);
  new Int32Array(net.sab, ${HEADER * 8}, 1)[0] = text.length;
  new Uint8Array(net.sab, ${HEADER * 8} + 4, text.length).set(text);
  Atomics.store(net.state, 0, ${FAILED}); Atomics.notify(net.state, 0);
};
const handle = (m) => {
  if (m.type === 'add') {
    const net = { k: null, error: null };
    mailbox(net, m.mailbox);
    nets.set(m.id, net);
    try {
      if (typeof compiled === 'string') throw new Error(compiled);
      net.k = new WebAssembly.Instance(compiled, { env: { abort() { throw new Error('kernels.wasm: abort'); } } }).exports;
      ensure(net.k, m.base + m.weights.byteLength);
      new Uint8Array(net.k.memory.buffer, m.base, m.weights.byteLength).set(m.weights);
    } catch (e) { net.error = String(e); }
  } else if (m.type === 'mailbox') {
    const net = nets.get(m.id);
    if (net) mailbox(net, m.mailbox);
  } else if (m.type === 'remove') {
    nets.delete(m.id);
  }
};
const ensure = (k, end) => { const need = end - k.memory.buffer.byteLength; if (need > 0) k.memory.grow(Math.ceil(need / 65536)); };
const run = (net) => {
  try {
    if (net.error !== null) throw new Error(net.error);
    const t0 = performance.now();
    const h = net.head;
    const [inputAt, inputBytes, top, outAt, outBytes, words] = [h[1], h[2], h[3], h[4], h[5], h[6]];
    const k = net.k;
    ensure(k, top);
    const callsAt = ${HEADER * 8};
    const dataAt = callsAt + words * 8;
    new Uint8Array(k.memory.buffer, inputAt, inputBytes).set(new Uint8Array(net.sab, dataAt, inputBytes));
    const calls = new Float64Array(net.sab, callsAt, words);
    for (let q = 0; q < words;) {
      const f = k[NAMES[calls[q]]];
      const n = calls[q + 1];
      const a = new Array(n);
      for (let i = 0; i < n; i++) a[i] = calls[q + 2 + i];
      f.apply(null, a);
      q += 2 + n;
    }
    new Uint8Array(net.sab, dataAt, outBytes).set(new Uint8Array(k.memory.buffer, outAt, outBytes));
    h[7] = performance.now() - t0;
    Atomics.store(net.state, 0, ${DONE}); Atomics.notify(net.state, 0);
  } catch (e) { fail(net, e); }
};
for (;;) {
  const seen = Atomics.load(bell, 0);
  let m;
  while ((m = receiveMessageOnPort(parentPort)) !== undefined) handle(m.message);
  if (Atomics.load(bell, 1) !== 0) break;
  for (const net of nets.values()) if (Atomics.load(net.state, 0) === ${REQUEST}) run(net);
  // A short spin before sleeping: the next request of a tweet-at-a-time caller comes within a
  // fraction of a millisecond, and waking a sleeping thread costs about 0.1 ms.
  const until = performance.now() + ${SPIN_MS};
  while (Atomics.load(bell, 0) === seen && performance.now() < until);
  Atomics.wait(bell, 0, seen);
}
`;

/** The one worker thread of the process, its doorbell, and how many networks use it. */
interface Host {
  worker: Worker;
  /** [0] the ring count (it wraps; only a change matters), [1] set to end the worker's loop */
  bell: Int32Array;
  users: number;
  nextId: number;
}
let shared: Host | null = null;

/** How long `finish` waits for the worker before giving up. */
const TIMEOUT_MS = 120_000;

/** Rings the worker's doorbell (a new message or request is there). */
function ring(host: Host): void {
  Atomics.add(host.bell, 0, 1);
  Atomics.notify(host.bell, 0);
}

/**
 * A network's handle on the process's worker thread, which holds its own copy of the network's
 * kernels and weights, driven synchronously through a shared mailbox: `start` writes a planned
 * batch there and rings the worker's doorbell, `finish` blocks (Atomics.wait) until its rows
 * are back. All networks share the one thread (an ensemble's members run one after the other
 * there, not in competition); it is unref'd (it never keeps the process alive), and `terminate`
 * of the last network ends it.
 */
export class InferenceWorker {
  private readonly host: Host;
  private readonly id: number;
  private mailbox: SharedArrayBuffer;
  private state: Int32Array;
  private readonly threads: WorkerThreads;
  /** Milliseconds the worker spent on the last plan it finished (its own clock). */
  lastMs = 0;

  constructor(engine: WasmInference) {
    this.threads = workerThreads();
    const { base, bytes } = engine.weightsSnapshot();
    if (shared === null) {
      const bell = new Int32Array(new SharedArrayBuffer(8));
      const worker = new this.threads.Worker(WORKER_SOURCE, { eval: true, workerData: { wasm: KERNELS_WASM_BASE64, names: PLAN_KERNELS, bell } });
      worker.unref();
      shared = { worker, bell, users: 0, nextId: 0 };
    }
    shared.users++;
    this.host = shared;
    this.id = this.host.nextId++;
    this.mailbox = new SharedArrayBuffer(INITIAL_BYTES);
    this.state = new Int32Array(this.mailbox, 0, 1);
    this.host.worker.postMessage({ type: 'add', id: this.id, base, weights: bytes, mailbox: this.mailbox }, [bytes.buffer as ArrayBuffer]);
    ring(this.host);
  }

  /** Writes a plan, whose inputs are `input` (the bytes `[plan.inputAt, plan.inputEnd)`), into the mailbox and rings. */
  start(plan: Plan, input: Uint8Array): void {
    const { calls, inputAt, top, outAt, outBytes } = plan;
    const words = calls.reduce((n, c) => n + c.length + 1, 0);
    const dataAt = HEADER * 8 + words * 8;
    const need = dataAt + Math.max(input.byteLength, outBytes);
    if (need > this.mailbox.byteLength) {
      this.mailbox = new SharedArrayBuffer(Math.max(need, 2 * this.mailbox.byteLength));
      this.state = new Int32Array(this.mailbox, 0, 1);
      this.host.worker.postMessage({ type: 'mailbox', id: this.id, mailbox: this.mailbox });
    }
    const head = new Float64Array(this.mailbox, 0, HEADER);
    head[1] = inputAt;
    head[2] = input.byteLength;
    head[3] = top;
    head[4] = outAt;
    head[5] = outBytes;
    head[6] = words;
    const out = new Float64Array(this.mailbox, HEADER * 8, words);
    let q = 0;
    for (const [name, ...args] of calls) {
      out[q++] = PLAN_KERNELS.indexOf(name);
      out[q++] = args.length;
      for (const a of args) out[q++] = a;
    }
    new Uint8Array(this.mailbox, dataAt, input.byteLength).set(input);
    Atomics.store(this.state, 0, REQUEST);
    ring(this.host);
  }

  /** The plan's output rows (a copy). */
  finish(): Float32Array {
    const until = performance.now() + SPIN_MS;
    while (Atomics.load(this.state, 0) === REQUEST && performance.now() < until);
    // A wake-up is not an answer: the worker's notify of the previous request can land late (it
    // stores DONE, this thread sees it, returns and starts the next request before the worker
    // gets to notify), so the state is checked again after every wait.
    const deadline = performance.now() + TIMEOUT_MS;
    while (Atomics.load(this.state, 0) === REQUEST) {
      const left = deadline - performance.now();
      if (left <= 0) throw new KernelError('InferenceBiLstm', `worker thread did not answer within ${TIMEOUT_MS / 1000} s; use threads: 1`, 'WORKER_FAILED');
      Atomics.wait(this.state, 0, REQUEST, left);
    }
    const state = Atomics.load(this.state, 0);
    const head = new Float64Array(this.mailbox, 0, HEADER);
    Atomics.store(this.state, 0, IDLE);
    if (state !== DONE) {
      const length = new Int32Array(this.mailbox, HEADER * 8, 1)[0];
      const error = state === FAILED ? new TextDecoder().decode(new Uint8Array(this.mailbox, HEADER * 8 + 4, length).slice()) : `state ${state}`;
      throw new KernelError('InferenceBiLstm', `worker thread failed: ${error}; use threads: 1`, 'WORKER_FAILED');
    }
    this.lastMs = head[7];
    const dataAt = HEADER * 8 + head[6] * 8;
    return new Float32Array(this.mailbox.slice(dataAt, dataAt + head[5]));
  }

  /** Leaves the thread; the last network to leave ends it. */
  async terminate(): Promise<number> {
    const host = this.host;
    host.worker.postMessage({ type: 'remove', id: this.id });
    ring(host);
    if (--host.users > 0) return 0;
    if (shared === host) shared = null;
    // (the stop word ends the worker's loop; terminate() ends the thread in any case)
    Atomics.store(host.bell, 1, 1);
    ring(host);
    return host.worker.terminate();
  }
}
