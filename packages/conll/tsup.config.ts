import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.base';

// Two entries: everything (`.`), and `./text` without the file and stream readers — no Node
// built-ins, so it bundles for browsers (the `browser` condition of `.` points to it).
export default defineConfig({ ...baseConfig, entry: ['src/index.ts', 'src/text.ts'] });
