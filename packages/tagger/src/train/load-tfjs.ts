import { modelGazetteer, type LoadTaggerOptions } from '../load';
import { loadTfjsEngine } from '../run-folder/bundle';
import { openRunFolder } from '../run-folder/format';
import { resolveModel } from '../run-folder/resolve-model';
import { Tagger } from '../tagger';

/** Loads a tagger on the tfjs engine (any model tfjs can express; slower than `loadTagger`). */
export async function loadTaggerTfjs(model?: string, options: Pick<LoadTaggerOptions, 'gazetteer' | 'lexiconDir'> = {}): Promise<Tagger> {
  const source = resolveModel(model);
  const run = await openRunFolder(source.dir);
  const gazetteer = await modelGazetteer(source.dir, run.config.gazetteerLists, options);
  const engine = await loadTfjsEngine(run, gazetteer);
  return new Tagger({ config: run.config, crfs: run.crfs, engine, dir: source.dir, source: source.package ? `${source.package.name}@${source.package.version}` : source.dir });
}
