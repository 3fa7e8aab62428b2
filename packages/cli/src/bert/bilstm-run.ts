/**
 * The BiLSTM-CRF run folders of `twner run` / `twner train bilstm-crf` as a {@link RunTagger}
 * for `twner compare` (loaded with the BiLSTM-CRF example's own bundle reader).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findLexicon } from '@twner/tagger';
import { loadTagger } from '../load-tagger';
import { isBertRun } from './run-dir';
import type { RunLoader } from './run-tagger';

/** A loader for BiLSTM-CRF runs; `lexiconDir` is used when the model has gazetteer features. */
export function bilstmRunLoader(lexiconDir?: string): RunLoader {
  return async (runDir) => {
    if (!existsSync(join(runDir, 'config.json')) || (await isBertRun(runDir))) return undefined;
    const config = JSON.parse(await readFile(join(runDir, 'config.json'), 'utf8')) as { gazetteerLists?: string[] };
    const lists = config.gazetteerLists ?? [];
    const gazetteer = lists.length > 0 ? (await findLexicon(lexiconDir, { names: lists })).gazetteer : null;
    const tagger = await loadTagger(runDir, { engine: 'auto', gazetteer });
    return {
      kind: 'bilstm-crf',
      tagWords: async (sentences) => tagger.tagTokens(sentences).map((t) => t.tags),
      dispose: () => tagger.dispose(),
    };
  };
}
