import { defineConfig } from 'tsup';

// The CLI: one ESM bundle with a shebang; workspace packages and tfjs stay external
// (tfjs and BERT are imported only by the commands that need them).
export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  dts: false,
  clean: true,
  sourcemap: true,
  target: 'node18',
  banner: { js: '#!/usr/bin/env node' },
});
