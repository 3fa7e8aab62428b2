import { ConllWriteError } from './errors';
import type { ConllCorpus, ConllDocument, ConllFormat, ConllSentence, ConllToken } from './types';

const DOCSTART = '-DOCSTART-';
const DEFAULT_FORMAT: ConllFormat = { bom: false, eol: '\n', separator: '\t', finalNewline: true, lineCount: 0 };

export interface ConllWriteOptions {
  /** Layout to write with; defaults to the corpus's own, else tab-separated, LF, final newline. */
  format?: Partial<ConllFormat>;
}

function checkField(field: string, what: string, separator: string, where: string): void {
  if (field.length === 0) throw new ConllWriteError('UNWRITABLE_FIELD', `${where}: empty ${what}; a CoNLL field needs at least one character`);
  const forbidden = separator === '\t' ? '\t\n\r' : ' \t\n\r';
  for (const c of field) {
    if (forbidden.includes(c)) {
      throw new ConllWriteError('UNWRITABLE_FIELD', `${where}: ${what} ${JSON.stringify(field)} holds ${JSON.stringify(c)}, which would split it; expected no separator or line break`);
    }
  }
}

function tokenLine(token: ConllToken, separator: string, where: string): string {
  checkField(token.text, 'token', separator, where);
  const after = token.text.charAt(DOCSTART.length);
  if (token.text.startsWith(DOCSTART) && (after === '' || after === ' ' || after === '\t')) {
    throw new ConllWriteError('UNWRITABLE_FIELD', `${where}: token "-DOCSTART-" would read back as a document start`);
  }
  let line = token.text;
  for (const column of token.columns) {
    checkField(column, 'column', separator, where);
    line += separator + column;
  }
  if (token.tag !== undefined) {
    checkField(token.tag, 'tag', separator, where);
    line += separator + token.tag;
  }
  return line;
}

/**
 * Writes documents back as CoNLL text. With the `format` and line numbers `readConllString`
 * returned, valid input comes back byte for byte: BOM, line endings, separator, blank lines,
 * `-DOCSTART-` lines, final newline. Without them: tab-separated, one blank line between sentences.
 *
 * @throws ConllWriteError for a field that could not be read back (empty, or holding a separator or line break).
 */
export function writeConll(input: ConllCorpus | readonly ConllSentence[], options: ConllWriteOptions = {}): string {
  const corpus: { documents: readonly ConllDocument[]; format?: ConllFormat } = Array.isArray(input)
    ? { documents: [{ sentences: input as ConllSentence[] }] }
    : (input as ConllCorpus);
  const format: ConllFormat = { ...DEFAULT_FORMAT, ...corpus.format, ...options.format };
  const separator = format.separator || '\t';
  const lines: string[] = [];
  let previousWasDocstart = true;
  // Places an item at its recorded line when that keeps the file readable, else after one blank line.
  const place = (line: number | undefined, isDocstart: boolean): void => {
    const minGap = lines.length === 0 || isDocstart || previousWasDocstart ? 0 : 1;
    const defaultGap = lines.length === 0 ? 0 : 1;
    const gap = line !== undefined && line - 1 - lines.length >= minGap ? line - 1 - lines.length : defaultGap;
    for (let k = 0; k < gap; k++) lines.push('');
    previousWasDocstart = isDocstart;
  };
  corpus.documents.forEach((document, d) => {
    if (document.docstart !== undefined) {
      place(document.line, true);
      lines.push(document.docstart);
    }
    document.sentences.forEach((sentence, s) => {
      place(sentence.line, false);
      sentence.tokens.forEach((token, t) => lines.push(tokenLine(token, separator, `document ${d}, sentence ${s}, token ${t}`)));
    });
  });
  while (lines.length < format.lineCount) lines.push('');
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
  if (sentences.length !== predictions.length) {
    throw new ConllWriteError('LENGTH_MISMATCH', `expected one prediction per sentence (${sentences.length}), received ${predictions.length}`);
  }
  let text = '';
  sentences.forEach((sentence, s) => {
    const predicted = predictions[s];
    if (predicted.length !== sentence.tokens.length) {
      throw new ConllWriteError('LENGTH_MISMATCH', `sentence ${s}: expected ${sentence.tokens.length} predicted tags, received ${predicted.length}`);
    }
    sentence.tokens.forEach((token, t) => {
      const where = `sentence ${s}, token ${t}`;
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
