import * as vm from 'node:vm';
import * as nodePath from 'node:path';
import { browserBundle } from '../../../test-utils/browser-bundle';
import * as main from '../src';
import * as decoder from '../src/decoder-entry';

const SRC = nodePath.join(__dirname, '..', 'src');

describe('@twner/crf/decoder', () => {
  it('bundles for the browser without tfjs or any Node built-in', async () => {
    const { inputs, imports } = await browserBundle(SRC, 'decoder-entry.ts', 'esm');
    expect(inputs.filter((f) => f.includes('@tensorflow'))).toEqual([]);
    expect(imports).toEqual([]);
  });

  it('is told apart from the main entry, which does load tfjs (so the check above can fail)', async () => {
    const { inputs } = await browserBundle(SRC, 'index.ts', 'esm');
    expect(inputs.some((f) => f.includes('@tensorflow/tfjs'))).toBe(true);
  });

  it('decodes under IOB2 constraints in a bare JavaScript context (no require, process or tfjs)', async () => {
    const { code } = await browserBundle(SRC, 'decoder-entry.ts', 'iife');
    const context = vm.createContext({});
    vm.runInContext(code, context);
    const api = (context as { twner: typeof decoder }).twner;
    const labels = ['O', 'B-person', 'I-person'];
    const weights = { transitions: [0, 0, 0, 0, 0, 1, 0, 0, 0], constraints: api.allowedTransitions(labels, 'IOB2') };
    const emissions = [0, 0, 5, 0, 1, 3]; // I-person first is forbidden
    expect(Array.from(api.viterbi(emissions, weights).path)).toEqual(Array.from(main.viterbi(emissions, { ...weights, constraints: main.allowedTransitions(labels, 'IOB2') }).path));
  });

  it('exports the same bindings as the main entry', () => {
    for (const [name, value] of Object.entries(decoder)) expect((main as Record<string, unknown>)[name]).toBe(value);
  });
});
