import { convertScheme } from './convert';
import { ConllParseError, InvalidTagError, type ConllParseErrorCode } from './errors';
import { repairIob2 } from './repair';
import type { ConllFormat, ConllItem, ConllReadOptions, ConllRepair, ConllSentence, ConllToken } from './types';

const NO_COLUMNS: readonly string[] = Object.freeze([]);
const DOCSTART = '-DOCSTART-';
/** Tags remembered by {@link LineParser} for sharing; past this many distinct tags, new ones are sliced. */
const MAX_SHARED_TAGS = 64;

/**
 * The line-by-line state machine behind every reader: feed it lines (without their line
 * ending), it returns the items they complete. Holds one sentence at a time.
 */
export class LineParser {
  readonly format: ConllFormat = { bom: false, eol: '\n', separator: '', finalNewline: false, lineCount: 0 };
  private readonly file: string;
  private readonly tab: boolean;
  private readonly tagged: boolean;
  private readonly lenient: boolean;
  private tokens: ConllToken[] = [];
  private firstLine = 0;
  private eolSeen = false;
  /** Distinct tags seen on fast-path lines, reused instead of slicing a new string per token. */
  private readonly tags: string[] = [];

  constructor(private readonly options: ConllReadOptions, file: string) {
    this.file = options.file ?? file;
    this.tab = options.separator === 'tab';
    this.tagged = options.tagged ?? true;
    this.lenient = options.mode === 'lenient';
  }

  /** Records the line ending of the first terminated line. */
  noteEol(eol: '\n' | '\r\n'): void {
    if (!this.eolSeen) {
      this.format.eol = eol;
      this.eolSeen = true;
    }
  }

  get fileName(): string {
    return this.file;
  }

  /** Reports a repair lenient mode made outside the line grammar (invalid UTF-8). */
  report(repair: Omit<ConllRepair, 'file'>): void {
    this.options.onRepair?.({ ...repair, file: this.file });
  }

  fail(code: ConllParseErrorCode, line: number, column: number, what: string): never {
    throw new ConllParseError(code, { file: this.file, line, column }, what);
  }

  repair(code: ConllRepair['code'], line: number, column: number, message: string, strictCode: ConllParseErrorCode): void {
    if (!this.lenient) this.fail(strictCode, line, column, message);
    this.options.onRepair?.({ code, file: this.file, line, column, message });
  }

  /**
   * Parses the complete lines (ended by `\n` or `\r\n`) of `text` from index `start` and returns
   * the index where the unterminated rest starts (`text.length` when `text` ends with a newline).
   * With `stopAfterItem`, returns early, just after the first line that completes an item, so a
   * streaming caller can hand each sentence on before the next is parsed.
   */
  pushLines(text: string, start: number, out: ConllItem[], stopAfterItem: boolean): number {
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline < 0) return start;
      let end = newline;
      if (end > start && text.charCodeAt(end - 1) === 13) {
        end--;
        if (!this.eolSeen) this.noteEol('\r\n');
      } else if (!this.eolSeen) {
        this.noteEol('\n');
      }
      this.pushRange(text, start, end, out);
      start = newline + 1;
      if (stopAfterItem && out.length > 0) return start;
    }
  }

  /**
   * Parses `text[start..end)` as the next line. Fast path for the common tagged line with exactly
   * one separator character (one tab; in whitespace mode one space or tab): no intermediate line
   * string, no field array, and the tag string shared with earlier tokens of the same tag.
   */
  pushRange(text: string, start: number, end: number, out: ConllItem[]): void {
    if (end - start > 2 && this.tagged && this.format.separator !== '' && text.charCodeAt(start) !== 45 /* '-' */) {
      let at = -1;
      if (this.tab) {
        at = text.indexOf('\t', start);
        if (at >= 0 && at < end) {
          const next = text.indexOf('\t', at + 1);
          if (next >= 0 && next < end) at = -1;
        }
      } else {
        for (let i = start; i < end; i++) {
          const c = text.charCodeAt(i);
          if (c === 32 || c === 9) {
            if (at >= 0) {
              at = -1;
              break;
            }
            at = i;
          }
        }
      }
      if (at > start && at < end - 1) {
        const line = ++this.format.lineCount;
        if (this.tokens.length === 0) this.firstLine = line;
        this.tokens.push({ text: text.slice(start, at), tag: this.sharedTag(text, at + 1, end), columns: NO_COLUMNS });
        return;
      }
    }
    this.push(text.slice(start, end), out);
  }

  /** `text.slice(from, to)`, returning the string of an earlier equal tag where there is one (a few dozen distinct tags). */
  private sharedTag(text: string, from: number, to: number): string {
    const length = to - from;
    if (length === 1) return text[from];
    const tags = this.tags;
    for (let k = 0; k < tags.length; k++) {
      const tag = tags[k];
      if (tag.length === length && text.startsWith(tag, from)) return tag;
    }
    const tag = text.slice(from, to);
    if (tags.length < MAX_SHARED_TAGS) tags.push(tag);
    return tag;
  }

  /** Parses line number `this.format.lineCount + 1`, appending the items it completes to `out`. */
  push(text: string, out: ConllItem[]): void {
    const line = ++this.format.lineCount;
    if (text.length === 0) return this.flush(out);
    if (text.startsWith(DOCSTART) && (text.length === DOCSTART.length || text[DOCSTART.length] === ' ' || text[DOCSTART.length] === '\t')) {
      this.flush(out);
      out.push({ kind: 'docstart', text, line });
      return;
    }
    const fields = this.tab ? text.split('\t') : splitWhitespace(text);
    if (this.format.separator === '') this.format.separator = this.tab ? '\t' : firstWhitespaceRun(text);
    let start = 0;
    let end = fields.length;
    if (!this.tab) {
      // Leading or trailing whitespace leaves an empty first or last field.
      if (fields[0] === '') {
        if (end === 1 || (end === 2 && fields[1] === '')) {
          this.repair('BLANKISH_LINE', line, 1, `line holds only whitespace; expected a token line or an empty line, received ${JSON.stringify(text)}`, 'EMPTY_FIELD');
          return this.flush(out);
        }
        this.repair('EMPTY_FIELD', line, 1, `line starts with whitespace, so the token is empty; expected a token in column 1, received ${JSON.stringify(text)}`, 'EMPTY_FIELD');
        start = 1;
      }
      if (fields[end - 1] === '' && end - 1 > start) {
        this.repair('EMPTY_FIELD', line, text.length, `line ends with whitespace; expected the last column to end the line, received ${JSON.stringify(text)}`, 'EMPTY_FIELD');
        end -= 1;
      }
    } else {
      let column = 1;
      for (let f = 0; f < fields.length; f++) {
        if (fields[f] === '') {
          const which = f === 0 ? 'token' : f === fields.length - 1 && this.tagged ? 'tag' : `column ${f + 1}`;
          this.repair('EMPTY_FIELD', line, column, `empty ${which}; expected text between tabs, received ${JSON.stringify(text)}`, 'EMPTY_FIELD');
        }
        column += fields[f].length + 1;
      }
      const kept = fields.filter((field) => field !== '');
      if (kept.length !== fields.length) {
        if (kept.length === 0) return this.flush(out);
        fields.length = 0;
        fields.push(...kept);
        end = fields.length;
      }
    }
    const count = end - start;
    let token: ConllToken;
    if (!this.tagged) {
      token = { text: fields[start], tag: undefined, columns: count > 1 ? fields.slice(start + 1, end) : NO_COLUMNS };
    } else if (count < 2) {
      this.repair('MISSING_TAG', line, text.length + 1, `token line has one field where a tag is required; expected "token<separator>tag", received ${JSON.stringify(text)} (lenient mode tags it O)`, 'MISSING_TAG');
      token = { text: fields[start], tag: 'O', columns: NO_COLUMNS };
    } else {
      token = { text: fields[start], tag: fields[end - 1], columns: count > 2 ? fields.slice(start + 1, end - 1) : NO_COLUMNS };
    }
    if (this.tokens.length === 0) this.firstLine = line;
    this.tokens.push(token);
  }

  /** Ends the current sentence, if any, validates it and appends it to `out`. */
  flush(out: ConllItem[]): void {
    if (this.tokens.length === 0) return;
    const sentence: ConllSentence = { tokens: this.tokens, line: this.firstLine };
    this.tokens = [];
    if (this.options.scheme && this.tagged) this.validate(sentence);
    out.push({ kind: 'sentence', sentence });
  }

  private validate(sentence: ConllSentence): void {
    const scheme = this.options.scheme!;
    const tags = sentence.tokens.map((token) => token.tag ?? 'O');
    try {
      convertScheme(tags, scheme, scheme);
      return;
    } catch (error) {
      if (!(error instanceof InvalidTagError)) throw error;
      const line = sentence.line! + error.index;
      const column = this.tagColumn(sentence.tokens[error.index]);
      const what = `tag ${JSON.stringify(error.tag)} does not fit ${scheme}: ${error.message}`;
      if (!this.lenient || scheme !== 'IOB2') this.fail('INVALID_SCHEME_TAG', line, column, what);
      const { tags: fixed, repairs } = repairIob2(tags);
      try {
        convertScheme(fixed, scheme, scheme);
      } catch {
        this.fail('INVALID_SCHEME_TAG', line, column, what);
      }
      for (const { index, from, to } of repairs) {
        const token = sentence.tokens[index];
        this.repair('INVALID_SCHEME_TAG', sentence.line! + index, this.tagColumn(token), `I- tag ${JSON.stringify(from)} does not continue a chunk; repaired to ${JSON.stringify(to)}`, 'INVALID_SCHEME_TAG');
        token.tag = to;
      }
    }
  }

  private tagColumn(token: ConllToken): number {
    const separator = this.format.separator.length || 1;
    return token.columns.reduce((column, field) => column + field.length + separator, token.text.length + separator + 1);
  }
}

function splitWhitespace(text: string): string[] {
  const fields: string[] = [];
  let start = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      if (i > start || start === 0) fields.push(text.slice(start, i));
      start = i + 1;
    }
  }
  fields.push(text.slice(start));
  return fields;
}

function firstWhitespaceRun(text: string): string {
  const match = /[ \t]+/.exec(text.replace(/^[ \t]+/, ''));
  return match ? match[0] : ' ';
}
