import { CHAINS, measurePeakGflops, peakAvailable, peakModule } from '../bench/peak-flops';

// The bench's hand-encoded WebAssembly module must compute what its comment says (else its GFLOP/s
// count FLOP it never does): CHAINS independent chains a ← a·m + c in float32, summed at the end.

/** The same computation in JavaScript, every operation rounded to float32 as f32x4 rounds it. */
function simulate(iterations: number): number {
  const f = Math.fround;
  const [m, c] = [f(0.999_9), f(1e-4)];
  const a = Array.from({ length: CHAINS }, (_, i) => f(1 + i / 16));
  for (let n = 0; n < iterations; n++) for (let i = 0; i < CHAINS; i++) a[i] = f(f(a[i] * m) + c);
  return a.reduce((sum, x) => f(sum + x));
}

describe('the SIMD peak module', () => {
  it('runs CHAINS multiply-add chains per iteration, as simulated in float32', async () => {
    expect(peakAvailable('mul-add')).toBe(true);
    const wasm = (globalThis as { WebAssembly?: { instantiate(bytes: Uint8Array): Promise<{ instance: { exports: { peak: (n: number) => number } } }> } }).WebAssembly;
    if (!wasm) throw new Error('this test needs WebAssembly');
    const { peak } = (await wasm.instantiate(peakModule('mul-add'))).instance.exports;
    for (const n of [1, 2, 1000, 12345]) expect(peak(n)).toBe(simulate(n));
  });

  it('measures a positive rate on worker threads', async () => {
    const gflops = await measurePeakGflops('mul-add', 2, { iterations: 10_000, warmUpMs: 1 });
    expect(gflops).toBeGreaterThan(0);
    expect(Number.isFinite(gflops)).toBe(true);
  });
});
