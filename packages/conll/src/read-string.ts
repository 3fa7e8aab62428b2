import { ConllUsageError } from './errors';
import { LineParser } from './line-parser';
import { checkReadOptions } from './options';
import { describeValue } from './quote';
import type { ConllCorpus, ConllDocument, ConllItem, ConllReadOptions, ConllSentence } from './types';

// Reading CoNLL text already in memory: no Node built-ins (this module bundles for browsers).

const STRING_FILE = '<string>';

/** Groups items into documents: sentences before any `-DOCSTART-` form a document without one. */
export function groupDocuments(items: Iterable<ConllItem>): ConllDocument[] {
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

/** Parses the last block of input (no line break may follow it), records whether it ended with one, and ends the last sentence. */
export function finish(parser: LineParser, rest: string | undefined, out: ConllItem[]): void {
  if (rest !== undefined && rest.length > 0) {
    const restStart = parser.pushLines(rest, 0, out, false);
    parser.format.finalNewline = restStart === rest.length;
    if (restStart < rest.length) parser.push(rest.slice(restStart), out);
  }
  parser.flush(out);
}

/**
 * Reads CoNLL text already in memory: documents, sentences and the layout needed to write it back byte for byte.
 * Lines end with `\n`, `\r\n` or a lone `\r` (mixed endings are read; the first one is recorded).
 *
 * @throws ConllParseError in strict mode for malformed input (see {@link ConllReadOptions}); also in
 *   lenient mode for a NUL character or a tag with a prefix but no type (`B-`).
 * @throws ConllUsageError for a `text` that is not a string, an unknown option or a bad option value.
 */
export function readConllString(text: string, options: ConllReadOptions = {}): ConllCorpus {
  checkReadOptions(options, 'readConllString');
  if (typeof text !== 'string') {
    throw new ConllUsageError(
      'INVALID_ARGUMENT',
      'text',
      `readConllString: text must be a string, received ${describeValue(text)}; for bytes (a Buffer or Uint8Array) call readConllCorpus(bytes), which decodes and checks UTF-8`,
    );
  }
  const parser = new LineParser(options, STRING_FILE);
  const items: ConllItem[] = [];
  let body = text;
  if (body.charCodeAt(0) === 0xfeff) {
    parser.format.bom = true;
    body = body.slice(1);
  }
  body = parser.checkText(body, 1);
  const restStart = parser.pushLines(body, 0, items, false);
  parser.format.finalNewline = body.length > 0 && restStart === body.length;
  if (restStart < body.length) parser.push(body.slice(restStart), items);
  parser.flush(items);
  return { documents: groupDocuments(items), format: parser.format };
}

/** All sentences of a corpus, in order. */
export function corpusSentences(corpus: ConllCorpus): ConllSentence[] {
  if (corpus === null || typeof corpus !== 'object' || !Array.isArray(corpus.documents)) {
    throw new ConllUsageError('INVALID_ARGUMENT', 'corpus', `corpusSentences: corpus must be what readConllString or readConllCorpus returned ({ documents, format }), received ${describeValue(corpus)}`);
  }
  return corpus.documents.flatMap((document) => document.sentences);
}
