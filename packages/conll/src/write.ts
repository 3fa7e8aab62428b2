import { ConllUsageError, ConllWriteError } from './errors';
import { checkOptions, isBoolean, oneOf } from './options';
import { describeValue, quote } from './quote';
import { hasPrefixWithoutType } from './tag-type';
import { findLoneSurrogate } from './text-checks';
import type { ConllCorpus, ConllDocument, ConllFormat, ConllSentence, ConllToken } from './types';

const DOCSTART = '-DOCSTART-';
const DEFAULT_FORMAT: ConllFormat = { bom: false, eol: '\n', separator: '\t', finalNewline: true, lineCount: 0 };
/** Most blank lines the writer puts before an item to reach its recorded line; more means the line number is not one the reader gave. */
const MAX_GAP = 1_000_000;

export interface ConllWriteOptions {
  /** Layout to write with; defaults to the corpus's own, else tab-separated, LF, final newline. */
  format?: Partial<ConllFormat>;
}

const FORMAT_OPTIONS = {
  bom: isBoolean,
  eol: oneOf(['\n', '\r\n', '\r']),
  separator: (value: unknown) => (typeof value === 'string' && /^(\t| *)$/.test(value) ? undefined : "'\\t', a run of spaces (' ') or '' for the default tab"),
  finalNewline: isBoolean,
  lineCount: (value: unknown) => (Number.isSafeInteger(value) && (value as number) >= 0 ? undefined : 'a non-negative integer'),
};

function checkField(field: unknown, what: string, separator: string, where: string): void {
  if (typeof field !== 'string') throw new ConllWriteError('INVALID_INPUT', `${where}: ${what} must be a string, received ${describeValue(field)}`);
  if (field.length === 0) throw new ConllWriteError('UNWRITABLE_FIELD', `${where}: empty ${what}; a CoNLL field needs at least one character`);
  const forbidden = separator.includes(' ') ? ' \t\n\r\0' : '\t\n\r\0';
  for (let i = 0; i < field.length; i++) {
    if (forbidden.includes(field[i])) {
      const why = field[i] === '\0' ? 'which no CoNLL reader accepts' : 'which would split it';
      throw new ConllWriteError('UNWRITABLE_FIELD', `${where}: ${what} ${quote(field)} holds ${JSON.stringify(field[i])}, ${why}; expected no separator, line break or NUL`);
    }
  }
  const surrogate = findLoneSurrogate(field);
  if (surrogate >= 0) {
    throw new ConllWriteError('UNWRITABLE_FIELD', `${where}: ${what} ${quote(field)} holds a lone surrogate at index ${surrogate}, which UTF-8 cannot encode; expected well-formed text`);
  }
}

function tokenLine(token: ConllToken, separator: string, where: string): string {
  if (token === null || typeof token !== 'object') throw new ConllWriteError('INVALID_INPUT', `${where}: expected a token { text, tag, columns }, received ${describeValue(token)}`);
  checkField(token.text, 'token', separator, where);
  const after = token.text.charAt(DOCSTART.length);
  if (token.text.startsWith(DOCSTART) && (after === '' || after === ' ' || after === '\t')) {
    throw new ConllWriteError('UNWRITABLE_FIELD', `${where}: token "-DOCSTART-" would read back as a document start`);
  }
  let line = token.text;
  const columns: unknown = token.columns ?? [];
  if (!Array.isArray(columns)) throw new ConllWriteError('INVALID_INPUT', `${where}: columns must be an array of strings, received ${describeValue(columns)}`);
  for (const column of columns as unknown[]) {
    checkField(column, 'column', separator, where);
    line += separator + (column as string);
  }
  if (token.tag !== undefined) {
    checkField(token.tag, 'tag', separator, where);
    if (hasPrefixWithoutType(token.tag)) {
      throw new ConllWriteError('UNWRITABLE_FIELD', `${where}: tag ${quote(token.tag)} has the prefix ${token.tag[0]} but no entity type, which no reader would accept; expected a tag such as "${token.tag[0]}-person" or "O"`);
    }
    line += separator + token.tag;
  }
  return line;
}

function checkLine(line: unknown, where: string): number | undefined {
  if (line === undefined) return undefined;
  if (!Number.isSafeInteger(line) || (line as number) < 1) {
    throw new ConllWriteError('INVALID_INPUT', `${where}: line must be a positive integer (the 1-based line the reader gave) or absent, received ${describeValue(line)}`);
  }
  return line as number;
}

function documentsOf(input: unknown): { documents: readonly ConllDocument[]; format?: ConllFormat } {
  if (Array.isArray(input)) return { documents: [{ sentences: input as ConllSentence[] }] };
  if (input !== null && typeof input === 'object' && Array.isArray((input as ConllCorpus).documents)) return input as ConllCorpus;
  throw new ConllUsageError(
    'INVALID_ARGUMENT',
    'input',
    `writeConll: input must be an array of sentences or a corpus ({ documents, format }) from readConllString, received ${describeValue(input)}`,
  );
}

/**
 * Writes documents back as CoNLL text. With the `format` and line numbers `readConllString`
 * returned, valid input comes back byte for byte: BOM, line endings, separator, blank lines,
 * `-DOCSTART-` lines, final newline. Without them: tab-separated, one blank line between sentences.
 * A file read with mixed line endings is written with the first one throughout.
 *
 * @throws ConllWriteError for a field that could not be read back (empty, not a string, or holding
 *   a separator, line break, NUL or lone surrogate) and for a sentence without tokens, which CoNLL
 *   cannot hold (it would vanish on reading).
 * @throws ConllUsageError for input that is not sentences or a corpus, an unknown option or a bad format value.
 */
export function writeConll(input: ConllCorpus | readonly ConllSentence[], options: ConllWriteOptions = {}): string {
  checkOptions(options, { format: (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? undefined : 'an object') }, 'writeConll');
  checkOptions(options.format, FORMAT_OPTIONS, 'writeConll format');
  const corpus = documentsOf(input);
  const format: ConllFormat = { ...DEFAULT_FORMAT, ...corpus.format, ...options.format };
  const separator = format.separator || '\t';
  const lines: string[] = [];
  let previousWasDocstart = true;
  // Places an item at its recorded line when that keeps the file readable, else after one blank line.
  const place = (line: number | undefined, isDocstart: boolean, where: string): void => {
    const minGap = lines.length === 0 || isDocstart || previousWasDocstart ? 0 : 1;
    const defaultGap = lines.length === 0 ? 0 : 1;
    const gap = line !== undefined && line - 1 - lines.length >= minGap ? line - 1 - lines.length : defaultGap;
    if (gap > MAX_GAP) {
      throw new ConllWriteError('INVALID_INPUT', `${where}: line ${line} would put ${gap} blank lines before it; expected the line the reader gave, or no line`);
    }
    for (let k = 0; k < gap; k++) lines.push('');
    previousWasDocstart = isDocstart;
  };
  corpus.documents.forEach((document, d) => {
    if (document === null || typeof document !== 'object' || !Array.isArray(document.sentences)) {
      throw new ConllWriteError('INVALID_INPUT', `document ${d}: expected { docstart?, line?, sentences: [...] }, received ${describeValue(document)}`);
    }
    if (document.docstart !== undefined) {
      const text: unknown = document.docstart;
      const after = typeof text === 'string' ? text.charAt(DOCSTART.length) : '';
      if (typeof text !== 'string' || !text.startsWith(DOCSTART) || !(after === '' || after === ' ' || after === '\t') || /[\r\n\0]/.test(text) || findLoneSurrogate(text) >= 0) {
        throw new ConllWriteError('INVALID_INPUT', `document ${d}: docstart must be a "-DOCSTART-" line (optionally followed by columns) on one line, received ${describeValue(text)}`);
      }
      place(checkLine(document.line, `document ${d}`), true, `document ${d}`);
      lines.push(text);
    }
    document.sentences.forEach((sentence, s) => {
      const where = `document ${d}, sentence ${s}`;
      if (sentence === null || typeof sentence !== 'object' || !Array.isArray(sentence.tokens)) {
        throw new ConllWriteError('INVALID_INPUT', `${where}: expected a sentence { tokens: [...] }, received ${describeValue(sentence)}`);
      }
      if (sentence.tokens.length === 0) {
        throw new ConllWriteError('EMPTY_SENTENCE', `${where} has no tokens; a CoNLL sentence is one or more token lines, so an empty one would vanish on reading. Drop it or give it tokens`);
      }
      place(checkLine(sentence.line, where), false, where);
      sentence.tokens.forEach((token, t) => lines.push(tokenLine(token, separator, `${where}, token ${t}`)));
    });
  });
  while (lines.length < format.lineCount) lines.push('');
  if (!format.bom && lines.length > 0 && lines[0].charCodeAt(0) === 0xfeff) {
    throw new ConllWriteError('UNWRITABLE_FIELD', 'the first line starts with U+FEFF, which a reader takes for a byte order mark and drops; write with format: { bom: true } to keep it');
  }
  let text = lines.join(format.eol);
  if (format.finalNewline && lines.length > 0) text += format.eol;
  return (format.bom ? '\uFEFF' : '') + text;
}

/**
 * Writes gold and predicted tags as conlleval reads them: `token gold pred` per line, space
 * separated, a blank line after each sentence.
 *
 * @throws ConllWriteError when a prediction's length differs from its sentence's, or a field holds a space.
 * @example writeConlleval([{ tokens: [{ text: 'Obama', tag: 'B-person', columns: [] }] }], [['B-person']]) // 'Obama B-person B-person\n\n'
 */
export function writeConlleval(sentences: readonly ConllSentence[], predictions: readonly (readonly string[])[]): string {
  if (!Array.isArray(sentences)) throw new ConllUsageError('INVALID_ARGUMENT', 'sentences', `writeConlleval: sentences must be an array, received ${describeValue(sentences)}`);
  if (!Array.isArray(predictions)) throw new ConllUsageError('INVALID_ARGUMENT', 'predictions', `writeConlleval: predictions must be an array of tag arrays, received ${describeValue(predictions)}`);
  if (sentences.length !== predictions.length) {
    throw new ConllWriteError('LENGTH_MISMATCH', `expected one prediction per sentence (${sentences.length}), received ${predictions.length}`);
  }
  let text = '';
  sentences.forEach((sentence, s) => {
    const predicted = predictions[s];
    if (!Array.isArray(predicted)) throw new ConllWriteError('INVALID_INPUT', `sentence ${s}: predicted tags must be an array of strings, received ${describeValue(predicted)}`);
    if (sentence === null || typeof sentence !== 'object' || !Array.isArray(sentence.tokens)) {
      throw new ConllWriteError('INVALID_INPUT', `sentence ${s}: expected a sentence { tokens: [...] }, received ${describeValue(sentence)}`);
    }
    if (predicted.length !== sentence.tokens.length) {
      throw new ConllWriteError('LENGTH_MISMATCH', `sentence ${s}: expected ${sentence.tokens.length} predicted tags, received ${predicted.length}`);
    }
    sentence.tokens.forEach((token: ConllToken, t: number) => {
      const where = `sentence ${s}, token ${t}`;
      if (token === null || typeof token !== 'object') throw new ConllWriteError('INVALID_INPUT', `${where}: expected a token { text, tag, columns }, received ${describeValue(token)}`);
      const gold = token.tag ?? 'O';
      checkField(token.text, 'token', ' ', where);
      checkField(gold, 'gold tag', ' ', where);
      checkField(predicted[t], 'predicted tag', ' ', where);
      text += `${token.text} ${gold} ${predicted[t]}\n`;
    });
    text += '\n';
  });
  return text;
}
