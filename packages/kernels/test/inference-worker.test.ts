// The worker thread behind `threads: 2`, driven directly: plans go through a shared mailbox, a
// kernel that traps there comes back as a KernelError naming the trap (not a hang), and the
// thread goes on serving the next plan.
import { InferenceWorker } from '../src/inference-worker';
import type { Plan, WasmInference } from '../src/inference-wasm';
import { KernelArena } from '../src/wasm-kernels';

/** A stand-in for WasmInference: no weights, just where they would start. */
function engine(arena: KernelArena): WasmInference {
  return { weightsSnapshot: () => ({ base: arena.k.heapBase(), bytes: new Uint8Array(16) }) } as unknown as WasmInference;
}

/** Kernel calls that keep the worker busy a while: `count` products of n × n zeros in the 3 · n² floats from `scratch`, and where that scratch ends. */
function busyCalls(scratch: number, count: number): { calls: unknown[][]; end: number } {
  const n = 384;
  const [a, b, c] = [scratch, scratch + n * n * 4, scratch + 2 * n * n * 4];
  return { calls: Array.from({ length: count }, () => ['gemmAcc', c, n, a, n, b, n, n, n, n]), end: scratch + 3 * n * n * 4 };
}

/** A plan that copies row `index` of a 2 × 4 input into its output (gatherRows). */
function copyPlan(arena: KernelArena, rows: number[][], index: number): { plan: Plan; input: Uint8Array } {
  const at = arena.mark();
  const src = arena.alloc(rows.length * 16);
  arena.f32(src, rows.length * 4).set(rows.flat());
  const idx = arena.alloc(16);
  arena.i32(idx, 1)[0] = index;
  const out = arena.alloc(16);
  const end = arena.mark();
  const plan = { calls: [['gatherRows', out, src, idx, 1, 4]], inputAt: at, inputEnd: out, top: end, outAt: out, outBytes: 16 } as unknown as Plan;
  const input = new Uint8Array(arena.k.memory.buffer, at, out - at).slice();
  arena.release(at);
  return { plan, input };
}

describe('InferenceWorker', () => {
  it('runs plans through its mailbox, reports a trapping kernel as a KernelError, and serves the next plan', async () => {
    const arena = new KernelArena();
    arena.alloc(64); // (the snapshot's 16 bytes lie below the plans)
    const worker = new InferenceWorker(engine(arena));
    const good = copyPlan(arena, [[1, 2, 3, 4], [5, 6, 7, 8]], 1);
    const t1 = worker.start(good.plan, good.input);
    expect(Array.from(worker.finish(t1).rows)).toEqual([5, 6, 7, 8]);
    expect(() => worker.finish(t1)).toThrow(/already collected/);
    // row 2^26 of the source lies 1 GiB up, far past the worker's memory
    const bad = copyPlan(arena, [[1, 2, 3, 4], [5, 6, 7, 8]], 2 ** 26);
    const t2 = worker.start(bad.plan, bad.input);
    expect(() => worker.finish(t2)).toThrow(/worker thread failed: RuntimeError: memory access out of bounds; use threads: 1/);
    const again = copyPlan(arena, [[9, 8, 7, 6], [5, 4, 3, 2]], 0);
    const t3 = worker.start(again.plan, again.input);
    const done = worker.finish(t3);
    expect(Array.from(done.rows)).toEqual([9, 8, 7, 6]);
    expect(done.ms).toBeGreaterThanOrEqual(0);
    await worker.terminate();
  });

  it('holds two plans of a network at once, numbers them in the order they were started across networks, and refuses a third', async () => {
    const arena = new KernelArena();
    arena.alloc(64);
    const [w1, w2] = [new InferenceWorker(engine(arena)), new InferenceWorker(engine(arena))];
    // Each plan copies a row into the same output address, so each mailbox must hand back its own.
    const a = copyPlan(arena, [[1, 1, 1, 1], [2, 2, 2, 2]], 0);
    const b = copyPlan(arena, [[3, 3, 3, 3], [4, 4, 4, 4]], 1);
    const c = copyPlan(arena, [[5, 5, 5, 5], [6, 6, 6, 6]], 0);
    const ta = w1.start(a.plan, a.input);
    const tc = w2.start(c.plan, c.input);
    const tb = w1.start(b.plan, b.input);
    expect(w1.inFlight).toBe(2);
    expect(() => w1.start(a.plan, a.input)).toThrow(/already has 2 batches on the worker thread/);
    expect([ta.seq, tc.seq, tb.seq]).toEqual([ta.seq, ta.seq + 1, ta.seq + 2]);
    expect(tb.slot).not.toBe(ta.slot);
    // collected out of order: each mailbox holds its own plan's rows
    expect(Array.from(w1.finish(tb).rows)).toEqual([4, 4, 4, 4]);
    expect(Array.from(w2.finish(tc).rows)).toEqual([5, 5, 5, 5]);
    expect(Array.from(w1.finish(ta).rows)).toEqual([1, 1, 1, 1]);
    expect(w1.inFlight).toBe(0);
    await w1.terminate();
    await w2.terminate();
  });

  it("runs a network's older plan first even when it sits in the later mailbox", async () => {
    const arena = new KernelArena();
    arena.alloc(64);
    // (w2 joins the worker first: a scan in order of networks and mailboxes would meet its slow
    // plan first, then w1's newer plan before the older one)
    const w2 = new InferenceWorker(engine(arena));
    const w1 = new InferenceWorker(engine(arena));
    // Addresses shared by the plans: inputs [at, x), then x (16 bytes no input covers, so it keeps
    // what the last plan of the network wrote there), then scratch.
    const at = arena.mark();
    const src = arena.alloc(16);
    const idx = arena.alloc(16);
    const x = arena.alloc(16);
    const out = arena.alloc(16);
    const top = arena.mark();
    arena.f32(src, 4).set([7, 7, 7, 7]);
    arena.i32(idx, 4).fill(0);
    const input = new Uint8Array(arena.k.memory.buffer, at, x - at).slice();
    arena.release(at);
    const plan = (calls: unknown[][], outAt: number): Plan => ({ calls, inputAt: at, inputEnd: x, top, outAt, outBytes: 16 }) as unknown as Plan;
    const write = plan([['gatherRows', x, src, idx, 1, 4]], x); // x = [7, 7, 7, 7]
    const read = plan([['gatherRows', out, x, idx, 1, 4]], out); // out = x
    const busy = busyCalls(top, 60);
    const slow = { ...plan(busy.calls, out), top: busy.end } as unknown as Plan;
    const first = w1.start(plan([], out), input); // mailbox 0, done but not yet collected:
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    w2.start(slow, input); // keeps the worker busy
    const older = w1.start(write, input); // mailbox 1
    w1.finish(first); // mailbox 0 is free again while the worker is still on the slow plan
    const newer = w1.start(read, input);
    expect([first.slot, older.slot, newer.slot]).toEqual([0, 1, 0]);
    expect(Array.from(w1.finish(newer).rows)).toEqual([7, 7, 7, 7]); // it ran after the write
    expect(Array.from(w1.finish(older).rows)).toEqual([7, 7, 7, 7]);
    await w1.terminate();
    await w2.terminate();
  });

  it('says without waiting whether a request has ended (ready): not while it waits behind a slow plan, then yes, and finish gives its rows', async () => {
    const arena = new KernelArena();
    arena.alloc(64);
    const slowNet = new InferenceWorker(engine(arena));
    const net = new InferenceWorker(engine(arena));
    const copy = copyPlan(arena, [[1, 2, 3, 4], [5, 6, 7, 8]], 1);
    const busy = busyCalls(copy.plan.top, 60);
    const slow = { ...copy.plan, calls: busy.calls, top: busy.end } as unknown as Plan;
    const slowTicket = slowNet.start(slow, copy.input);
    const ticket = net.start(copy.plan, copy.input); // runs after the slow plan (the order started)
    expect(net.ready(ticket)).toBe(false);
    expect(slowNet.ready(slowTicket)).toBe(false);
    let polls = 0;
    while (!net.ready(ticket)) {
      polls++;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
    expect(polls).toBeGreaterThan(0);
    expect(slowNet.ready(slowTicket)).toBe(true); // it ran first
    expect(Array.from(net.finish(ticket).rows)).toEqual([5, 6, 7, 8]);
    slowNet.finish(slowTicket);
    await net.terminate();
    await slowNet.terminate();
  });

  it('waits for the answer through wake-ups that are not one (a late notify of an earlier request)', async () => {
    const arena = new KernelArena();
    arena.alloc(64);
    const worker = new InferenceWorker(engine(arena));
    // A plan that keeps the worker busy a while (products over zeroed scratch), then copies a row.
    const { plan, input } = copyPlan(arena, [[1, 2, 3, 4], [5, 6, 7, 8]], 1);
    const busy = busyCalls(plan.top, 40);
    const slow = { ...plan, calls: [...busy.calls, ...plan.calls], top: busy.end } as unknown as Plan;
    // Another thread notifies the mailbox's state word over and over, as a late notify would.
    const { Worker } = await import('node:worker_threads');
    const mailbox = (worker as unknown as { slots: { mailbox: SharedArrayBuffer }[] }).slots[0].mailbox;
    const stop = new Int32Array(new SharedArrayBuffer(4));
    let ms = 0;
    const noise = new Worker(
      'const { workerData: { mailbox, stop } } = require("node:worker_threads"); const s = new Int32Array(mailbox, 0, 1); const t = new Int32Array(stop); while (Atomics.load(t, 0) === 0) Atomics.notify(s, 0);',
      { eval: true, workerData: { mailbox, stop: stop.buffer } },
    );
    try {
      for (let i = 0; i < 3; i++) {
        const ticket = worker.start(slow, input);
        expect(ticket.slot).toBe(0);
        const done = worker.finish(ticket);
        expect(Array.from(done.rows)).toEqual([5, 6, 7, 8]);
        ms = done.ms;
      }
    } finally {
      Atomics.store(stop, 0, 1);
      await noise.terminate();
    }
    expect(ms).toBeGreaterThan(2); // longer than the spin: finish() did wait
    await worker.terminate();
  }, 60_000);

  it('keeps serving when the doorbell count wraps past 2^31 (a long-running service rings it billions of times)', async () => {
    const arena = new KernelArena();
    arena.alloc(64);
    const worker = new InferenceWorker(engine(arena));
    const bell = (worker as unknown as { host: { bell: Int32Array } }).host.bell;
    Atomics.store(bell, 0, 2 ** 31 - 3); // three rings from the largest Int32
    for (let i = 0; i < 6; i++) {
      const plan = copyPlan(arena, [[i, 2, 3, 4], [5, 6, 7, i]], i % 2);
      const ticket = worker.start(plan.plan, plan.input);
      expect(Array.from(worker.finish(ticket).rows)).toEqual(i % 2 === 0 ? [i, 2, 3, 4] : [5, 6, 7, i]);
    }
    expect(Atomics.load(bell, 0)).toBeLessThan(0); // it did wrap
    await worker.terminate();
  }, 200_000);
});
