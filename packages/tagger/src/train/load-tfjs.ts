import { openModel, type LoadTaggerOptions } from '../load';
import { loadTfjsEngine } from '../run-folder/bundle';
import type { Tagger } from '../tagger';

/** Loads a tagger on the tfjs engine (any model tfjs can express; slower than `loadTagger`). */
export async function loadTaggerTfjs(model?: string, options: Pick<LoadTaggerOptions, 'gazetteer' | 'lexiconDir' | 'members'> = {}): Promise<Tagger> {
  const opened = await openModel(model, options);
  return opened.tagger(await loadTfjsEngine(opened.run, opened.gazetteer));
}
