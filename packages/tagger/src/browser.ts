// @twner/tagger/browser: the tagger without Node built-ins — for browsers, workers and other
// JavaScript runtimes. The model's files and the gazetteer lists come from wherever the caller
// keeps them (fetch, IndexedDB, a bundle); tagging is the same code as in Node.
import { buildGazetteer } from './features/gazetteer';
import { checkCrf, checkRunConfig, netFolders, type SavedCrf } from './run-folder/config';
import { readModelJson, type ModelFiles } from './run-folder/model-files';
import { RunFolderError } from './errors';
import { servingEngineFromFiles } from './serving/serving-engine';
import { TweetTagger } from './tweet-tagger';

export { TweetTagger, averageSavedCrf } from './tweet-tagger';
export { tokenizeTweet, tokenizeTweetText, type TweetToken } from './tokenize/tweet-tokenizer';
export { entitiesOf, joinTokens, type Entity, type TaggedText, type TaggedToken } from './entities/entity';
export { buildGazetteer, type Gazetteer } from './features/gazetteer';
export { RunFolderError, TaggerError, type TaggerErrorCode } from './errors';
export type { ModelFiles } from './run-folder/model-files';
export type { RunConfig, SavedCrf } from './run-folder/config';
export type { EmissionEngine } from './engine';

/** Options of {@link taggerFromFiles}. */
export interface TaggerFromFilesOptions {
  /**
   * The text of a gazetteer list by name (one phrase per line), for models with gazetteer
   * features: the WNUT16 lists named in the model's `config.json` (`gazetteerLists`).
   */
  lexicon?: (name: string) => Promise<string>;
  /** Kernels of the engine (default: WebAssembly SIMD where the runtime has it). */
  kernels?: 'wasm' | 'typescript';
}

/**
 * A tagger from a run folder's files, read through `read(path)` (`config.json`, `vocab.json`,
 * `chars.json`, `model/model.json`, `model/weights.bin`, `model/crf.json`, `members/2/…`),
 * checked like `openRunFolder` checks a folder on disk.
 *
 * ```ts no-run
 * const base = '/models/wnut16/';
 * const tagger = await taggerFromFiles(
 *   (path) => fetch(base + path).then(async (r) => new Uint8Array(await r.arrayBuffer())),
 *   { lexicon: (name) => fetch(`/lexicon/${name}`).then((r) => r.text()) },
 * );
 * tagger.tag('Watching the Yankees at Fenway').entities;
 * ```
 */
export async function taggerFromFiles(read: (path: string) => Promise<Uint8Array>, options: TaggerFromFilesOptions & { where?: string } = {}): Promise<TweetTagger> {
  const files: ModelFiles = { where: options.where ?? 'model', read };
  const config = checkRunConfig(files.where, await readModelJson(files, 'config.json'));
  const nets = netFolders(config);
  const crfs: SavedCrf[] = [];
  for (const net of nets) crfs.push(checkCrf(files.where, `${net}/crf.json`, await readModelJson(files, `${net}/crf.json`), config.labels.length));
  let gazetteer = null;
  if (config.model.arch === 'char-gazetteer' && config.gazetteerLists.length > 0) {
    const lexicon = options.lexicon;
    if (lexicon === undefined) throw new RunFolderError(files.where, `the model uses gazetteer features: pass options.lexicon, a reader of its ${config.gazetteerLists.length} lists (${config.gazetteerLists.slice(0, 3).join(', ')}, …)`);
    gazetteer = buildGazetteer(await Promise.all(config.gazetteerLists.map(async (name) => ({ name, text: await lexicon(name) }))));
  }
  const engine = await servingEngineFromFiles(config, files, nets, { gazetteer, ...(options.kernels ? { kernels: options.kernels } : {}) });
  return new TweetTagger({ config, crfs, engine, source: files.where });
}
