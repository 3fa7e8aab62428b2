import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { ConllParseError } from './errors';
import { LineParser } from './line-parser';
import type { ConllCorpus, ConllDocument, ConllItem, ConllReadOptions, ConllSentence } from './types';
import { findInvalidUtf8 } from './utf8';

const STRING_FILE = '<string>';

/** Splits decoded text into lines and feeds the complete ones; returns the unterminated rest. */
function feedLines(parser: LineParser, text: string, out: ConllItem[]): string {
  let start = 0;
  for (;;) {
    const newline = text.indexOf('\n', start);
    if (newline < 0) return text.slice(start);
    let end = newline;
    if (end > start && text.charCodeAt(end - 1) === 13) {
      end--;
      parser.noteEol('\r\n');
    } else {
      parser.noteEol('\n');
    }
    parser.pushRange(text, start, end, out);
    start = newline + 1;
  }
}

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
  const rest = feedLines(parser, body, items);
  parser.format.finalNewline = body.length > 0 && rest.length === 0;
  if (rest.length > 0) parser.push(rest, items);
  parser.flush(items);
  return { documents: groupDocuments(items), format: parser.format };
}

/** Where streaming input comes from: a file path, a Node stream or any async iterable of bytes. */
export type ConllSource = string | Readable | AsyncIterable<Uint8Array>;

function openSource(source: ConllSource): { chunks: AsyncIterable<Uint8Array | string>; file: string } {
  if (typeof source === 'string') return { chunks: createReadStream(source, { highWaterMark: 1 << 20 }), file: source };
  return { chunks: source as AsyncIterable<Uint8Array | string>, file: '<stream>' };
}

class ByteLines {
  private readonly strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly loose = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  private carry: Uint8Array = new Uint8Array(0);
  private first = true;
  private sawBytes = false;

  constructor(private readonly parser: LineParser, private readonly options: ConllReadOptions) {}

  /** Feeds the complete lines in `chunk` (plus bytes carried over) and keeps the rest. */
  feed(chunk: Uint8Array, out: ConllItem[]): void {
    let bytes = this.carry.length > 0 ? concat(this.carry, chunk) : chunk;
    if (bytes.length === 0) return;
    if (this.first) {
      if (bytes.length < 3 && bytes[0] === 0xef) {
        this.carry = bytes.slice();
        return;
      }
      this.first = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        this.parser.format.bom = true;
        bytes = bytes.subarray(3);
      }
    }
    this.sawBytes ||= bytes.length > 0;
    const last = bytes.lastIndexOf(10);
    if (last < 0) {
      this.carry = bytes.slice();
      return;
    }
    const rest = feedLines(this.parser, this.decode(bytes, last + 1), out);
    if (rest.length > 0) throw new Error('unreachable: a decoded block ends with a newline');
    this.carry = bytes.slice(last + 1);
  }

  end(out: ConllItem[]): void {
    if (this.first && this.carry.length > 0) {
      this.first = false;
      this.sawBytes = true;
    }
    this.parser.format.finalNewline = this.sawBytes && this.carry.length === 0;
    if (this.carry.length > 0) this.parser.push(this.decode(this.carry, this.carry.length), out);
    this.parser.flush(out);
  }

  private decode(bytes: Uint8Array, length: number): string {
    const block = bytes.subarray(0, length);
    try {
      return this.strict.decode(block);
    } catch (error) {
      let at = findInvalidUtf8(block);
      while (at >= 0) {
        let line = this.parser.format.lineCount + 1;
        let lineStart = 0;
        for (let i = 0; i < at; i++) {
          if (block[i] === 10) {
            line++;
            lineStart = i + 1;
          }
        }
        const message = `invalid UTF-8 byte 0x${block[at].toString(16).padStart(2, '0')} at byte column ${at - lineStart + 1}; expected UTF-8 text`;
        if (this.options.mode !== 'lenient') {
          throw new ConllParseError('INVALID_UTF8', { file: this.parser.fileName, line, column: at - lineStart + 1 }, message, { cause: error });
        }
        this.parser.report({ code: 'INVALID_UTF8', line, column: at - lineStart + 1, message: `${message} (replaced by U+FFFD)` });
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

async function* streamItems(source: ConllSource, options: ConllReadOptions, parser?: LineParser): AsyncGenerator<ConllItem> {
  const { chunks, file } = openSource(source);
  const lineParser = parser ?? new LineParser(options, file);
  const lines = new ByteLines(lineParser, options);
  const encoder = new TextEncoder();
  const out: ConllItem[] = [];
  for await (const chunk of chunks) {
    lines.feed(typeof chunk === 'string' ? encoder.encode(chunk) : chunk, out);
    for (const item of out) yield item;
    out.length = 0;
  }
  lines.end(out);
  yield* out;
}

/**
 * Streams sentences and `-DOCSTART-` lines from a file path, a Readable or an async iterable of
 * bytes, holding one chunk and one sentence in memory at a time. Invalid UTF-8 is an error
 * (strict) or replaced by U+FFFD and reported (lenient).
 */
export function readConllItems(source: ConllSource, options: ConllReadOptions = {}): AsyncGenerator<ConllItem> {
  return streamItems(source, options);
}

/** Streams the sentences of a CoNLL source (see {@link readConllItems}); `-DOCSTART-` lines are skipped. */
export async function* readConll(source: ConllSource, options: ConllReadOptions = {}): AsyncGenerator<ConllSentence> {
  for await (const item of streamItems(source, options)) if (item.kind === 'sentence') yield item.sentence;
}

/** Reads a whole CoNLL source into documents plus the layout needed to write it back byte for byte. */
export async function readConllCorpus(source: ConllSource, options: ConllReadOptions = {}): Promise<ConllCorpus> {
  const { file } = typeof source === 'string' ? { file: source } : { file: '<stream>' };
  const parser = new LineParser(options, file);
  const items: ConllItem[] = [];
  for await (const item of streamItems(source, options, parser)) items.push(item);
  return { documents: groupDocuments(items), format: parser.format };
}

/** All sentences of a corpus, in order. */
export function corpusSentences(corpus: ConllCorpus): ConllSentence[] {
  return corpus.documents.flatMap((document) => document.sentences);
}
