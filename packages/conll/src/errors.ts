import { quote } from './quote';
import type { TaggingScheme } from './schemes';

/** Where a problem sits in CoNLL input: file (or `<string>`), 1-based line and column. */
export interface ConllPlace {
  file: string;
  line: number;
  column: number;
}

export type ConllParseErrorCode =
  | 'MISSING_TAG'
  | 'EMPTY_FIELD'
  | 'INVALID_SCHEME_TAG'
  | 'EMPTY_TAG_TYPE'
  | 'MIXED_SEPARATOR'
  | 'INVALID_UTF8'
  | 'INVALID_UTF16'
  | 'NUL_BYTE'
  | 'UTF16_INPUT'
  | 'LINE_TOO_LONG'
  | 'NOT_A_FILE'
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE';

/**
 * Malformed or unreadable CoNLL input. The message says what is wrong, where (file:line:column),
 * what was expected and what was received. Problems with the whole file (a directory, a missing
 * file, UTF-16 bytes) have `line` and `column` 0 and a message starting `file: `.
 */
export class ConllParseError extends Error {
  override readonly name = 'ConllParseError';
  readonly code: ConllParseErrorCode;
  readonly file: string;
  readonly line: number;
  readonly column: number;

  constructor(code: ConllParseErrorCode, place: ConllPlace, what: string, options?: { cause?: unknown }) {
    super(place.line > 0 ? `${place.file}:${place.line}:${place.column}: ${what}` : `${place.file}: ${what}`, options);
    this.code = code;
    this.file = place.file;
    this.line = place.line;
    this.column = place.column;
  }
}

/** A tag whose prefix the tagging scheme does not allow (e.g. `E-PER` in IOB2). */
export class InvalidTagError extends Error {
  override readonly name = 'InvalidTagError';
  readonly code = 'INVALID_TAG' as const;
  readonly index: number;
  readonly tag: string;
  readonly scheme: TaggingScheme;

  constructor(index: number, tag: string, scheme: TaggingScheme, expected: string) {
    super(`Invalid ${scheme} tag at index ${index}: expected ${expected}, received ${quote(tag)}`);
    this.index = index;
    this.tag = tag;
    this.scheme = scheme;
  }
}

/** Tag sequences that fit no single tagging scheme. */
export class SchemeDetectionError extends Error {
  override readonly name = 'SchemeDetectionError';
  readonly code = 'SCHEME_UNDETECTABLE' as const;

  constructor(what: string) {
    super(`Cannot detect the tagging scheme: ${what}`);
  }
}

/** Bad vocabulary / label-index input (unknown label, malformed JSON, bad options). */
export class VocabularyError extends Error {
  override readonly name = 'VocabularyError';
  readonly code: 'UNKNOWN_LABEL' | 'BAD_VOCABULARY_JSON' | 'BAD_OPTION';

  constructor(code: 'UNKNOWN_LABEL' | 'BAD_VOCABULARY_JSON' | 'BAD_OPTION', what: string) {
    super(what);
    this.code = code;
  }
}

export type ConllWriteErrorCode = 'UNWRITABLE_FIELD' | 'LENGTH_MISMATCH' | 'EMPTY_SENTENCE' | 'INVALID_INPUT';

/**
 * Sentences that cannot be written as CoNLL readable back: a separator, line break, NUL or lone
 * surrogate inside a field, an empty sentence, mismatched lengths, or a value that is not text.
 */
export class ConllWriteError extends Error {
  override readonly name = 'ConllWriteError';
  readonly code: ConllWriteErrorCode;

  constructor(code: ConllWriteErrorCode, what: string) {
    super(what);
    this.code = code;
  }
}

export type ConllUsageErrorCode = 'UNKNOWN_OPTION' | 'INVALID_OPTION' | 'INVALID_ARGUMENT';

/**
 * A call the API cannot serve: an option key it does not know (`{ separator: 'comma' }` is
 * refused, not ignored), an option value outside its domain, or an argument of the wrong type.
 * The message lists what is accepted.
 */
export class ConllUsageError extends Error {
  override readonly name = 'ConllUsageError';
  readonly code: ConllUsageErrorCode;
  /** The option or argument at fault (`separator`, `source`). */
  readonly option: string;

  constructor(code: ConllUsageErrorCode, option: string, what: string) {
    super(what);
    this.code = code;
    this.option = option;
  }
}
