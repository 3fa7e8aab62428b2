/**
 * Typed errors of the tokenization, label-alignment and pipeline code. Each extends the
 * package's `BertNerError`, so callers can catch every @twner/bert-ner error with one class.
 */
import { BertNerError } from '../errors';

/** `tokenizer.json` or `tokenizer_config.json` is missing, is not JSON, or lacks a token we need. */
export class TokenizerLoadError extends BertNerError {
  readonly file: string | undefined;

  constructor(message: string, options: { file?: string; cause?: unknown } = {}) {
    super('TOKENIZER_INVALID', message, { cause: options.cause });
    this.file = options.file;
  }
}

/**
 * A sequence needs more sub-tokens than `maxLength` allows and the truncation policy is
 * `'error'` (the default): nothing is cut silently.
 */
export class SequenceTooLongError extends BertNerError {
  /** Index of the offending sequence in the batch. */
  readonly index: number;
  /** Sub-tokens it needs, special tokens included. */
  readonly length: number;
  readonly maxLength: number;

  constructor(index: number, length: number, maxLength: number) {
    super(
      'SEQUENCE_TOO_LONG',
      `Sequence ${index} needs ${length} sub-tokens (special tokens included) but maxLength is ${maxLength}; ` +
        `pass truncation: 'tokens' or 'words' to cut it, or a larger maxLength`,
    );
    this.index = index;
    this.length = length;
    this.maxLength = maxLength;
  }
}

/** Word labels and sub-token word ids that do not fit together, or a label that has no id. */
export class LabelAlignmentError extends BertNerError {
  /** Index of the offending sequence in the batch. */
  readonly index: number;

  constructor(index: number, message: string) {
    super('LABEL_ALIGNMENT', `Sequence ${index}: ${message}`);
    this.index = index;
  }
}

/** An option value outside the allowed set (e.g. an unknown aggregation strategy). */
export class InvalidOptionError extends BertNerError {
  readonly option: string;
  readonly expected: string;
  readonly got: string;

  constructor(option: string, expected: string, got: string, where: string) {
    super('INVALID_OPTION', `${where}: option \`${option}\` expected ${expected}, got ${got}`);
    this.option = option;
    this.expected = expected;
    this.got = got;
  }
}
