import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.base';

// Five entries: the tfjs-free tagger, the same without Node built-ins (browsers), the training
// side (tfjs), the child process that trains an ensemble member, and a tagger pool's thread. `shims` gives the ESM build `__dirname` (members.ts and tagger-pool.ts find their scripts).
export default defineConfig({ ...baseConfig, entry: { index: 'src/index.ts', browser: 'src/browser.ts', train: 'src/train.ts', 'member-main': 'src/train/member-main.ts', 'pool-worker': 'src/serving/pool-worker.ts' }, shims: true });
