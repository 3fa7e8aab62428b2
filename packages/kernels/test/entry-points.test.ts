import * as vm from 'node:vm';
import * as nodePath from 'node:path';
import { browserBundle } from '../../../test-utils/browser-bundle';
import * as main from '../src';
import * as inference from '../src/inference';

const SRC = nodePath.join(__dirname, '..', 'src');

describe('@twner/kernels/inference', () => {
  it('bundles for the browser without tfjs or any Node built-in', async () => {
    const { inputs, imports } = await browserBundle(SRC, 'inference.ts', 'esm');
    expect(inputs.filter((f) => f.includes('@tensorflow'))).toEqual([]);
    expect(imports).toEqual([]);
  });

  it('is told apart from the main entry, which does load tfjs (so the check above can fail)', async () => {
    const { inputs } = await browserBundle(SRC, 'index.ts', 'esm');
    expect(inputs.some((f) => f.includes('@tensorflow/tfjs'))).toBe(true);
  });

  it('runs in a bare JavaScript context (no require, process or tfjs) on both kernels', async () => {
    const { code } = await browserBundle(SRC, 'inference.ts', 'iife');
    const context = vm.createContext({ WebAssembly: (globalThis as { WebAssembly?: unknown }).WebAssembly, atob });
    vm.runInContext(code, context);
    const api = (context as { twner: typeof inference }).twner;
    const weights = [
      Float32Array.from({ length: 5 * 2 }, (_, i) => (i % 3) - 1), // embeddings [5, 2]
      Float32Array.from({ length: 2 * 4 }, (_, i) => 0.1 * i), // forward kernel [2, 4] (H = 1)
      Float32Array.from([0.5, -0.5, 0.25, 1]), // recurrent kernel [1, 4]
      new Float32Array(4),
      Float32Array.from({ length: 2 * 4 }, (_, i) => -0.1 * i),
      Float32Array.from([0.5, 0.5, 0.5, 0.5]),
      new Float32Array(4),
      Float32Array.from([1, -1, 2, 0.5]), // dense kernel [2, 2]
      Float32Array.from([0, 0.1]),
    ];
    const config = { vocabSize: 5, embeddingDim: 2, lstmUnits: [1], dense: [{ units: 2, activation: 'linear' as const }] };
    const here = new main.InferenceBiLstm(weights, config, { kernels: 'typescript' }).forward([1, 4, 2]);
    for (const kernels of ['typescript', 'wasm'] as const) {
      const there = new api.InferenceBiLstm(weights, config, { kernels }).forward([1, 4, 2]);
      expect(Array.from(there).map((v) => v.toFixed(5))).toEqual(Array.from(here).map((v) => v.toFixed(5)));
    }
    expect(() => new api.InferenceBiLstm(weights, config, { kernels: 'wasm', threads: 2 })).toThrow(/threads 2 needs Node.js worker threads/);
  });

  it('exports the same bindings as the main entry', () => {
    for (const [name, value] of Object.entries(inference)) expect((main as Record<string, unknown>)[name]).toBe(value);
  });
});
