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

/** Text or words that are not well-formed strings (null, a number, a lone surrogate), caught before the tokenizer sees them. */
export class InvalidInputError extends BertNerError {
  /** The argument at fault, with its index: `texts[2]`, `sentences[0][3]`. */
  readonly argument: string;

  constructor(argument: string, message: string) {
    super('INVALID_INPUT', message);
    this.argument = argument;
  }
}

/** An option key the function does not take: refused rather than silently ignored. */
export class UnknownOptionError extends BertNerError {
  readonly option: string;
  readonly accepted: readonly string[];

  constructor(option: string, accepted: readonly string[], where: string) {
    const camel = option.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const hint = camel !== option && accepted.includes(camel) ? ` (did you mean ${camel}? options are camelCase)` : '';
    super('UNKNOWN_OPTION', `${where}: unknown option \`${option}\`${hint}; accepted options are ${accepted.join(', ')}`);
    this.option = option;
    this.accepted = accepted;
  }
}

/** Throws {@link UnknownOptionError} for a key of `options` not in `accepted`. @internal */
export function checkOptionKeys(options: object | undefined, accepted: readonly string[], where: string): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidOptionError('options', 'an object', options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options, where);
  }
  for (const key of Object.keys(options)) if (!accepted.includes(key)) throw new UnknownOptionError(key, accepted, where);
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
