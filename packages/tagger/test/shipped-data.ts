// What the tests of the shipped model read: ../shared's WNUT16 test split and gazetteers, and the
// installed model package. `haveData` is false on a machine without ../shared; with CI set, that
// is an error instead (the tests must run there, not skip).
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SHARED = process.env.TWNER_SHARED_DIR ?? path.resolve(__dirname, '../../../../shared');
export const LEXICON = path.join(SHARED, 'data/wnut16-lexicon');
export const TEST = path.join(SHARED, 'data/wnut16/test.conll');
export const MODEL = path.dirname(require.resolve('@twner/model-wnut16/package.json'));
export const haveData = fs.existsSync(LEXICON) && fs.existsSync(TEST);
if (!haveData && process.env.CI) throw new Error(`${LEXICON} or ${TEST} missing, and CI is set: ../shared must sit beside the repository`);
