import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { endianness } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { VectorFormatError } from './errors';
import { WordVectors, type LoadReport } from './word-vectors';

/**
 * Binary cache of loaded (usually vocabulary-filtered) vectors.
 *
 * Layout, little-endian: `TWNRVEC1` (8 bytes) · u32 header length · header JSON · words joined by "\n" (a JSON array
 * when a word contains a newline: header `wordsJson`) ·
 * zero padding to a multiple of 4 · Float32 data `[count, dim]`.
 * The file name carries a hash of the source's identity (path, member, format, dim) and of the content key
 * (size, mtime, vocabulary hash); the header repeats the full key, checked on load.
 */
const MAGIC = 'TWNRVEC1';
const VERSION = 1;

export interface CacheKeyParts {
  path: string;
  size: number;
  mtimeMs: number;
  member?: string;
  format: string;
  dim?: number;
  lenient: boolean;
  vocabularyHash: string;
}

interface CacheHeader {
  version: number;
  key: string;
  dim: number;
  count: number;
  wordsBytes: number;
  /** Words stored as a JSON array rather than joined by "\n" (some word contains a newline). */
  wordsJson?: boolean;
  report: Omit<LoadReport, 'malformedExamples' | 'cache' | 'cacheFile'> & {
    malformedExamples: Array<{ what: string; file: string; line: number; column?: number; expected: string; received: string }>;
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Order-independent hash of a vocabulary (duplicates ignored); `none` for no filter. */
export function hashVocabulary(vocabulary: ReadonlySet<string> | undefined): string {
  if (vocabulary === undefined) return 'none';
  return sha256([...vocabulary].sort().join('\u0000'));
}

export interface CacheLocation {
  file: string;
  /** Files of the same source with another content key start with this: they are stale. */
  prefix: string;
  key: string;
}

export function cacheLocation(cacheDir: string, parts: CacheKeyParts): CacheLocation {
  const path = resolve(parts.path);
  const source = sha256(JSON.stringify([path, parts.member ?? '', parts.format, parts.dim ?? 0, parts.lenient])).slice(0, 12);
  const key = sha256(JSON.stringify([VERSION, source, parts.size, parts.mtimeMs, parts.vocabularyHash]));
  const stem = basename(path).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60);
  const prefix = `${stem}-${source}-`;
  return { file: join(cacheDir, `${prefix}${key.slice(0, 16)}.twv`), prefix, key };
}

export type CacheRead =
  | { status: 'hit'; vectors: WordVectors }
  | { status: 'miss' | 'stale' | 'corrupt' };

async function hasStaleSibling(location: CacheLocation): Promise<boolean> {
  const dir = join(location.file, '..');
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.some((n) => n.startsWith(location.prefix) && n.endsWith('.twv'));
}

/** Reads the cache entry for `location`; never throws for a missing or damaged file (reports it instead). */
export async function readCache(location: CacheLocation, source: string): Promise<CacheRead> {
  let buf: Buffer;
  try {
    buf = await readFile(location.file);
  } catch {
    return { status: (await hasStaleSibling(location)) ? 'stale' : 'miss' };
  }
  try {
    if (buf.toString('latin1', 0, 8) !== MAGIC) return { status: 'corrupt' };
    const headerLength = buf.readUInt32LE(8);
    const header = JSON.parse(buf.toString('utf8', 12, 12 + headerLength)) as CacheHeader;
    if (header.version !== VERSION || header.key !== location.key) return { status: 'stale' };
    const wordsStart = 12 + headerLength;
    const dataStart = Math.ceil((wordsStart + header.wordsBytes) / 4) * 4;
    const floats = header.count * header.dim;
    if (buf.length !== dataStart + floats * 4) return { status: 'corrupt' };
    const wordsText = buf.toString('utf8', wordsStart, wordsStart + header.wordsBytes);
    const words: string[] = header.count === 0 ? [] : header.wordsJson === true ? (JSON.parse(wordsText) as string[]) : wordsText.split('\n');
    if (words.length !== header.count) return { status: 'corrupt' };
    let data: Float32Array;
    if (endianness() === 'LE' && (buf.byteOffset + dataStart) % 4 === 0) {
      data = new Float32Array(buf.buffer, buf.byteOffset + dataStart, floats);
    } else {
      data = new Float32Array(floats);
      for (let i = 0; i < floats; i++) data[i] = buf.readFloatLE(dataStart + 4 * i);
    }
    const r = header.report;
    const report: LoadReport = {
      ...r,
      malformedExamples: r.malformedExamples.map(
        (e) => new VectorFormatError(e.what, { file: e.file, line: e.line, column: e.column }, e.expected, e.received),
      ),
      source,
      cache: 'hit',
      cacheFile: location.file,
    };
    return { status: 'hit', vectors: new WordVectors(words, data, header.dim, report) };
  } catch {
    return { status: 'corrupt' };
  }
}

/** Writes atomically (temp file + rename) and removes stale entries of the same source. */
export async function writeCache(location: CacheLocation, vectors: WordVectors): Promise<void> {
  const dir = join(location.file, '..');
  await mkdir(dir, { recursive: true });
  const { malformedExamples, cache: _cache, cacheFile: _file, ...rest } = vectors.report;
  const list = vectors.words();
  const wordsJson = list.some((w) => w.includes('\n'));
  const words = Buffer.from(wordsJson ? JSON.stringify(list) : list.join('\n'), 'utf8');
  const header: CacheHeader = {
    version: VERSION,
    key: location.key,
    dim: vectors.dim,
    count: vectors.size,
    wordsBytes: words.length,
    ...(wordsJson ? { wordsJson } : {}),
    report: {
      ...rest,
      malformedExamples: malformedExamples.map((e) => ({
        what: e.what,
        file: e.file,
        line: e.line,
        ...(e.column === undefined ? {} : { column: e.column }),
        expected: e.expected,
        received: e.received,
      })),
    },
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(12);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(headerBytes.length, 8);
  const unpadded = 12 + headerBytes.length + words.length;
  const padding = Buffer.alloc(Math.ceil(unpadded / 4) * 4 - unpadded);
  let data: Buffer;
  if (endianness() === 'LE') {
    data = Buffer.from(vectors.data.buffer, vectors.data.byteOffset, vectors.data.byteLength);
  } else {
    data = Buffer.alloc(vectors.data.byteLength);
    vectors.data.forEach((v, i) => data.writeFloatLE(v, 4 * i));
  }
  const tmp = `${location.file}.${process.pid}.tmp`;
  // Written piece by piece: no second copy of a large float array in memory.
  const handle = await open(tmp, 'w');
  try {
    for (const part of [prefix, headerBytes, words, padding, data]) {
      for (let done = 0; done < part.length; ) done += (await handle.write(part, done)).bytesWritten;
    }
  } finally {
    await handle.close();
  }
  await rename(tmp, location.file);
  const names = await readdir(dir);
  await Promise.all(
    names
      .filter((n) => n.startsWith(location.prefix) && n.endsWith('.twv') && join(dir, n) !== location.file)
      .map((n) => rm(join(dir, n), { force: true })),
  );
}
