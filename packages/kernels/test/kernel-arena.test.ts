import { KernelError } from '../src';
import { KernelArena } from '../src/wasm-kernels';

describe('KernelArena', () => {
  it('throws KernelError OUT_OF_MEMORY (not a RangeError) when the WebAssembly memory cannot grow, and stays usable', () => {
    const arena = new KernelArena();
    const top = arena.mark();
    let error: unknown;
    try {
      arena.alloc(2 ** 32); // more than a 32-bit WebAssembly memory can ever hold
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KernelError);
    expect(error).toMatchObject({ code: 'OUT_OF_MEMORY', op: 'KernelArena' });
    expect((error as Error).message).toMatch(/pass fewer or shorter tweets per call/);
    expect(arena.mark()).toBe(top);
    const ptr = arena.alloc(64, true);
    expect(Array.from(arena.f32(ptr, 16))).toEqual(new Array(16).fill(0));
  });
});
