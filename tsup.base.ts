import type { Options } from 'tsup';

/** Shared tsup settings: ESM + CJS + .d.ts for Node 18+, one entry per package. */
export const baseConfig: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node18',
  splitting: false,
  treeshake: true,
};
