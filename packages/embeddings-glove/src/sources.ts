import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable, pipeline } from 'node:stream';
import { createGunzip, createInflateRaw } from 'node:zlib';
import { Unzip, UnzipInflate } from 'fflate';
import { VectorSourceError } from './errors';
import { readZipDirectory, zipEntryDataOffset, type ZipEntry } from './zip-directory';

/** A path (plain text, `.gz` or `.zip`; detected from the first bytes) or a byte stream of any of those. */
export type VectorSource = string | Readable | AsyncIterable<Uint8Array>;

/** How to choose the member of a zip archive. */
export interface MemberChoice {
  /** Exact member name, or its base name (`glove.twitter.27B.200d.txt`). */
  member?: string;
  /** Picks the member named `…<dim>d.txt` (GloVe's naming). */
  dim?: number;
}

export interface OpenedSource {
  /** Name for messages: the path, `archive.zip:member`, or `<stream>`. */
  name: string;
  member?: string;
  /** Decompressed bytes. */
  chunks: AsyncIterable<Uint8Array>;
  /** Raw bytes that will be read (file size or zip member's compressed size), when known. */
  totalBytes?: number;
  /** Decompressed bytes, when known (plain files, zip members): lets the loader size its storage once. */
  textBytes?: number;
  /** Raw bytes read so far. */
  bytesRead: () => number;
  /** For the cache: present for path sources only. */
  identity?: { path: string; size: number; mtimeMs: number };
}

const READ_CHUNK = 1 << 20;

type Kind = 'gzip' | 'zip' | 'text';

function sniff(head: Uint8Array): Kind {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  return 'text';
}

const DIM_MEMBER = /(?:^|[^0-9])([0-9]+)d\.(?:txt|vec)$/;
const TEXT_MEMBER = /\.(?:txt|vec)$/;

function matchesChoice(name: string, choice: MemberChoice): boolean {
  if (choice.member !== undefined) return name === choice.member || basename(name) === choice.member;
  if (choice.dim !== undefined) return DIM_MEMBER.exec(name)?.[1] === String(choice.dim);
  return TEXT_MEMBER.test(name);
}

/** Chooses the archive member by `member`, else by `dim`, else the only text member; explains any failure. */
export function chooseMember(archive: string, names: readonly string[], choice: MemberChoice): string {
  const files = names.filter((n) => !n.endsWith('/'));
  const matches = files.filter((n) => matchesChoice(n, choice));
  const listing = files.map((n) => JSON.stringify(n)).join(', ');
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    const wanted =
      choice.member !== undefined
        ? `a member named ${JSON.stringify(choice.member)}`
        : choice.dim !== undefined
          ? `a member named like "*${choice.dim}d.txt"`
          : 'a .txt or .vec member';
    throw new VectorSourceError(
      `No matching member in ${archive}: expected ${wanted}, received members ${listing || '(none)'}`,
      archive,
    );
  }
  throw new VectorSourceError(
    `Several members of ${archive} could be meant: expected one, received ${matches
      .map((n) => JSON.stringify(n))
      .join(', ')}; pass dim (e.g. 200) or member to choose`,
    archive,
  );
}

async function* counted(raw: AsyncIterable<Uint8Array>, count: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of raw) {
    count(chunk.byteLength);
    yield chunk;
  }
}

function decompress(raw: AsyncIterable<Uint8Array>, transform: NodeJS.ReadWriteStream): AsyncIterable<Uint8Array> {
  // pipeline destroys `transform` with the error of either side, so iteration rethrows it.
  pipeline(Readable.from(raw, { objectMode: false }), transform, () => undefined);
  return transform as unknown as AsyncIterable<Uint8Array>;
}

/** Streams one member out of a zip byte stream (fflate); members are chosen as they are met. */
async function* unzipStream(raw: AsyncIterable<Uint8Array>, name: string, choice: MemberChoice, chosen: (member: string) => void): AsyncGenerator<Uint8Array> {
  const queue: Uint8Array[] = [];
  const seen: string[] = [];
  let picked: string | undefined;
  let finished = false;
  let failure: Error | null = null;
  const unzip = new Unzip((file) => {
    seen.push(file.name);
    if (picked !== undefined || !matchesChoice(file.name, choice)) return;
    picked = file.name;
    chosen(file.name);
    file.ondata = (err, data, final) => {
      if (err) failure = err;
      else if (data.length > 0) queue.push(data);
      if (final) finished = true;
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  const fail = (err: Error): VectorSourceError =>
    new VectorSourceError(`Cannot inflate ${name}:${picked}: ${err.message}`, name, { cause: err });
  for await (const chunk of raw) {
    unzip.push(chunk);
    if (failure !== null) throw fail(failure);
    while (queue.length > 0) yield queue.shift() as Uint8Array;
    if (finished) return;
  }
  unzip.push(new Uint8Array(0), true);
  if (failure !== null) throw fail(failure);
  while (queue.length > 0) yield queue.shift() as Uint8Array;
  if (picked === undefined) chooseMember(name, seen, choice); // throws with the member listing
  if (!finished) throw new VectorSourceError(`Zip stream ${name} ended inside member ${picked}: truncated archive`, name);
}

/** Reads at least 4 bytes (or all there is) to sniff the format, then replays them before the rest. */
async function peek(raw: AsyncIterable<Uint8Array>): Promise<{ head: Uint8Array; rest: AsyncIterable<Uint8Array> }> {
  const it = raw[Symbol.asyncIterator]();
  const first: Uint8Array[] = [];
  let length = 0;
  while (length < 4) {
    const next = await it.next();
    if (next.done) break;
    first.push(next.value);
    length += next.value.byteLength;
  }
  const head = Buffer.concat(first);
  async function* rest(): AsyncGenerator<Uint8Array> {
    if (head.length > 0) yield head;
    while (true) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, rest: rest() };
}

/** Opens a path or stream, detecting gzip / zip / plain text from the first bytes. */
export async function openSource(source: VectorSource, choice: MemberChoice, totalBytes?: number): Promise<OpenedSource> {
  let read = 0;
  const count = (n: number): void => {
    read += n;
  };
  if (typeof source !== 'string') {
    const { head, rest } = await peek(counted(source as AsyncIterable<Uint8Array>, count));
    const kind = sniff(head);
    const opened: OpenedSource = { name: '<stream>', chunks: rest, totalBytes, bytesRead: () => read };
    if (kind === 'gzip') opened.chunks = decompress(rest, createGunzip());
    if (kind === 'zip') {
      opened.chunks = unzipStream(rest, '<stream>', choice, (m) => {
        opened.member = m;
        opened.name = `<stream>:${m}`;
      });
    }
    return opened;
  }

  const path = source;
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new VectorSourceError(`Cannot open vector file ${path}: ${(err as Error).message}`, path, { cause: err });
  }
  if (!info.isFile()) throw new VectorSourceError(`Cannot open vector file ${path}: expected a file, received a directory or device`, path);
  const identity = { path, size: info.size, mtimeMs: info.mtimeMs };
  const handle = await open(path, 'r');
  const head = Buffer.alloc(4);
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  const kind = sniff(info.size >= 4 ? head : head.subarray(0, info.size));
  if (kind === 'zip') {
    const entries = await readZipDirectory(path, info.size);
    const member = chooseMember(path, entries.map((e) => e.name), choice);
    const entry = entries.find((e) => e.name === member) as ZipEntry;
    if (entry.method !== 0 && entry.method !== 8) {
      throw new VectorSourceError(
        `Cannot read ${path}:${member}: expected compression method 0 (stored) or 8 (deflate), received ${entry.method}`,
        path,
      );
    }
    const start = await zipEntryDataOffset(path, entry);
    const raw = counted(
      createReadStream(path, { start, end: start + entry.compressedSize - 1, highWaterMark: READ_CHUNK }),
      count,
    );
    return {
      name: `${path}:${member}`,
      member,
      chunks: entry.method === 8 ? decompress(raw, createInflateRaw()) : raw,
      totalBytes: entry.compressedSize,
      textBytes: entry.uncompressedSize,
      bytesRead: () => read,
      identity,
    };
  }
  const raw = counted(createReadStream(path, { highWaterMark: READ_CHUNK }), count);
  return {
    name: path,
    chunks: kind === 'gzip' ? decompress(raw, createGunzip()) : raw,
    totalBytes: info.size,
    textBytes: kind === 'gzip' ? undefined : info.size,
    bytesRead: () => read,
    identity,
  };
}
