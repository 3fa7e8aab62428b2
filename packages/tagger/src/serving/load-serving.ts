import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { EmissionEngine } from '../engine';
import { RunFolderError } from '../errors';
import type { RunFolder } from '../run-folder/format';
import type { ModelFiles } from '../run-folder/model-files';
import { servingEngineFromFiles, type ServingOptions } from './serving-engine';

/** The files of a run folder on disk. */
export function folderFiles(dir: string): ModelFiles {
  return {
    where: dir,
    async read(path) {
      try {
        return await readFile(join(dir, ...path.split('/')));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new RunFolderError(dir, `${path} is missing (a half-written or incomplete run folder?)`);
        throw error;
      }
    },
  };
}

/** The tfjs-free engine of an opened run folder (see {@link servingEngineFromFiles}). */
export function loadServingEngine(run: RunFolder, options: ServingOptions = {}): Promise<EmissionEngine> {
  const nets = run.netDirs.map((d) => relative(run.dir, d).split(sep).join('/'));
  return servingEngineFromFiles(run.config, folderFiles(run.dir), nets, options);
}
