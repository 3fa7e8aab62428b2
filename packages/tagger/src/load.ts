import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findLexicon, loadLexicon } from './data/lexicon';
import type { Gazetteer } from './features/gazetteer';
import { openRunFolder, type RunFolder } from './run-folder/format';
import type { EmissionEngine } from './engine';
import { resolveModel } from './run-folder/resolve-model';
import type { ServingOptions } from './serving/serving-engine';
import { loadServingEngine } from './serving/load-serving';
import { Tagger } from './tagger';
import { EXIT_USAGE, TaggerError } from './errors';

/** Options of {@link loadTagger}. */
export interface LoadTaggerOptions extends ServingOptions {
  /** The gazetteer, when the model uses one (default: the lists shipped in the model folder's `lexicon/`, else located like the training data). */
  gazetteer?: Gazetteer | null;
  /** Where to look for the gazetteer lists (else `$TWNER_LEXICON_DIR`, `../shared/data/wnut16-lexicon`, cache, download). */
  lexiconDir?: string;
  /**
   * Tag with the first `members` networks of an ensemble only (default: all of them). The
   * shipped two-member model with `members: 1` tags about 1.4–1.8× as many tweets a second, at a
   * test F1 of 0.4555 instead of 0.4696.
   */
  members?: number;
}

const KNOWN = new Set(['threads', 'kernels', 'tokenRows', 'precision', 'gazetteer', 'lexiconDir', 'members']);

/** The run with only its first `members` networks (and their CRFs); all of them when undefined. */
export function keepMembers(run: RunFolder, members: number | undefined): RunFolder {
  if (members === undefined) return run;
  const n = run.netDirs.length;
  if (!Number.isInteger(members) || members < 1 || members > n) {
    throw new TaggerError(`option "members" must be an integer from 1 to ${n} (the model at ${run.dir} has ${n} network${n === 1 ? '' : 's'}), got ${JSON.stringify(members)}`, EXIT_USAGE);
  }
  if (members === n) return run;
  const seeds = (run.config.ensemble?.seeds ?? [run.config.model.seed]).slice(0, members);
  return { ...run, config: { ...run.config, ensemble: { seeds } }, netDirs: run.netDirs.slice(0, members), crfs: run.crfs.slice(0, members) };
}

/** The gazetteer a model needs: given, shipped in `<model>/lexicon/`, or located. */
export async function modelGazetteer(dir: string, names: readonly string[], options: Pick<LoadTaggerOptions, 'gazetteer' | 'lexiconDir'>): Promise<Gazetteer | null> {
  if (names.length === 0) return null;
  if (options.gazetteer) return options.gazetteer;
  const shipped = join(dir, 'lexicon');
  if (options.lexiconDir === undefined && existsSync(shipped)) return loadLexicon(shipped, names);
  return (await findLexicon(options.lexiconDir, { names })).gazetteer;
}

/**
 * Loads a tagger without tfjs: `model` is a run folder or an installed model package (default:
 * the ready-trained `@twner/model-wnut16`).
 *
 * ```ts no-run
 * const tagger = await loadTagger();
 * tagger.tag('Watching the Yankees at Fenway with @john').entities;
 * ```
 */
export async function loadTagger(model?: string, options: LoadTaggerOptions = {}): Promise<Tagger> {
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) {
      throw new TaggerError(`loadTagger: unknown option "${key}" (known: ${[...KNOWN].join(', ')})`, EXIT_USAGE);
    }
  }
  const opened = await openModel(model, options);
  return opened.tagger(await loadServingEngine(opened.run, { ...options, gazetteer: opened.gazetteer }));
}

/**
 * A model found (`resolveModel`), its run folder checked (`openRunFolder`), cut to its first
 * `members` networks if asked, and its gazetteer loaded: what both engines start from;
 * `tagger(engine)` puts it together.
 */
export async function openModel(
  model: string | undefined,
  options: Pick<LoadTaggerOptions, 'gazetteer' | 'lexiconDir' | 'members'>,
): Promise<{ run: RunFolder; gazetteer: Gazetteer | null; tagger: (engine: EmissionEngine) => Tagger }> {
  const source = resolveModel(model);
  const run = keepMembers(await openRunFolder(source.dir), options.members);
  const gazetteer = await modelGazetteer(source.dir, run.config.gazetteerLists, options);
  const label = source.package ? `${source.package.name}@${source.package.version}` : source.dir;
  return { run, gazetteer, tagger: (engine) => new Tagger({ config: run.config, crfs: run.crfs, engine, dir: source.dir, source: label }) };
}
