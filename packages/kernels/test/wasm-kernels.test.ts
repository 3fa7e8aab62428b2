import { KernelArena, pad4 } from '../src/wasm-kernels';

/** Seeded values in [-scale, scale]. */
function values(n: number, seed: number, scale: number): Float32Array {
  let s = seed >>> 0;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return a;
}

describe('wasm kernels', () => {
  const arena = new KernelArena();

  it.each([
    ['tanh', (x: number) => Math.tanh(x), 'tanhArray'],
    ['sigmoid', (x: number) => 1 / (1 + Math.exp(-x)), 'sigmoidArray'],
  ] as const)('%s is within 2e-7 of Math over [-100, 100], tiny and extreme inputs', (_name, truth, kernel) => {
    const xs = new Float32Array([...values(4000, 1, 8), ...values(1000, 2, 1e-3), ...values(1000, 3, 100), 0, -0, 1e-30, -1e-30, 88, -88, 1e4, -1e4]);
    const n = pad4(xs.length);
    const mark = arena.mark();
    const inPtr = arena.alloc(n * 4, true);
    const outPtr = arena.alloc(n * 4);
    arena.f32(inPtr, n).set(xs);
    arena.k[kernel](outPtr, inPtr, n);
    const out = arena.f32(outPtr, n);
    let worst = 0;
    xs.forEach((x, i) => (worst = Math.max(worst, Math.abs(out[i] - truth(x)))));
    arena.release(mark);
    expect(worst).toBeLessThan(2e-7);
  });

  it.each([
    [1, 5, 4],
    [3, 7, 12],
    [4, 52, 208],
    [9, 13, 36],
    [6, 1, 20],
  ])('gemmAcc adds A[%i, %i] · B[·, %i] to C like the naive triple loop', (m, k, n) => {
    const a = values(m * k, 4, 1);
    const b = values(k * n, 5, 1);
    const c = values(m * n, 6, 1);
    const mark = arena.mark();
    const [pa, pb, pc] = [arena.alloc(a.length * 4), arena.alloc(b.length * 4), arena.alloc(c.length * 4)];
    arena.f32(pa, a.length).set(a);
    arena.f32(pb, b.length).set(b);
    arena.f32(pc, c.length).set(c);
    arena.k.gemmAcc(pc, n, pa, k, pb, n, m, k, n);
    const out = arena.f32(pc, c.length);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = c[i * n + j];
        for (let p = 0; p < k; p++) sum += a[i * k + p] * b[p * n + j];
        expect(Math.abs(out[i * n + j] - sum)).toBeLessThan(1e-5);
      }
    }
    arena.release(mark);
  });
});
