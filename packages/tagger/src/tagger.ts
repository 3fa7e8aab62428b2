import { cp } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_USAGE, TaggerError } from './errors';
import { createRunFolder } from './run-folder/create';
import type { LoadTaggerOptions } from './load';
import { TweetTagger } from './tweet-tagger';

export { averageSavedCrf } from './tweet-tagger';

/**
 * The tweet tagger: text in, entities out. Built from a run folder or a model package by
 * `loadTagger` (no tfjs) or from `trainTagger` (`@twner/tagger/train`).
 */
export class Tagger extends TweetTagger {
  /**
   * Loads a tagger without tfjs (see `loadTagger`): a run folder or model package, default the
   * ready-trained `@twner/model-wnut16`.
   */
  static async load(model?: string, options: LoadTaggerOptions = {}): Promise<Tagger> {
    const { loadTagger } = await import('./load');
    return loadTagger(model, options);
  }

  /**
   * Writes the model as a run folder at `dir` (which must not exist or be empty): the files it
   * was loaded from, copied into a temporary sibling and renamed into place when complete.
   */
  async save(dir: string): Promise<string> {
    if (this.dir === undefined) throw new TaggerError('this tagger was not loaded from a folder; save the trained tagger (trainTagger(...).save) instead', EXIT_USAGE);
    const folder = await createRunFolder(dir, { unique: false, force: false });
    try {
      for (const f of ['config.json', 'vocab.json', 'labels.json', 'chars.json', 'model', 'members']) {
        if (existsSync(join(this.dir, f))) await cp(join(this.dir, f), join(folder.temp, f), { recursive: true });
      }
      return await folder.commit();
    } catch (error) {
      await folder.abandon();
      throw error;
    }
  }

}
