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
    worker.start(good.plan, good.input);
    expect(Array.from(worker.finish())).toEqual([5, 6, 7, 8]);
    // row 2^26 of the source lies 1 GiB up, far past the worker's memory
    const bad = copyPlan(arena, [[1, 2, 3, 4], [5, 6, 7, 8]], 2 ** 26);
    worker.start(bad.plan, bad.input);
    expect(() => worker.finish()).toThrow(/worker thread failed: RuntimeError: memory access out of bounds; use threads: 1/);
    const again = copyPlan(arena, [[9, 8, 7, 6], [5, 4, 3, 2]], 0);
    worker.start(again.plan, again.input);
    expect(Array.from(worker.finish())).toEqual([9, 8, 7, 6]);
    expect(worker.lastMs).toBeGreaterThanOrEqual(0);
    await worker.terminate();
  });

  it('waits for the answer through wake-ups that are not one (a late notify of an earlier request)', async () => {
    const arena = new KernelArena();
    arena.alloc(64);
    const worker = new InferenceWorker(engine(arena));
    // A plan that keeps the worker busy a while (products over zeroed scratch), then copies a row.
    const { plan, input } = copyPlan(arena, [[1, 2, 3, 4], [5, 6, 7, 8]], 1);
    const n = 384;
    const scratch = plan.top;
    const [a, b, c] = [scratch, scratch + n * n * 4, scratch + 2 * n * n * 4];
    const busy = Array.from({ length: 40 }, () => ['gemmAcc', c, n, a, n, b, n, n, n, n]);
    const slow = { ...plan, calls: [...busy, ...plan.calls], top: scratch + 3 * n * n * 4 } as unknown as Plan;
    // Another thread notifies the mailbox's state word over and over, as a late notify would.
    const { Worker } = await import('node:worker_threads');
    const mailbox = (worker as unknown as { mailbox: SharedArrayBuffer }).mailbox;
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const noise = new Worker(
      'const { workerData: { mailbox, stop } } = require("node:worker_threads"); const s = new Int32Array(mailbox, 0, 1); const t = new Int32Array(stop); while (Atomics.load(t, 0) === 0) Atomics.notify(s, 0);',
      { eval: true, workerData: { mailbox, stop: stop.buffer } },
    );
    try {
      for (let i = 0; i < 3; i++) {
        worker.start(slow, input);
        expect(Array.from(worker.finish())).toEqual([5, 6, 7, 8]);
      }
    } finally {
      Atomics.store(stop, 0, 1);
      await noise.terminate();
    }
    expect(worker.lastMs).toBeGreaterThan(2); // longer than the spin: finish() did wait
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
      worker.start(plan.plan, plan.input);
      expect(Array.from(worker.finish())).toEqual(i % 2 === 0 ? [i, 2, 3, 4] : [5, 6, 7, i]);
    }
    expect(Atomics.load(bell, 0)).toBeLessThan(0); // it did wrap
    await worker.terminate();
  }, 200_000);
});
