import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.base';

// Two entries: the main one and `@twner/embeddings-glove/normalise` (no Node built-ins).
export default defineConfig({ ...baseConfig, entry: { index: 'src/index.ts', normalise: 'src/normalise.ts' }, splitting: true });
