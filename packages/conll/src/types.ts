import type { TaggingScheme } from './schemes';

/** One token line: the token (first column), its tag (last column) and any middle columns, kept as read. */
export interface ConllToken {
  text: string;
  /** `undefined` when reading tag-less input (`tagged: false`). */
  tag: string | undefined;
  /** Columns between the token and the tag (POS, chunk, ...); empty for two-column files. */
  columns: readonly string[];
}

/** A sentence (a tweet): token lines between blank lines. */
export interface ConllSentence {
  tokens: ConllToken[];
  /** 1-based line of the first token; the writer uses it to reproduce blank lines. */
  line?: number;
}

/** Sentences after one `-DOCSTART-` line (or before any). */
export interface ConllDocument {
  /** The `-DOCSTART-` line as read (e.g. `-DOCSTART- -X- -X- O`); `undefined` for sentences before any. */
  docstart?: string;
  /** 1-based line of the `-DOCSTART-` line. */
  line?: number;
  sentences: ConllSentence[];
}

/** How a file was written, so that writing it back gives the same bytes. */
export interface ConllFormat {
  bom: boolean;
  /** Line ending of the first line break (a file with mixed endings is read, but written back with this one). */
  eol: '\n' | '\r\n' | '\r';
  /** Column separator as first seen (`\t`, ` `). */
  separator: string;
  finalNewline: boolean;
  /** Lines in the file, blank ones included (a final newline does not start a line). */
  lineCount: number;
}

export interface ConllCorpus {
  documents: ConllDocument[];
  format: ConllFormat;
}

/** What the streaming reader yields: a sentence, or a `-DOCSTART-` line. */
export type ConllItem =
  | { kind: 'sentence'; sentence: ConllSentence }
  | { kind: 'docstart'; text: string; line: number };

/** A change lenient mode made to the input, with its place. */
export interface ConllRepair {
  code: 'MISSING_TAG' | 'EMPTY_FIELD' | 'BLANKISH_LINE' | 'INVALID_SCHEME_TAG' | 'INVALID_UTF8' | 'INVALID_UTF16' | 'MIXED_SEPARATOR';
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface ConllReadOptions {
  /**
   * `auto` (default): decided per file from its first token line: if that line holds a tab, the
   * file is tab-separated (fields split on each tab, tokens may hold spaces, as `tab`); else it is
   * space-separated (fields split on runs of spaces, and a later line holding a tab is refused).
   * `tab`: fields split on each tab. `whitespace`: runs of spaces and tabs, mixed freely.
   */
  separator?: 'auto' | 'tab' | 'whitespace';
  /** Whether the last column is a tag (default true). `false` reads tokens only, for prediction. */
  tagged?: boolean;
  /** Validate every sentence's tags against this scheme. */
  scheme?: TaggingScheme;
  /** `strict` (default) throws `ConllParseError`; `lenient` repairs what it can and reports each repair. */
  mode?: 'strict' | 'lenient';
  /** Called for each repair in lenient mode. */
  onRepair?: (repair: ConllRepair) => void;
  /** Name used in error places (default `<string>` or the path). */
  file?: string;
}
