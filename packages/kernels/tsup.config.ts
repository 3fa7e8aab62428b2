import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.base';

// Two entries: the main one and `@twner/kernels/inference`, which imports no tfjs.
export default defineConfig({ ...baseConfig, entry: { index: 'src/index.ts', inference: 'src/inference.ts' }, splitting: true });
