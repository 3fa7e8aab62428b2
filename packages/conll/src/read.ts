import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { ConllParseError } from './errors';
import { LineParser } from './line-parser';
import type { ConllCorpus, ConllDocument, ConllItem, ConllReadOptions, ConllSentence } from './types';
import { findInvalidUtf8 } from './utf8';

const STRING_FILE = '<string>';

/** Groups items into documents: sentences before any `-DOCSTART-` form a document without one. */
function groupDocuments(items: Iterable<ConllItem>): ConllDocument[] {
  const documents: ConllDocument[] = [];
  for (const item of items) {
    if (item.kind === 'docstart') documents.push({ docstart: item.text, line: item.line, sentences: [] });
    else {
      if (documents.length === 0) documents.push({ sentences: [] });
      documents[documents.length - 1].sentences.push(item.sentence);
    }
  }
  return documents;
}

/**
 * Reads CoNLL text already in memory: documents, sentences and the layout needed to write it back byte for byte.
 *
 * @throws ConllParseError in strict mode for malformed input (see {@link ConllReadOptions}).
 */
export function readConllString(text: string, options: ConllReadOptions = {}): ConllCorpus {
  const parser = new LineParser(options, STRING_FILE);
  const items: ConllItem[] = [];
  let body = text;
  if (body.charCodeAt(0) === 0xfeff) {
    parser.format.bom = true;
    body = body.slice(1);
  }
  const restStart = parser.pushLines(body, 0, items, false);
  parser.format.finalNewline = body.length > 0 && restStart === body.length;
  if (restStart < body.length) parser.push(body.slice(restStart), items);
  parser.flush(items);
  return { documents: groupDocuments(items), format: parser.format };
}

/** Where streaming input comes from: a file path, a Node stream or any async iterable of bytes. */
export type ConllSource = string | Readable | AsyncIterable<Uint8Array>;

function openSource(source: ConllSource): { chunks: AsyncIterable<Uint8Array | string>; file: string } {
  if (typeof source === 'string') return { chunks: createReadStream(source, { highWaterMark: 1 << 20 }), file: source };
  return { chunks: source as AsyncIterable<Uint8Array | string>, file: '<stream>' };
}

const NO_BYTES = new Uint8Array(0);

/**
 * Cuts a byte stream into blocks of whole lines and decodes each block in one call, so that no
 * UTF-8 sequence is ever split. Bytes after a chunk's last newline wait for the next chunk; only
 * they (plus the next chunk's first line) are copied, never a whole chunk.
 */
class ByteLines {
  private readonly strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly loose = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  private carry: Uint8Array = NO_BYTES;
  private first = true;
  private sawBytes = false;

  constructor(private readonly parser: LineParser, private readonly options: ConllReadOptions) {}

  /**
   * Decodes the complete lines in `chunk` (plus bytes carried over) and appends them to `texts`
   * (each text a run of whole lines ending with a newline); keeps the rest for the next chunk.
   */
  feed(chunk: Uint8Array, texts: string[]): void {
    let bytes = chunk;
    if (this.first) {
      if (this.carry.length > 0) bytes = concat(this.carry, chunk);
      if (bytes.length === 0) return;
      if (bytes.length < 3 && bytes[0] === 0xef) {
        this.carry = bytes.slice();
        return;
      }
      this.first = false;
      this.carry = NO_BYTES;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        this.parser.format.bom = true;
        bytes = bytes.subarray(3);
      }
    }
    if (bytes.length === 0) return;
    this.sawBytes = true;
    const last = bytes.lastIndexOf(10);
    if (last < 0) {
      this.carry = this.carry.length > 0 ? concat(this.carry, bytes) : bytes.slice();
      return;
    }
    // The carried bytes end a line that starts in an earlier chunk: join them with this chunk's
    // first line only, and decode the rest of the chunk where it lies. Both blocks are decoded
    // before either is parsed, so invalid UTF-8 is found before the lines of the chunk are parsed.
    let line = this.parser.format.lineCount + 1;
    let bodyStart = 0;
    if (this.carry.length > 0) {
      bodyStart = bytes.indexOf(10) + 1;
      texts.push(this.decode(concat(this.carry, bytes.subarray(0, bodyStart)), line));
      line++;
    }
    if (bodyStart <= last) texts.push(this.decode(bytes.subarray(bodyStart, last + 1), line));
    this.carry = bytes.slice(last + 1);
  }

  /** Ends the input: records whether it ended with a newline and returns its unterminated last line, decoded. */
  end(): string | undefined {
    if (this.first && this.carry.length > 0) {
      this.first = false;
      this.sawBytes = true;
    }
    this.parser.format.finalNewline = this.sawBytes && this.carry.length === 0;
    return this.carry.length > 0 ? this.decode(this.carry, this.parser.format.lineCount + 1) : undefined;
  }

  /** Decodes `block`, whose first byte starts line `line`; invalid UTF-8 throws or is reported with its line and byte column. */
  private decode(block: Uint8Array, line: number): string {
    try {
      return this.strict.decode(block);
    } catch (error) {
      let at = findInvalidUtf8(block);
      while (at >= 0) {
        let atLine = line;
        let lineStart = 0;
        for (let i = block.indexOf(10); i >= 0 && i < at; i = block.indexOf(10, i + 1)) {
          atLine++;
          lineStart = i + 1;
        }
        const message = `invalid UTF-8 byte 0x${block[at].toString(16).padStart(2, '0')} at byte column ${at - lineStart + 1}; expected UTF-8 text`;
        if (this.options.mode !== 'lenient') {
          throw new ConllParseError('INVALID_UTF8', { file: this.parser.fileName, line: atLine, column: at - lineStart + 1 }, message, { cause: error });
        }
        this.parser.report({ code: 'INVALID_UTF8', line: atLine, column: at - lineStart + 1, message: `${message} (replaced by U+FFFD)` });
        at = findInvalidUtf8(block, at + 1);
      }
      return this.loose.decode(block);
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}

const encoder = new TextEncoder();

function bytesOf(chunk: Uint8Array | string): Uint8Array {
  return typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
}

/**
 * Streams what `pick` keeps of the items of `source`. Each item is handed on as soon as its last
 * line is parsed, so a chunk's sentences die young instead of all surviving until the chunk ends.
 */
async function* streamItems<T>(source: ConllSource, options: ConllReadOptions, pick: (item: ConllItem) => T | undefined): AsyncGenerator<T> {
  const { chunks, file } = openSource(source);
  const parser = new LineParser(options, file);
  const lines = new ByteLines(parser, options);
  const texts: string[] = [];
  const out: ConllItem[] = [];
  for await (const chunk of chunks) {
    lines.feed(bytesOf(chunk), texts);
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
  const rest = lines.end();
  if (rest !== undefined) parser.push(rest, out);
  parser.flush(out);
  for (let i = 0; i < out.length; i++) {
    const value = pick(out[i]);
    if (value !== undefined) yield value;
  }
}

const anyItem = (item: ConllItem): ConllItem => item;
const sentenceItem = (item: ConllItem): ConllSentence | undefined => (item.kind === 'sentence' ? item.sentence : undefined);

/**
 * Streams sentences and `-DOCSTART-` lines from a file path, a Readable or an async iterable of
 * bytes, holding one chunk and one sentence in memory at a time. Invalid UTF-8 is an error
 * (strict) or replaced by U+FFFD and reported (lenient).
 */
export function readConllItems(source: ConllSource, options: ConllReadOptions = {}): AsyncGenerator<ConllItem> {
  return streamItems(source, options, anyItem);
}

/** Streams the sentences of a CoNLL source (see {@link readConllItems}); `-DOCSTART-` lines are skipped. */
export function readConll(source: ConllSource, options: ConllReadOptions = {}): AsyncGenerator<ConllSentence> {
  return streamItems(source, options, sentenceItem);
}

/** Reads a whole CoNLL source into documents plus the layout needed to write it back byte for byte. */
export async function readConllCorpus(source: ConllSource, options: ConllReadOptions = {}): Promise<ConllCorpus> {
  const { chunks, file } = openSource(source);
  const parser = new LineParser(options, file);
  const lines = new ByteLines(parser, options);
  const items: ConllItem[] = [];
  const texts: string[] = [];
  for await (const chunk of chunks) {
    lines.feed(bytesOf(chunk), texts);
    for (const text of texts) parser.pushLines(text, 0, items, false);
    texts.length = 0;
  }
  const rest = lines.end();
  if (rest !== undefined) parser.push(rest, items);
  parser.flush(items);
  return { documents: groupDocuments(items), format: parser.format };
}

/** All sentences of a corpus, in order. */
export function corpusSentences(corpus: ConllCorpus): ConllSentence[] {
  return corpus.documents.flatMap((document) => document.sentences);
}
