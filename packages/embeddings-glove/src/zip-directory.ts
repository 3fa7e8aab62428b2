import { open } from 'node:fs/promises';
import { VectorSourceError } from './errors';

/** One member of a zip archive, as listed in its central directory. */
export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

async function readAt(path: string, position: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buf, 0, length, position);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function u64(buf: Buffer, at: number): number {
  return Number(buf.readBigUInt64LE(at));
}

/**
 * Lists the members of a zip file from its central directory (end of file), without reading the members.
 * Supports zip64 sizes and offsets, so archives and members over 4 GiB list correctly.
 */
export async function readZipDirectory(path: string, fileSize: number): Promise<ZipEntry[]> {
  const tailLength = Math.min(fileSize, 22 + 0xffff);
  const tail = await readAt(path, fileSize - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw new VectorSourceError(
      `Cannot read zip archive ${path}: expected an end-of-central-directory record in the last ${tailLength} bytes, received none (truncated download?)`,
      path,
    );
  }
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (cdOffset === MAX32 || cdSize === MAX32 || count === 0xffff) {
    const locatorAt = eocd - 20;
    if (locatorAt < 0 || tail.readUInt32LE(locatorAt) !== ZIP64_LOCATOR) {
      throw new VectorSourceError(`Cannot read zip archive ${path}: zip64 locator missing`, path);
    }
    const record = await readAt(path, u64(tail, locatorAt + 8), 56);
    if (record.readUInt32LE(0) !== ZIP64_EOCD) {
      throw new VectorSourceError(`Cannot read zip archive ${path}: zip64 end record missing`, path);
    }
    count = u64(record, 32);
    cdSize = u64(record, 40);
    cdOffset = u64(record, 48);
  }
  const cd = await readAt(path, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) {
      throw new VectorSourceError(
        `Cannot read zip archive ${path}: central directory entry ${k + 1} of ${count} is damaged`,
        path,
      );
    }
    const flags = cd.readUInt16LE(p + 8);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const name = cd.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLength);
    const entry: ZipEntry = {
      name,
      method: cd.readUInt16LE(p + 10),
      compressedSize: cd.readUInt32LE(p + 20),
      uncompressedSize: cd.readUInt32LE(p + 24),
      localHeaderOffset: cd.readUInt32LE(p + 42),
    };
    // zip64 extra field: 8-byte values for whichever 32-bit fields were saturated, in this order.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = cd.readUInt16LE(e);
      const size = cd.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (entry.uncompressedSize === MAX32) {
          entry.uncompressedSize = u64(cd, q);
          q += 8;
        }
        if (entry.compressedSize === MAX32) {
          entry.compressedSize = u64(cd, q);
          q += 8;
        }
        if (entry.localHeaderOffset === MAX32) entry.localHeaderOffset = u64(cd, q);
      }
      e += 4 + size;
    }
    entries.push(entry);
    p = extraEnd + commentLength;
  }
  return entries;
}

/** Byte offset where the member's (compressed) data starts, read from its local header. */
export async function zipEntryDataOffset(path: string, entry: ZipEntry): Promise<number> {
  const header = await readAt(path, entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL) {
    throw new VectorSourceError(
      `Cannot read zip member ${entry.name} of ${path}: no local header at byte ${entry.localHeaderOffset}`,
      path,
    );
  }
  return entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}
