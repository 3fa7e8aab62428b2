import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.base';

// Four entries: the tfjs-free tagger, the same without Node built-ins (browsers), the training
// side (tfjs), and the child process that trains an ensemble member. `shims` gives the ESM build `__dirname` (members.ts finds its script).
export default defineConfig({ ...baseConfig, entry: { index: 'src/index.ts', browser: 'src/browser.ts', train: 'src/train.ts', 'member-main': 'src/train/member-main.ts' }, shims: true });
