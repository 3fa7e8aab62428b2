import type { Readable } from 'node:stream';
import { findInvalidUtf8 } from '@twner/conll';
import { EXIT_USAGE, TaggerError } from '@twner/tagger';

/** One line of a text source: its text and its 1-based number. */
export interface TextLine {
  text: string;
  n: number;
}

/** 3 when `bytes` starts with the UTF-8 byte-order mark (EF BB BF), else 0. */
function bomLength(bytes: Buffer): number {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/**
 * The lines of a UTF-8 byte stream (`\n`, `\r\n` or `\r` end a line; a UTF-8 byte-order mark at
 * the start is dropped), each checked: a line that is not valid UTF-8 is refused with a
 * `TaggerError` (exit 2) naming `name`, the line and the byte column, never decoded into U+FFFD.
 */
export async function* utf8Lines(input: Readable | AsyncIterable<Buffer | string>, name: string): AsyncGenerator<TextLine> {
  // the current line's bytes so far, over chunks: each byte is scanned once and copied at most once (a 10 MB line stays linear)
  let pending: Buffer[] = [];
  let n = 0;
  let lastCr = false;
  const line = (bytes: Buffer): TextLine => {
    n++;
    const b = n === 1 ? bytes.subarray(bomLength(bytes)) : bytes;
    const bad = findInvalidUtf8(b);
    if (bad >= 0) {
      throw new TaggerError(`${name}:${n}:${bad + 1}: invalid UTF-8 byte 0x${b[bad].toString(16).padStart(2, '0')} at byte column ${bad + 1}; give UTF-8 text`, EXIT_USAGE);
    }
    return { text: b.toString('utf8'), n };
  };
  const take = (last: Buffer): Buffer => {
    const bytes = pending.length === 0 ? last : Buffer.concat([...pending, last]);
    pending = [];
    return bytes;
  };
  for await (const chunk of input) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    // a `\r\n` split between two chunks: the `\n` belongs to the line the `\r` ended
    if (lastCr && buf.length > 0 && buf[0] === 0x0a) buf = buf.subarray(1);
    lastCr = false;
    let start = 0;
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i];
      if (c !== 0x0a && c !== 0x0d) continue;
      yield line(take(buf.subarray(start, i)));
      if (c === 0x0d) {
        if (i + 1 < buf.length) {
          if (buf[i + 1] === 0x0a) i++;
        } else {
          lastCr = true;
        }
      }
      start = i + 1;
    }
    if (start < buf.length) pending.push(buf.subarray(start));
  }
  if (pending.length > 0) yield line(take(Buffer.alloc(0)));
}

/** A whole file's text, refused (exit 2, file:line:column) unless it is valid UTF-8; a leading BOM is dropped. */
export function utf8Text(bytes: Buffer, name: string): string {
  const start = bomLength(bytes);
  const bad = findInvalidUtf8(bytes, start);
  if (bad >= 0) {
    const before = bytes.subarray(0, bad);
    let lineNo = 1;
    let lineStart = 0;
    for (let i = 0; i < before.length; i++) {
      if (before[i] === 0x0a || (before[i] === 0x0d && before[i + 1] !== 0x0a)) {
        lineNo++;
        lineStart = i + 1;
      }
    }
    const col = bad - Math.max(lineStart, start) + 1;
    throw new TaggerError(`${name}:${lineNo}:${col}: invalid UTF-8 byte 0x${bytes[bad].toString(16).padStart(2, '0')} at byte column ${col}; give UTF-8 text`, EXIT_USAGE);
  }
  return bytes.subarray(start).toString('utf8');
}
