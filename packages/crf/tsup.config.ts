import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.base';

// Two entries: the main one and `@twner/crf/decoder`, which imports no tfjs.
export default defineConfig({ ...baseConfig, entry: { index: 'src/index.ts', decoder: 'src/decoder-entry.ts' }, splitting: true });
