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
