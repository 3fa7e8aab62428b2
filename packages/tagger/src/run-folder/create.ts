import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, access } from 'node:fs/promises';
import { constants } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { EXIT_USAGE, TaggerError } from '../errors';

/** A run folder being written: everything goes to `temp`; `commit()` renames it to `final`. */
export interface PendingRunFolder {
  /** Where the run will be once committed. */
  readonly final: string;
  /** A hidden sibling folder the run writes to until it is complete. */
  readonly temp: string;
  /** Moves `temp` into place (replacing `final` with `force`); returns `final`. */
  commit(): Promise<string>;
  /** Removes `temp` (and a reserved empty `final`), for a run that failed. */
  abandon(): Promise<void>;
}

function timestamp(d = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

async function kind(path: string): Promise<'missing' | 'dir' | 'file'> {
  try {
    return (await stat(path)).isDirectory() ? 'dir' : 'file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw new TaggerError(`cannot use ${path}: ${(error as Error).message}`, EXIT_USAGE, { cause: error });
  }
}

/**
 * Checks that `dir` can be created: its nearest existing ancestor must be a writable folder
 * (not a file; checked first, so that paths such as /proc/x fail at once instead of looping).
 */
export async function checkCreatable(dir: string): Promise<void> {
  let parent = resolve(dir);
  for (;;) {
    const k = await kind(parent);
    if (k === 'file') throw new TaggerError(`cannot create ${dir}: ${parent} is a file, not a folder`, EXIT_USAGE);
    if (k === 'dir') break;
    const up = dirname(parent);
    if (up === parent) break;
    parent = up;
  }
  try {
    await access(parent, constants.W_OK);
  } catch {
    throw new TaggerError(`cannot create ${dir}: ${parent} is not writable`, EXIT_USAGE);
  }
  if (parent === '/proc' || parent.startsWith('/proc/') || parent === '/sys' || parent.startsWith('/sys/')) {
    throw new TaggerError(`cannot create ${dir}: ${parent} is a kernel file system`, EXIT_USAGE);
  }
}

/**
 * Starts a run folder that appears only when complete. With `unique`, `base` gets a timestamp
 * (`<dir>/<timestamp>-<name>`, then `-2`, `-3`, … if taken: the name is reserved at once, so two
 * runs started in the same second get two folders). Without it, `base` itself is the folder, and
 * an existing non-empty folder is refused unless `force`.
 */
export async function createRunFolder(base: string, options: { unique: boolean; force: boolean }): Promise<PendingRunFolder> {
  let final: string;
  let reserved = false;
  if (options.unique) {
    const parent = dirname(base);
    await checkCreatable(parent);
    await mkdir(parent, { recursive: true });
    const stem = join(parent, `${timestamp()}-${basename(base)}`);
    for (let n = 1; ; n++) {
      final = n === 1 ? stem : `${stem}-${n}`;
      try {
        await mkdir(final);
        reserved = true;
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new TaggerError(`cannot create ${final}: ${(error as Error).message}`, EXIT_USAGE, { cause: error });
      }
    }
  } else {
    final = base;
    const k = await kind(final);
    if (k === 'file') throw new TaggerError(`--out ${final} is a file; give a folder`, EXIT_USAGE);
    if (k === 'dir' && (await readdir(final)).length > 0 && !options.force) {
      throw new TaggerError(`--out ${final} exists and is not empty; give a new folder, or --force to replace its contents`, EXIT_USAGE);
    }
    await checkCreatable(final);
    await mkdir(dirname(resolve(final)), { recursive: true });
  }
  const temp = join(dirname(final), `.${basename(final)}.partial-${process.pid}-${randomBytes(3).toString('hex')}`);
  await mkdir(temp);
  return {
    final,
    temp,
    async commit() {
      const k = await kind(final);
      if (k === 'dir' && (await readdir(final)).length > 0) {
        // --force: the old contents go away only now, when the new run is complete.
        const trash = `${temp}.old`;
        await rename(final, trash);
        await rename(temp, final);
        await rm(trash, { recursive: true, force: true });
      } else {
        // POSIX rename replaces an empty folder in one step (the name reserved at the start).
        await rename(temp, final);
      }
      return final;
    },
    async abandon() {
      await rm(temp, { recursive: true, force: true });
      if (reserved) await rm(final, { recursive: true, force: true });
    },
  };
}
