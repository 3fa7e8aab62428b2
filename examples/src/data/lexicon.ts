import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildGazetteer, type Gazetteer } from '../features/gazetteer';
import { LEXICON_FILES } from './locate';

/** Reads the WNUT16 gazetteer files of a folder into one {@link Gazetteer}. */
export async function loadLexicon(dir: string, names: readonly string[] = LEXICON_FILES): Promise<Gazetteer> {
  const lists = await Promise.all(
    names.map(async (name) => ({
      name,
      entries: (await readFile(join(dir, name), 'utf8')).split(/\r?\n/),
    })),
  );
  return buildGazetteer(lists);
}
