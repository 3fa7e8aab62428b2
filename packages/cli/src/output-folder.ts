import { readdirSync, statSync } from 'node:fs';
import { EXIT_USAGE, TaggerError } from '@twner/tagger';

/**
 * Refuses (exit 2) to write a command's files into `dir` when it is a file, or a folder that
 * already holds something and `force` is not given: nothing is overwritten silently. A missing or
 * empty folder is fine.
 */
export function checkOutputFolder(dir: string, flag: string, force: boolean): void {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new TaggerError(`${flag} ${dir}: is a file, not a folder`, EXIT_USAGE);
    entries = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (entries.length > 0 && !force) {
    throw new TaggerError(`${flag} ${dir}: the folder exists and is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); give --force to write into it (files of the same name are replaced) or another folder`, EXIT_USAGE);
  }
}
