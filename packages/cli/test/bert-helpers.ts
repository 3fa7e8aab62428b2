import * as path from 'node:path';
import { TaggerError } from '@twner/tagger';

/** `../shared` of the repository, or `$TWNER_SHARED_DIR`. */
export const SHARED_DIR = process.env.TWNER_SHARED_DIR ?? path.resolve(__dirname, '../../../../shared');
export const TINY_MODEL_DIR = path.join(SHARED_DIR, 'fixtures/hf-tiny-bert/model');
export const WNUT16_DIR = path.join(SHARED_DIR, 'data/wnut16');

export async function cliFailure(run: () => unknown): Promise<TaggerError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof TaggerError) return error;
    throw error;
  }
  throw new Error('expected a TaggerError');
}
