import { cp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_USAGE, TaggerError } from './errors';
import { netFolders } from './run-folder/config';
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
   * was loaded from, copied into a temporary sibling and renamed into place when complete; of an
   * ensemble loaded with `members`, the networks it tags with.
   */
  async save(dir: string): Promise<string> {
    if (this.dir === undefined) throw new TaggerError('this tagger was not loaded from a folder; save the trained tagger (trainTagger(...).save) instead', EXIT_USAGE);
    const folder = await createRunFolder(dir, { unique: false, force: false });
    try {
      for (const f of ['config.json', 'vocab.json', 'labels.json', 'chars.json']) {
        if (existsSync(join(this.dir, f))) await cp(join(this.dir, f), join(folder.temp, f), { recursive: true });
      }
      // The networks this tagger runs (all of the folder's, or the first of them with `members`).
      const nets = netFolders(this.config);
      for (const net of nets) await cp(join(this.dir, ...net.split('/')), join(folder.temp, ...net.split('/')), { recursive: true });
      const config = JSON.parse(await readFile(join(folder.temp, 'config.json'), 'utf8')) as { ensemble?: { seeds: number[] } };
      if (config.ensemble !== undefined && config.ensemble.seeds.length !== nets.length) {
        config.ensemble = this.config.ensemble;
        await writeFile(join(folder.temp, 'config.json'), JSON.stringify(config, null, 2));
      }
      return await folder.commit();
    } catch (error) {
      await folder.abandon();
      throw error;
    }
  }

}
