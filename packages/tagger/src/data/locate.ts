import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ChecksumError, DataNotFoundError } from '../errors';

/** A file of a dataset: its name on disk, where to download it, its pinned sha256 if known. */
export interface RemoteFile {
  name: string;
  url: string;
  sha256?: string;
}

/** A dataset the CLI can find on disk or download: `wnut16` or `wnut16-lexicon`. */
export interface DatasetSpec {
  /** Folder name under `shared/data/` and under the cache. */
  id: string;
  /** Environment variable naming a folder that holds the files. */
  envVar: string;
  /** The command-line flag, for messages. */
  flag: string;
  files: RemoteFile[];
}

export type DataSource = 'flag' | 'env' | 'shared' | 'cache' | 'download';

export interface LocatedDataset {
  dir: string;
  source: DataSource;
}

export interface LocateOptions {
  /** The folder given on the command line, if any. */
  dir?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Cache root; default `$TWNER_CACHE_DIR`, else `$XDG_CACHE_HOME/twner`, else `~/.cache/twner`. */
  cacheRoot?: string;
  /** Allow downloading when nothing is found (default true). */
  download?: boolean;
  /** Progress messages (one line each). */
  log?: (line: string) => void;
  /** Download timeout per file in milliseconds (default 60 s). */
  timeoutMs?: number;
}

const WNUT16_COMMIT = '65f3d77134c40d920db8d431c5c6faef1c051c94';
const RAW = `https://raw.githubusercontent.com/aritter/twitter_nlp/${WNUT16_COMMIT}/data/annotated/wnut16`;

/** The base URL the WNUT16 files are downloaded from; `TWNER_DATA_URL` overrides it. */
export function wnut16BaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.TWNER_DATA_URL ?? `${RAW}/data`;
}

/** The three WNUT16 files with the sha256 pinned in `shared/data/wnut16/README.md`. */
export function wnut16Spec(env: NodeJS.ProcessEnv = process.env): DatasetSpec {
  const base = wnut16BaseUrl(env);
  return {
    id: 'wnut16',
    envVar: 'TWNER_DATA_DIR',
    flag: '--data-dir',
    files: [
      { name: 'train.conll', url: `${base}/train`, sha256: '5ec9db29c87fbf424860688fff08a485f6112137b930bb4799288399db9e153d' },
      { name: 'dev.conll', url: `${base}/dev`, sha256: 'd555eff2d24f05b032a17d892dda766f8e4dc0436404c17f4c1c6841472928fd' },
      { name: 'test.conll', url: `${base}/test`, sha256: '4d96d1908d4fdda27f3738bfb83d26e9b9e0996e22d8e0788de7c11c25af6896' },
    ],
  };
}

/** The WNUT16 gazetteers (no sha256 is pinned for them); `TWNER_LEXICON_URL` overrides the base URL. */
export const LEXICON_FILES = [
  'architecture.museum', 'automotive.make', 'automotive.model', 'award.award', 'base.events.festival_series',
  'bigdict', 'book.newspaper', 'broadcast.tv_channel', 'business.brand', 'business.consumer_company',
  'business.consumer_product', 'business.sponsor', 'cap.10', 'cap.100', 'cap.1000', 'cap.500',
  'cvg.computer_videogame', 'cvg.cvg_developer', 'cvg.cvg_platform', 'education.university', 'english.stop',
  'firstname.10', 'firstname.100', 'firstname.1000', 'firstname.500', 'firstname.5k',
  'government.government_agency', 'internet.website', 'lastname.10', 'lastname.100', 'lastname.1000',
  'lastname.500', 'lastname.5000', 'location.country', 'lower.100', 'lower.1000', 'lower.10000', 'lower.500',
  'lower.5000', 'people.family_name', 'people.person.lastnames', 'product', 'sports.sports_league',
  'sports.sports_team', 'time.holiday', 'time.recurring_event', 'transportation.road', 'tv.tv_network',
  'tv.tv_program', 'venture_capital.venture_funded_company', 'venues',
] as const;

export function lexiconSpec(env: NodeJS.ProcessEnv = process.env): DatasetSpec {
  const base = env.TWNER_LEXICON_URL ?? `${RAW}/lexicon`;
  return {
    id: 'wnut16-lexicon',
    envVar: 'TWNER_LEXICON_DIR',
    flag: '--lexicon-dir',
    files: LEXICON_FILES.map((name) => ({ name, url: `${base}/${name}` })),
  };
}

/** The cache root: `$TWNER_CACHE_DIR`, `$XDG_CACHE_HOME/twner` or `~/.cache/twner`. */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TWNER_CACHE_DIR) return resolve(env.TWNER_CACHE_DIR);
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'twner');
  return join(homedir(), '.cache', 'twner');
}

function hasAll(dir: string, spec: DatasetSpec): boolean {
  return spec.files.every((f) => existsSync(join(dir, f.name)));
}

/** `../shared/data/<id>` seen from the folder and each of its ancestors (the repo's layout). */
export function sharedCandidates(cwd: string, id: string): string[] {
  const out: string[] = [];
  let dir = resolve(cwd);
  for (;;) {
    out.push(join(dir, '..', 'shared', 'data', id), join(dir, 'shared', 'data', id));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return [...new Set(out)];
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

async function download(file: RemoteFile, dest: string, timeoutMs: number): Promise<void> {
  const response = await fetch(file.url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${file.url}`);
  const data = new Uint8Array(await response.arrayBuffer());
  if (file.sha256) {
    const got = sha256Hex(data);
    if (got !== file.sha256) throw new ChecksumError(file.name, file.sha256, got);
  }
  const tmp = `${dest}.part`;
  await writeFile(tmp, data);
  await rename(tmp, dest);
}

/**
 * Finds a dataset's folder: the flag, then the environment variable, then `../shared/data/<id>`
 * from the working folder upward, then the cache; else downloads the files into the cache,
 * checking pinned sha256 sums. Throws {@link DataNotFoundError} saying where to put the files.
 */
export async function locateDataset(spec: DatasetSpec, options: LocateOptions = {}): Promise<LocatedDataset> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const names = spec.files.map((f) => f.name).join(', ');
  const explicit: [string | undefined, DataSource, string][] = [
    [options.dir, 'flag', spec.flag],
    [env[spec.envVar], 'env', spec.envVar],
  ];
  for (const [dir, source, what] of explicit) {
    if (!dir) continue;
    const abs = resolve(options.cwd ?? process.cwd(), dir);
    if (hasAll(abs, spec)) return { dir: abs, source };
    if (!existsSync(abs)) throw new DataNotFoundError(`${what} points to ${abs}, which does not exist`);
    if (!statSync(abs).isDirectory()) throw new DataNotFoundError(`${what} points to ${abs}, which is a file, not a folder`);
    const missing = spec.files.filter((f) => !existsSync(join(abs, f.name))).map((f) => f.name);
    const shown = missing.length > 6 ? `${missing.slice(0, 6).join(', ')} and ${missing.length - 6} more of its ${spec.files.length} files` : missing.join(', ');
    throw new DataNotFoundError(`${what} points to ${abs}, which lacks ${shown}`);
  }
  for (const dir of sharedCandidates(options.cwd ?? process.cwd(), spec.id)) {
    if (hasAll(dir, spec)) return { dir, source: 'shared' };
  }
  const cache = join(options.cacheRoot ?? defaultCacheRoot(env), spec.id);
  if (hasAll(cache, spec)) return { dir: cache, source: 'cache' };
  const hint =
    `Put ${names} in a folder and pass ${spec.flag} <folder> or set ${spec.envVar}, ` +
    `or place them in ../shared/data/${spec.id} or ${cache}.`;
  if (options.download === false) throw new DataNotFoundError(`${spec.id} not found. ${hint}`);
  await mkdir(cache, { recursive: true });
  log(`${spec.id}: not found locally, downloading ${spec.files.length} file(s) into ${cache}`);
  for (const file of spec.files) {
    const dest = join(cache, file.name);
    if (existsSync(dest)) continue;
    try {
      await download(file, dest, options.timeoutMs ?? 60_000);
    } catch (error) {
      if (error instanceof ChecksumError) throw error;
      const why = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new DataNotFoundError(`${spec.id} not found and the download of ${file.url} failed (${why}). ${hint}`, {
        cause: error,
      });
    }
  }
  return { dir: cache, source: 'download' };
}
