import { loadTagger as loadServing, openRunFolder, resolveModel, servingSupport, type Gazetteer, type Tagger } from '@twner/tagger';
import { importTrain } from './tfjs';

export type EngineName = 'auto' | 'serving' | 'tfjs';

/** Loads a model for tagging: the tfjs-free serving engine where it can run the model (`auto`), else tfjs. */
export async function loadTagger(
  model: string | undefined,
  options: { engine: EngineName; threads?: 1 | 2; lexiconDir?: string; gazetteer?: Gazetteer | null; log?: (line: string) => void },
): Promise<Tagger> {
  const source = resolveModel(model);
  const run = await openRunFolder(source.dir);
  const support = servingSupport(run.config);
  const common = { ...(options.lexiconDir ? { lexiconDir: options.lexiconDir } : {}), ...(options.gazetteer ? { gazetteer: options.gazetteer } : {}) };
  if (options.engine === 'serving' || (options.engine === 'auto' && support.ok)) {
    const tagger = await loadServing(model, { ...common, threads: options.threads ?? 1 });
    options.log?.(`Engine: ${tagger.engine.description}`);
    return tagger;
  }
  const train = await importTrain();
  await train.selectBackend('auto');
  const tagger = await train.loadTaggerTfjs(model, common);
  options.log?.(`Engine: ${tagger.engine.description}${support.ok ? '' : ` — ${support.reason}`}`);
  return tagger;
}
