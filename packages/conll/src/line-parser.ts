import { convertScheme } from './convert';
import { ConllParseError, InvalidTagError, type ConllParseErrorCode } from './errors';
import { quote } from './quote';
import { repairIob2 } from './repair';
import { hasPrefixWithoutType } from './tag-type';
import { findLoneSurrogate, placeOf, replaceLoneSurrogates } from './text-checks';
import type { ConllFormat, ConllItem, ConllReadOptions, ConllRepair, ConllSentence, ConllToken } from './types';

const NO_COLUMNS: readonly string[] = Object.freeze([]);
const DOCSTART = '-DOCSTART-';
/** Tags remembered by {@link LineParser} for sharing; past this many distinct tags, new ones are sliced. */
const MAX_SHARED_TAGS = 64;
const WHITESPACE_ONLY = /^[ \t]*$/;

/**
 * The line-by-line state machine behind every reader: feed it lines (without their line
 * ending), it returns the items they complete. Holds one sentence at a time.
 */
export class LineParser {
  readonly format: ConllFormat = { bom: false, eol: '\n', separator: '', finalNewline: false, lineCount: 0 };
  private readonly file: string;
  /** Split on each tab only; in `auto` mode set by the first token line. */
  private tab: boolean;
  /** `auto` mode decided the file is space-separated: a line holding a tab is refused. */
  private spaceOnly = false;
  private readonly auto: boolean;
  /** Line that decided the separator in `auto` mode. */
  private decidedAt = 0;
  private readonly tagged: boolean;
  private readonly lenient: boolean;
  private tokens: ConllToken[] = [];
  private firstLine = 0;
  private eolSeen = false;
  /** Distinct tags seen on fast-path lines, reused instead of slicing a new string per token. */
  private readonly tags: string[] = [];
  /** The text {@link crAt} was searched in, so a streaming caller's repeated calls do not search it again. */
  private crText = '';
  /** Index of the next `\r` in {@link crText} at or after the last search start, -1 for none. */
  private crAt = -1;
  /** Where the search for {@link crAt} started. */
  private crFrom = 0;

  constructor(private readonly options: ConllReadOptions, file: string) {
    this.file = options.file ?? file;
    this.tab = options.separator === 'tab';
    this.auto = options.separator === undefined || options.separator === 'auto';
    this.tagged = options.tagged ?? true;
    this.lenient = options.mode === 'lenient';
  }

  /** Records the line ending of the first terminated line. */
  noteEol(eol: ConllFormat['eol']): void {
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

  /**
   * Checks a block of input whose first character starts line `firstLine`, before its lines are
   * parsed: a NUL is an error in both modes (binary or UTF-16 data); a lone surrogate (which no
   * UTF-8 file can hold) is an error in strict mode and becomes U+FFFD, reported, in lenient mode.
   * Returns the text to parse.
   */
  checkText(text: string, firstLine: number): string {
    const nul = text.indexOf('\0');
    if (nul >= 0) {
      const { line, column } = placeOf(text, nul, firstLine);
      this.fail(
        'NUL_BYTE',
        line,
        column,
        'NUL character (U+0000); expected text, and CoNLL text holds none. A UTF-16 file without a byte order mark looks like this: ' +
          'convert it to UTF-8 (e.g. `iconv -f UTF-16LE -t UTF-8 in.conll > out.conll`)',
      );
    }
    let at = findLoneSurrogate(text);
    if (at < 0) return text;
    while (at >= 0) {
      const { line, column } = placeOf(text, at, firstLine);
      const unit = text.charCodeAt(at).toString(16).toUpperCase();
      const message = `lone surrogate U+${unit}; expected well-formed text (no UTF-8 file can hold half a surrogate pair)`;
      this.repair('INVALID_UTF16', line, column, this.lenient ? `${message} (replaced by U+FFFD)` : message, 'INVALID_UTF16');
      at = findLoneSurrogate(text, at + 1);
    }
    return replaceLoneSurrogates(text);
  }

  fail(code: ConllParseErrorCode, line: number, column: number, what: string): never {
    throw new ConllParseError(code, { file: this.file, line, column }, what);
  }

  repair(code: ConllRepair['code'], line: number, column: number, message: string, strictCode: ConllParseErrorCode): void {
    if (!this.lenient) this.fail(strictCode, line, column, message);
    this.options.onRepair?.({ code, file: this.file, line, column, message });
  }

  /**
   * Parses the complete lines (ended by `\n`, `\r\n` or a lone `\r`) of `text` from index `start`
   * and returns the index where the unterminated rest starts (`text.length` when `text` ends with
   * a line break). A `\r` at the very end of `text` counts as a line break: callers hand over
   * either the whole input or blocks that never end between the `\r` and `\n` of a CRLF.
   * With `stopAfterItem`, returns early, just after the first line that completes an item, so a
   * streaming caller can hand each sentence on before the next is parsed.
   */
  pushLines(text: string, start: number, out: ConllItem[], stopAfterItem: boolean): number {
    // The next `\r` at or after `crFrom` in `crText` (-1: none). The cache is keyed by the string's
    // value, so a later chunk with the same text must not inherit a search that ran past `start`.
    if (text !== this.crText || start < this.crFrom) {
      this.crText = text;
      this.crFrom = start;
      this.crAt = text.indexOf('\r', start);
    }
    for (;;) {
      if (this.crAt >= 0 && this.crAt < start) {
        this.crFrom = start;
        this.crAt = text.indexOf('\r', start);
      }
      const cr = this.crAt;
      let newline = text.indexOf('\n', start);
      let end: number;
      if (cr >= 0 && (newline < 0 || cr < newline)) {
        end = cr;
        if (newline === cr + 1) {
          if (!this.eolSeen) this.noteEol('\r\n');
        } else {
          newline = cr;
          if (!this.eolSeen) this.noteEol('\r');
        }
      } else if (newline < 0) {
        return start;
      } else {
        end = newline;
        if (!this.eolSeen) this.noteEol('\n');
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
            if (at >= 0 || (c === 9 && this.spaceOnly)) {
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
        this.tokens.push({ text: text.slice(start, at), tag: this.sharedTag(text, start, at + 1, end), columns: NO_COLUMNS });
        return;
      }
    }
    this.push(text.slice(start, end), out);
  }

  /** `text.slice(from, to)`, returning the string of an earlier equal tag where there is one (a few dozen distinct tags). */
  private sharedTag(text: string, lineStart: number, from: number, to: number): string {
    const length = to - from;
    if (length === 1) return text[from];
    const tags = this.tags;
    for (let k = 0; k < tags.length; k++) {
      const tag = tags[k];
      if (tag.length === length && text.startsWith(tag, from)) return tag;
    }
    const tag = text.slice(from, to);
    this.checkTagType(tag, this.format.lineCount, from - lineStart + 1);
    if (tags.length < MAX_SHARED_TAGS) tags.push(tag);
    return tag;
  }

  /**
   * Refuses a tag that has a chunk prefix but no type (`B-`, `I--`): seqeval and conlleval would
   * read it as a chunk of type `_` or `''`, silently. `column` is the tag's 1-based column.
   */
  private checkTagType(tag: string, line: number, column: number): void {
    if (!hasPrefixWithoutType(tag)) return;
    this.fail(
      'EMPTY_TAG_TYPE',
      line,
      column,
      `tag ${quote(tag)} has the prefix ${tag[0]} but no entity type; expected a tag such as "${tag[0]}-person" or "O"`,
    );
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
    // A whitespace-only line decides nothing: it is refused or dropped below, and the next token line decides.
    if (this.format.separator === '') {
      if (!WHITESPACE_ONLY.test(text)) this.decideSeparator(text, line);
    }
    else if (this.spaceOnly && text.includes('\t')) {
      this.repair(
        'MIXED_SEPARATOR',
        line,
        text.indexOf('\t') + 1,
        `line holds a tab, but the first token line (line ${this.decidedAt}) has none, so the file is read as space-separated; ` +
          `expected spaces between fields, received ${quote(text)}. Pass separator: 'tab' (tokens may hold spaces) or 'whitespace' (spaces and tabs alike)`,
        'MIXED_SEPARATOR',
      );
    }
    const fields = this.tab ? text.split('\t') : splitWhitespace(text);
    let start = 0;
    let end = fields.length;
    if (!this.tab) {
      // Leading or trailing whitespace leaves an empty first or last field.
      if (fields[0] === '') {
        if (end === 1 || (end === 2 && fields[1] === '')) {
          this.repair('BLANKISH_LINE', line, 1, `line holds only whitespace; expected a token line or an empty line, received ${quote(text)}`, 'EMPTY_FIELD');
          return this.flush(out);
        }
        this.repair('EMPTY_FIELD', line, 1, `line starts with whitespace, so the token is empty; expected a token in column 1, received ${quote(text)}`, 'EMPTY_FIELD');
        start = 1;
      }
      if (fields[end - 1] === '' && end - 1 > start) {
        this.repair('EMPTY_FIELD', line, text.length, `line ends with whitespace; expected the last column to end the line, received ${quote(text)}`, 'EMPTY_FIELD');
        end -= 1;
      }
    } else {
      let column = 1;
      for (let f = 0; f < fields.length; f++) {
        if (fields[f] === '') {
          const which = f === 0 ? 'token' : f === fields.length - 1 && this.tagged ? 'tag' : `column ${f + 1}`;
          this.repair('EMPTY_FIELD', line, column, `empty ${which}; expected text between tabs, received ${quote(text)}`, 'EMPTY_FIELD');
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
      const why = this.auto && this.tab && text.includes(' ') ? ` (the file is tab-separated because line ${this.decidedAt} holds a tab, so spaces do not split fields; pass separator: 'whitespace' to split on spaces too)` : '';
      this.repair('MISSING_TAG', line, text.length + 1, `token line has one field where a tag is required; expected "token<separator>tag", received ${quote(text)}${why} (lenient mode tags it O)`, 'MISSING_TAG');
      token = { text: fields[start], tag: 'O', columns: NO_COLUMNS };
    } else {
      token = { text: fields[start], tag: fields[end - 1], columns: count > 2 ? fields.slice(start + 1, end - 1) : NO_COLUMNS };
      this.checkTagType(token.tag!, line, text.lastIndexOf(token.tag!) + 1);
    }
    if (this.tokens.length === 0) this.firstLine = line;
    this.tokens.push(token);
  }

  /** Fixes the separator at the first token line; in `auto` mode a tab on that line makes the file tab-separated. */
  private decideSeparator(text: string, line: number): void {
    if (this.auto) {
      this.tab = text.includes('\t');
      this.spaceOnly = !this.tab;
      this.decidedAt = line;
    }
    this.format.separator = this.tab ? '\t' : firstWhitespaceRun(text);
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
      const what = `tag ${quote(error.tag)} does not fit ${scheme}: ${error.message}`;
      if (!this.lenient || scheme !== 'IOB2') this.fail('INVALID_SCHEME_TAG', line, column, what);
      const { tags: fixed, repairs } = repairIob2(tags);
      try {
        convertScheme(fixed, scheme, scheme);
      } catch {
        this.fail('INVALID_SCHEME_TAG', line, column, what);
      }
      for (const { index, from, to } of repairs) {
        const token = sentence.tokens[index];
        this.repair('INVALID_SCHEME_TAG', sentence.line! + index, this.tagColumn(token), `I- tag ${quote(from)} does not continue a chunk; repaired to ${quote(to)}`, 'INVALID_SCHEME_TAG');
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
