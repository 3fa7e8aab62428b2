import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ConllParseError, ConllUsageError } from './errors';
import { LineParser } from './line-parser';
import { checkReadOptions } from './options';
import { describeValue } from './quote';
import { findLoneSurrogate } from './text-checks';
import type { ConllCorpus, ConllItem, ConllReadOptions, ConllSentence } from './types';
import { finish, groupDocuments } from './read-string';

export { readConllString } from './read-string';

import { findInvalidUtf8 } from './utf8';

/** Where streaming input comes from: a file path, the bytes themselves, a Node stream or any async iterable of bytes. */
export type ConllSource = string | Uint8Array | Readable | AsyncIterable<Uint8Array>;

const SOURCES = 'a file path, a Uint8Array (or Buffer), a Node Readable or an async iterable of Uint8Array chunks';

function fileError(file: string, cause: unknown): ConllParseError {
  const code = (cause as { code?: unknown } | null)?.code;
  const place = { file, line: 0, column: 0 };
  if (code === 'EISDIR') return new ConllParseError('NOT_A_FILE', place, `is a directory; expected a CoNLL file (pass a file inside it, such as ${path.join(file, 'train.conll')})`, { cause });
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new ConllParseError('FILE_NOT_FOUND', place, `no such file; expected the path of a CoNLL file (relative paths start at ${process.cwd()})`, { cause });
  }
  const reason = cause instanceof Error ? cause.message : String(cause);
  const fix = code === 'EACCES' || code === 'EPERM' ? 'give the reading user permission to read it' : 'check that the file can be read';
  return new ConllParseError('FILE_UNREADABLE', place, `cannot read the file (${reason}); ${fix}`, { cause });
}

/** The chunks of a file; a directory or a missing or unreadable file is a {@link ConllParseError} naming the path. */
async function* fileChunks(file: string): AsyncGenerator<Uint8Array> {
  try {
    if ((await stat(file)).isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${file}'`), { code: 'EISDIR' });
  } catch (cause) {
    throw fileError(file, cause);
  }
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  const chunks = stream[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = (await chunks.next()) as IteratorResult<Buffer>;
      } catch (cause) {
        throw fileError(file, cause);
      }
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // The caller stopped early (break, an error while parsing): close the file.
    if (!finished) stream.destroy();
  }
}

async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

function openSource(source: ConllSource, where: string): { chunks: AsyncIterable<unknown>; file: string } {
  if (typeof source === 'string') {
    if (source.length === 0) throw new ConllUsageError('INVALID_ARGUMENT', 'source', `${where}: source is an empty path; expected ${SOURCES}`);
    return { chunks: fileChunks(source), file: source };
  }
  if (source instanceof Uint8Array) return { chunks: oneChunk(source), file: '<bytes>' };
  if (source !== null && typeof source === 'object' && typeof (source as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function') {
    return { chunks: source as AsyncIterable<unknown>, file: '<stream>' };
  }
  throw new ConllUsageError('INVALID_ARGUMENT', 'source', `${where}: source must be ${SOURCES}, received ${describeValue(source)}`);
}

const NO_BYTES = new Uint8Array(0);

/** Whether `bytes` (shorter than 3) could be the start of a UTF-8 or UTF-16 byte order mark. */
function maybeBomStart(bytes: Uint8Array): boolean {
  if (bytes[0] === 0xef) return bytes.length < 2 || bytes[1] === 0xbb;
  return bytes.length === 1 && (bytes[0] === 0xff || bytes[0] === 0xfe);
}

/** Index just after the last line break of `bytes` that is surely whole (a `\r` ending the chunk may be half a CRLF), or -1. */
function lastBreakEnd(bytes: Uint8Array): number {
  const lf = bytes.lastIndexOf(10);
  for (let i = bytes.length - 2; i > lf; i--) if (bytes[i] === 13) return i + 1;
  return lf < 0 ? -1 : lf + 1;
}

/** Index just after the first line break of `bytes` (`\n`, `\r\n` or `\r` not at the end), or -1. */
function firstBreakEnd(bytes: Uint8Array): number {
  const lf = bytes.indexOf(10);
  const limit = lf < 0 ? bytes.length - 1 : lf;
  for (let i = 0; i < limit; i++) if (bytes[i] === 13) return bytes[i + 1] === 10 ? i + 2 : i + 1;
  return lf < 0 ? -1 : lf + 1;
}

/**
 * Cuts a byte stream into blocks of whole lines and decodes each block in one call, so that no
 * UTF-8 sequence is ever split. Bytes after a chunk's last line break wait for the next chunk;
 * only they (plus the next chunk's first line) are copied, never a whole chunk. A line longer
 * than a chunk is kept as a list of pieces and joined once, when it ends.
 */
class ByteLines {
  private readonly strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly loose = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  private pieces: Uint8Array[] = [];
  private carried = 0;
  private first = true;
  private sawBytes = false;

  constructor(private readonly parser: LineParser, private readonly options: ConllReadOptions) {}

  /**
   * Decodes the complete lines in `chunk` (plus bytes carried over) and appends them to `texts`
   * (each text a run of whole lines ending with a line break); keeps the rest for the next chunk.
   */
  feed(chunk: Uint8Array, texts: string[]): void {
    let bytes = chunk;
    if (this.first) {
      if (this.carried > 0) bytes = concat([...this.takeCarry(), chunk]);
      if (bytes.length === 0) return;
      if (bytes.length < 3 && maybeBomStart(bytes)) {
        this.keep(bytes.slice());
        return;
      }
      this.first = false;
      bytes = this.skipBom(bytes);
    }
    if (bytes.length === 0) return;
    this.sawBytes = true;
    const cut = lastBreakEnd(bytes);
    if (cut < 0) {
      this.keep(bytes.slice());
      return;
    }
    // The carried bytes end a line that starts in an earlier chunk: join them with this chunk's
    // first line only, and decode the rest of the chunk where it lies. Both blocks are decoded
    // before either is parsed, so invalid UTF-8 is found before the lines of the chunk are parsed.
    let line = this.parser.format.lineCount + 1;
    let bodyStart = 0;
    if (this.carried > 0) {
      bodyStart = firstBreakEnd(bytes);
      texts.push(this.decode(concat([...this.takeCarry(), bytes.subarray(0, bodyStart)]), line));
      line++;
    }
    if (bodyStart < cut) texts.push(this.decode(bytes.subarray(bodyStart, cut), line));
    if (cut < bytes.length) this.keep(bytes.slice(cut));
  }

  /** Ends the input: records whether it ended with a line break and returns its unterminated last line(s), decoded. */
  end(): string | undefined {
    if (this.first && this.carried > 0) {
      this.first = false;
      this.keep(this.skipBom(concat(this.takeCarry())));
      this.sawBytes = this.carried > 0;
    }
    if (this.carried === 0) {
      this.parser.format.finalNewline = this.sawBytes;
      return undefined;
    }
    return this.decode(concat(this.takeCarry()), this.parser.format.lineCount + 1);
  }

  /** Drops a UTF-8 byte order mark (recording it) and refuses UTF-16 input by its byte order mark. */
  private skipBom(bytes: Uint8Array): Uint8Array {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      this.parser.format.bom = true;
      return bytes.subarray(3);
    }
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      const order = bytes[0] === 0xff ? 'FF FE, little-endian' : 'FE FF, big-endian';
      throw new ConllParseError(
        'UTF16_INPUT',
        { file: this.parser.fileName, line: 0, column: 0 },
        `this file is UTF-16 (byte order mark ${order}); expected UTF-8. Convert it to UTF-8, e.g. \`iconv -f UTF-16 -t UTF-8 in.conll > out.conll\``,
      );
    }
    return bytes;
  }

  private keep(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.pieces.push(bytes);
    this.carried += bytes.length;
  }

  private takeCarry(): Uint8Array[] {
    const pieces = this.pieces;
    this.pieces = [];
    this.carried = 0;
    return pieces;
  }

  /** Decodes `block`, whose first byte starts line `line`; invalid UTF-8 throws or is reported with its line and byte column. */
  private decode(block: Uint8Array, line: number): string {
    let text: string;
    try {
      text = this.strict.decode(block);
    } catch (error) {
      let at = findInvalidUtf8(block);
      while (at >= 0) {
        let atLine = line;
        let lineStart = 0;
        for (let i = 0; i < at; i++) {
          const b = block[i];
          if (b === 10 || (b === 13 && block[i + 1] !== 10)) {
            atLine++;
            lineStart = i + 1;
          }
        }
        const message = `invalid UTF-8 byte 0x${block[at].toString(16).padStart(2, '0')} at byte column ${at - lineStart + 1}; expected UTF-8 text`;
        if (this.options.mode !== 'lenient') {
          throw new ConllParseError('INVALID_UTF8', { file: this.parser.fileName, line: atLine, column: at - lineStart + 1 }, message, { cause: error });
        }
        this.parser.report({ code: 'INVALID_UTF8', line: atLine, column: at - lineStart + 1, message: `${message} (replaced by U+FFFD)` });
        at = findInvalidUtf8(block, at + 1);
      }
      text = this.loose.decode(block);
    }
    return this.parser.checkText(text, line);
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  if (parts.length === 0) return NO_BYTES;
  let length = 0;
  for (const part of parts) length += part.length;
  const joined = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

const encoder = new TextEncoder();

/** The bytes of one chunk of a source: Uint8Array as is, a string (object-mode streams) UTF-8 encoded; anything else is refused. */
function bytesOf(chunk: unknown, index: number, file: string): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') {
    const at = findLoneSurrogate(chunk);
    if (at >= 0) {
      throw new ConllParseError(
        'INVALID_UTF16',
        { file, line: 0, column: 0 },
        `string chunk ${index} of the stream holds a lone surrogate U+${chunk.charCodeAt(at).toString(16).toUpperCase()} at character ${at}; expected well-formed text`,
      );
    }
    return encoder.encode(chunk);
  }
  throw new ConllUsageError('INVALID_ARGUMENT', 'source', `${file}: chunk ${index} of the source is ${describeValue(chunk)}; expected Uint8Array (or Buffer) or string chunks`);
}

/**
 * Streams what `pick` keeps of the items of `source`. Each item is handed on as soon as its last
 * line is parsed, so a chunk's sentences die young instead of all surviving until the chunk ends.
 */
async function* streamItems<T>(chunks: AsyncIterable<unknown>, file: string, options: ConllReadOptions, pick: (item: ConllItem) => T | undefined): AsyncGenerator<T> {
  const parser = new LineParser(options, file);
  const lines = new ByteLines(parser, options);
  const texts: string[] = [];
  const out: ConllItem[] = [];
  let index = 0;
  for await (const chunk of chunks) {
    lines.feed(bytesOf(chunk, index++, parser.fileName), texts);
    for (let t = 0; t < texts.length; t++) {
      const text = texts[t];
      let at = 0;
      while (at < text.length) {
        at = parser.pushLines(text, at, out, true);
        for (let i = 0; i < out.length; i++) {
          const value = pick(out[i]);
          if (value !== undefined) yield value;
        }
        out.length = 0;
      }
    }
    texts.length = 0;
  }
  finish(parser, lines.end(), out);
  for (let i = 0; i < out.length; i++) {
    const value = pick(out[i]);
    if (value !== undefined) yield value;
  }
}

const anyItem = (item: ConllItem): ConllItem => item;
const sentenceItem = (item: ConllItem): ConllSentence | undefined => (item.kind === 'sentence' ? item.sentence : undefined);

/**
 * Streams sentences and `-DOCSTART-` lines from a file path, bytes, a Readable or an async
 * iterable of bytes, holding one chunk and one sentence in memory at a time. Invalid UTF-8 is an
 * error (strict) or replaced by U+FFFD and reported (lenient); UTF-16 input (by its byte order
 * mark), a NUL byte, a directory or a missing file are errors in both modes.
 *
 * @throws ConllUsageError (at the call) for a source of the wrong type, an unknown option or a bad option value.
 */
export function readConllItems(source: ConllSource, options: ConllReadOptions = {}): AsyncGenerator<ConllItem> {
  checkReadOptions(options, 'readConllItems');
  const { chunks, file } = openSource(source, 'readConllItems');
  return streamItems(chunks, file, options, anyItem);
}

/** Streams the sentences of a CoNLL source (see {@link readConllItems}); `-DOCSTART-` lines are skipped. */
export function readConll(source: ConllSource, options: ConllReadOptions = {}): AsyncGenerator<ConllSentence> {
  checkReadOptions(options, 'readConll');
  const { chunks, file } = openSource(source, 'readConll');
  return streamItems(chunks, file, options, sentenceItem);
}

/** Reads a whole CoNLL source into documents plus the layout needed to write it back byte for byte. */
export async function readConllCorpus(source: ConllSource, options: ConllReadOptions = {}): Promise<ConllCorpus> {
  checkReadOptions(options, 'readConllCorpus');
  const { chunks, file } = openSource(source, 'readConllCorpus');
  const parser = new LineParser(options, file);
  const lines = new ByteLines(parser, options);
  const items: ConllItem[] = [];
  const texts: string[] = [];
  let index = 0;
  for await (const chunk of chunks) {
    lines.feed(bytesOf(chunk, index++, parser.fileName), texts);
    for (const text of texts) parser.pushLines(text, 0, items, false);
    texts.length = 0;
  }
  finish(parser, lines.end(), items);
  return { documents: groupDocuments(items), format: parser.format };
}

export { corpusSentences } from './read-string';
