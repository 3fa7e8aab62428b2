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
 * A network's mailboxes: {@link SLOTS} SharedArrayBuffers that the calling thread and the worker
 * both read and write, so that a request costs no message and no wake-up of an event loop; a
 * network can have a batch running on the worker and the next one waiting there.
 *
 *   Int32 [0]  state: IDLE, REQUEST (written by the caller), DONE or FAILED (by the worker)
 *   Float64 [1…] header: inputAt, inputBytes, top, outAt, outBytes, call words, ms, sequence
 *   Float64 calls: per call its kernel index, its argument count, the arguments
 *   bytes: the plan's inputs in; its output rows back, at the same place
 *
 * The worker runs the requests of all networks in the order they were made (the sequence
 * number, counted per worker thread), so a plan always runs after every plan made before it.
 */
const IDLE = 0;
const REQUEST = 1;
const DONE = 2;
const FAILED = 3;
const HEADER = 9; // Float64 slots: [0] holds the state (as Int32 [0]), then 8 fields
/** Mailboxes per network: the batches it can have on the worker at once. */
export const SLOTS = 2;
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
const mailbox = (sab) => ({ sab, state: new Int32Array(sab, 0, 1), head: new Float64Array(sab, 0, ${HEADER}) });
const fail = (box, error) => {
  const text = new TextEncoder().encode(String(error)).subarray(0, box.sab.byteLength - ${HEADER * 8} - 4);
  new Int32Array(box.sab, ${HEADER * 8}, 1)[0] = text.length;
  new Uint8Array(box.sab, ${HEADER * 8} + 4, text.length).set(text);
  Atomics.store(box.state, 0, ${FAILED}); Atomics.notify(box.state, 0);
};
const handle = (m) => {
  if (m.type === 'add') {
    const net = { k: null, error: null, boxes: m.mailboxes.map(mailbox) };
    nets.set(m.id, net);
    try {
      if (typeof compiled === 'string') throw new Error(compiled);
      net.k = new WebAssembly.Instance(compiled, { env: { abort() { throw new Error('kernels.wasm: abort'); } } }).exports;
      ensure(net.k, m.base + m.weights.byteLength);
      new Uint8Array(net.k.memory.buffer, m.base, m.weights.byteLength).set(m.weights);
    } catch (e) { net.error = String(e); }
  } else if (m.type === 'mailbox') {
    const net = nets.get(m.id);
    if (net) net.boxes[m.slot] = mailbox(m.mailbox);
  } else if (m.type === 'remove') {
    nets.delete(m.id);
  }
};
const ensure = (k, end) => { const need = end - k.memory.buffer.byteLength; if (need > 0) k.memory.grow(Math.ceil(need / 65536)); };
const run = (net, box) => {
  try {
    if (net.error !== null) throw new Error(net.error);
    const t0 = performance.now();
    const h = box.head;
    const [inputAt, inputBytes, top, outAt, outBytes, words] = [h[1], h[2], h[3], h[4], h[5], h[6]];
    const k = net.k;
    ensure(k, top);
    const callsAt = ${HEADER * 8};
    const dataAt = callsAt + words * 8;
    new Uint8Array(k.memory.buffer, inputAt, inputBytes).set(new Uint8Array(box.sab, dataAt, inputBytes));
    const calls = new Float64Array(box.sab, callsAt, words);
    for (let q = 0; q < words;) {
      const f = k[NAMES[calls[q]]];
      const n = calls[q + 1];
      const a = new Array(n);
      for (let i = 0; i < n; i++) a[i] = calls[q + 2 + i];
      f.apply(null, a);
      q += 2 + n;
    }
    new Uint8Array(box.sab, dataAt, outBytes).set(new Uint8Array(k.memory.buffer, outAt, outBytes));
    h[7] = performance.now() - t0;
    Atomics.store(box.state, 0, ${DONE}); Atomics.notify(box.state, 0);
  } catch (e) { fail(box, e); }
};
/**
 * The next request of any network: the one made first (lowest sequence number), or null. The
 * port's messages come first: a request may sit in a mailbox that a message has just replaced.
 */
const next = () => {
  let m;
  while ((m = receiveMessageOnPort(parentPort)) !== undefined) handle(m.message);
  let best = null;
  for (const net of nets.values()) {
    for (const box of net.boxes) {
      if (Atomics.load(box.state, 0) === ${REQUEST} && (best === null || box.head[8] < best.box.head[8])) best = { net, box };
    }
  }
  return best;
};
for (;;) {
  const seen = Atomics.load(bell, 0);
  let job = next();
  if (Atomics.load(bell, 1) !== 0) break;
  for (; job !== null; job = next()) run(job.net, job.box);
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
  /** The sequence number of the next request (the worker runs requests in this order). */
  nextSeq: number;
}
let shared: Host | null = null;

/** How long `finish` waits for the worker before giving up. */
const TIMEOUT_MS = 120_000;

/** Rings the worker's doorbell (a new message or request is there). */
function ring(host: Host): void {
  Atomics.add(host.bell, 0, 1);
  Atomics.notify(host.bell, 0);
}

/** One of a network's mailboxes. */
interface Slot {
  mailbox: SharedArrayBuffer;
  state: Int32Array;
  /** A request was written here and not yet collected by `finish`. */
  busy: boolean;
}

function newSlot(bytes: number): Slot {
  const mailbox = new SharedArrayBuffer(bytes);
  return { mailbox, state: new Int32Array(mailbox, 0, 1), busy: false };
}

/** What {@link InferenceWorker.start} hands back: which mailbox, and the request's place in the worker's order. */
export interface WorkerTicket {
  slot: number;
  seq: number;
}

/**
 * A network's handle on the process's worker thread, which holds its own copy of the network's
 * kernels and weights, driven synchronously through shared mailboxes: `start` writes a planned
 * batch into a free one and rings the worker's doorbell, `finish` blocks (Atomics.wait) until
 * its rows are back. A network has {@link SLOTS} mailboxes, so a second batch can wait on the
 * worker while the first runs; the worker runs requests in the order they were started. All
 * networks share the one thread (an ensemble's members run one after the other there, not in
 * competition); it is unref'd (it never keeps the process alive), and `terminate` of the last
 * network ends it.
 */
export class InferenceWorker {
  private readonly host: Host;
  private readonly id: number;
  private readonly slots: Slot[];
  private readonly threads: WorkerThreads;

  constructor(engine: WasmInference) {
    this.threads = workerThreads();
    const { base, bytes } = engine.weightsSnapshot();
    if (shared === null) {
      const bell = new Int32Array(new SharedArrayBuffer(8));
      const worker = new this.threads.Worker(WORKER_SOURCE, { eval: true, workerData: { wasm: KERNELS_WASM_BASE64, names: PLAN_KERNELS, bell } });
      worker.unref();
      shared = { worker, bell, users: 0, nextId: 0, nextSeq: 0 };
    }
    shared.users++;
    this.host = shared;
    this.id = this.host.nextId++;
    this.slots = Array.from({ length: SLOTS }, () => newSlot(INITIAL_BYTES));
    this.host.worker.postMessage({ type: 'add', id: this.id, base, weights: bytes, mailboxes: this.slots.map((s) => s.mailbox) }, [bytes.buffer as ArrayBuffer]);
    ring(this.host);
  }

  /** Requests of this network started and not yet collected by `finish`. */
  get inFlight(): number {
    return this.slots.reduce((n, s) => n + (s.busy ? 1 : 0), 0);
  }

  /**
   * Writes a plan, whose inputs are `input` (the bytes `[plan.inputAt, plan.inputEnd)`), into a
   * free mailbox and rings. Throws when all {@link SLOTS} are taken.
   */
  start(plan: Plan, input: Uint8Array): WorkerTicket {
    const slot = this.slots.findIndex((s) => !s.busy);
    if (slot < 0) throw new ValueError('InferenceBiLstm', 'worker', `this network already has ${SLOTS} batches on the worker thread: finish one first`);
    const { calls, inputAt, top, outAt, outBytes } = plan;
    const words = calls.reduce((n, c) => n + c.length + 1, 0);
    const dataAt = HEADER * 8 + words * 8;
    const need = dataAt + Math.max(input.byteLength, outBytes);
    let box = this.slots[slot];
    if (need > box.mailbox.byteLength) {
      box = this.slots[slot] = newSlot(Math.max(need, 2 * box.mailbox.byteLength));
      this.host.worker.postMessage({ type: 'mailbox', id: this.id, slot, mailbox: box.mailbox });
    }
    const seq = this.host.nextSeq++;
    const head = new Float64Array(box.mailbox, 0, HEADER);
    head[1] = inputAt;
    head[2] = input.byteLength;
    head[3] = top;
    head[4] = outAt;
    head[5] = outBytes;
    head[6] = words;
    head[8] = seq;
    const out = new Float64Array(box.mailbox, HEADER * 8, words);
    let q = 0;
    for (const [name, ...args] of calls) {
      out[q++] = PLAN_KERNELS.indexOf(name);
      out[q++] = args.length;
      for (const a of args) out[q++] = a;
    }
    new Uint8Array(box.mailbox, dataAt, input.byteLength).set(input);
    box.busy = true;
    Atomics.store(box.state, 0, REQUEST);
    ring(this.host);
    return { slot, seq };
  }

  /** Whether the request `ticket` has ended on the worker (answered or failed), so that {@link finish} would not wait. */
  ready(ticket: WorkerTicket): boolean {
    const box = this.slots[ticket.slot];
    return !box.busy || Atomics.load(box.state, 0) !== REQUEST;
  }

  /** The output rows of the request `ticket` (a copy) and the milliseconds the worker spent on it (its own clock). */
  finish(ticket: WorkerTicket): { rows: Float32Array; ms: number } {
    const box = this.slots[ticket.slot];
    if (!box.busy) throw new ValueError('InferenceBiLstm', 'worker', 'this batch was already collected');
    const until = performance.now() + SPIN_MS;
    while (Atomics.load(box.state, 0) === REQUEST && performance.now() < until);
    // A wake-up is not an answer: the worker's notify of the previous request can land late (it
    // stores DONE, this thread sees it, returns and starts the next request before the worker
    // gets to notify), so the state is checked again after every wait.
    const deadline = performance.now() + TIMEOUT_MS;
    while (Atomics.load(box.state, 0) === REQUEST) {
      const left = deadline - performance.now();
      if (left <= 0) throw new KernelError('InferenceBiLstm', `worker thread did not answer within ${TIMEOUT_MS / 1000} s; use threads: 1`, 'WORKER_FAILED');
      Atomics.wait(box.state, 0, REQUEST, left);
    }
    const state = Atomics.load(box.state, 0);
    const head = new Float64Array(box.mailbox, 0, HEADER);
    Atomics.store(box.state, 0, IDLE);
    box.busy = false;
    if (state !== DONE) {
      const length = new Int32Array(box.mailbox, HEADER * 8, 1)[0];
      const error = state === FAILED ? new TextDecoder().decode(new Uint8Array(box.mailbox, HEADER * 8 + 4, length).slice()) : `state ${state}`;
      throw new KernelError('InferenceBiLstm', `worker thread failed: ${error}; use threads: 1`, 'WORKER_FAILED');
    }
    const dataAt = HEADER * 8 + head[6] * 8;
    return { rows: new Float32Array(box.mailbox.slice(dataAt, dataAt + head[5])), ms: head[7] };
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
