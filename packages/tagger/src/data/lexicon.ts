import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildGazetteer, type Gazetteer } from '../features/gazetteer';
import { LEXICON_FILES, lexiconSpec, locateDataset, type LocatedDataset } from './locate';

/** Reads the WNUT16 gazetteer files of a folder into one {@link Gazetteer}. */
export async function loadLexicon(dir: string, names: readonly string[] = LEXICON_FILES): Promise<Gazetteer> {
  const lists = await Promise.all(
    names.map(async (name) => ({
      name,
      text: await readFile(join(dir, name), 'utf8'),
    })),
  );
  return buildGazetteer(lists);
}

/**
 * Finds the WNUT16 gazetteer folder like the data (`dir`, `$TWNER_LEXICON_DIR`, `../shared`,
 * cache, download) and reads the lists `names` from it.
 */
export async function findLexicon(
  dir: string | undefined,
  options: { log?: (line: string) => void; names?: readonly string[] } = {},
): Promise<{ gazetteer: Gazetteer; located: LocatedDataset }> {
  const located = await locateDataset(lexiconSpec(), { dir, log: options.log });
  return { gazetteer: await loadLexicon(located.dir, options.names), located };
}
