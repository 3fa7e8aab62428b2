import path from 'node:path';

/** The shared data folder: `TWNER_SHARED_DIR`, else `shared/` beside the repository. */
export const SHARED_DIR = process.env.TWNER_SHARED_DIR ?? path.resolve(__dirname, '../../../../shared');
export const WNUT16 = path.join(SHARED_DIR, 'data/wnut16');
