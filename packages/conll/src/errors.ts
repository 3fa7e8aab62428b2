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
  | 'INVALID_UTF8';

/**
 * Malformed CoNLL input. The message says what is wrong, where (file:line:column),
 * what was expected and what was received.
 */
export class ConllParseError extends Error {
  override readonly name = 'ConllParseError';
  readonly code: ConllParseErrorCode;
  readonly file: string;
  readonly line: number;
  readonly column: number;

  constructor(code: ConllParseErrorCode, place: ConllPlace, what: string, options?: { cause?: unknown }) {
    super(`${place.file}:${place.line}:${place.column}: ${what}`, options);
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
    super(`Invalid ${scheme} tag at index ${index}: expected ${expected}, received ${JSON.stringify(tag)}`);
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

/** Sentences that cannot be written as CoNLL readable back (a separator inside a field, mismatched lengths). */
export class ConllWriteError extends Error {
  override readonly name = 'ConllWriteError';
  readonly code: 'UNWRITABLE_FIELD' | 'LENGTH_MISMATCH';

  constructor(code: 'UNWRITABLE_FIELD' | 'LENGTH_MISMATCH', what: string) {
    super(what);
    this.code = code;
  }
}
