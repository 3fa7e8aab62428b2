import { loadTagger as loadServing, type Gazetteer, type Tagger } from '@twner/tagger';
import { importTrain } from './tfjs';

export type EngineName = 'auto' | 'serving' | 'tfjs';

/** The serving engine's LSTM products (`--precision`). */
export type PrecisionName = 'int16' | 'float32';

/**
 * Loads a model for tagging: the tfjs-free serving engine (`auto`, `serving`; it runs both
 * architectures and ensembles, and names a layer it cannot express), or tfjs (`tfjs`).
 */
export async function loadTagger(
  model: string | undefined,
  options: { engine: EngineName; threads?: 1 | 2; precision?: PrecisionName; members?: number; lexiconDir?: string; gazetteer?: Gazetteer | null; log?: (line: string) => void },
): Promise<Tagger> {
  const common = {
    ...(options.lexiconDir ? { lexiconDir: options.lexiconDir } : {}),
    ...(options.gazetteer ? { gazetteer: options.gazetteer } : {}),
    ...(options.members !== undefined ? { members: options.members } : {}),
  };
  let tagger: Tagger;
  if (options.engine === 'tfjs') {
    const train = await importTrain();
    await train.selectBackend('auto');
    tagger = await train.loadTaggerTfjs(model, common);
  } else {
    tagger = await loadServing(model, { ...common, threads: options.threads ?? 1, ...(options.precision ? { precision: options.precision } : {}) });
  }
  options.log?.(`Engine: ${tagger.engine.description}`);
  return tagger;
}
