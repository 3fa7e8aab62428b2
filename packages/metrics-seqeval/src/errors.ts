/**
 * Typed errors of @twner/metrics-seqeval. Every error has a stable `code`; messages say what is
 * wrong, where (sentence and position, 0-based), what was expected and what was received.
 */

/** Base class: `instanceof MetricsError` catches every error this package throws. */
export class MetricsError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** yTrue and yPred differ in their number of sentences or in the length of one sentence. */
export class InconsistentLengthError extends MetricsError {
  declare readonly code: 'INCONSISTENT_LENGTH';
  /** First sentence whose length differs, or the shorter sentence count when the counts differ. */
  readonly sentence: number;
  /** Length in yTrue (sentences, or tokens of `sentence`). */
  readonly expected: number;
  /** Length in yPred. */
  readonly received: number;
  /** Whether the counts of sentences (not tokens) differ. */
  readonly what: 'sentences' | 'tokens';
  constructor(what: 'sentences' | 'tokens', sentence: number, expected: number, received: number) {
    super(
      'INCONSISTENT_LENGTH',
      what === 'sentences'
        ? `Found input variables with inconsistent numbers of samples: yTrue has ${expected} sentences, yPred has ${received}.`
        : `Found input variables with inconsistent numbers of samples: sentence ${sentence} has ${expected} tags in yTrue but ${received} in yPred.`,
    );
    this.what = what;
    this.sentence = sentence;
    this.expected = expected;
    this.received = received;
  }
}

/** The input is not an array of arrays of strings. */
export class InvalidInputError extends MetricsError {
  declare readonly code: 'INVALID_INPUT';
  readonly argument: string;
  /** 0-based sentence, -1 when the whole argument is wrong. */
  readonly sentence: number;
  /** 0-based position of a tag that is not a string in `sentence`, -1 when a whole sentence is wrong. */
  readonly position: number;
  constructor(argument: string, sentence: number, received: string, position = -1) {
    super(
      'INVALID_INPUT',
      sentence < 0
        ? `${argument} must be an array of sentences (string[][]), received ${received}.`
        : position < 0
          ? `${argument}[${sentence}] must be an array of tags (string[]), received ${received}.`
          : `${argument}[${sentence}][${position}] (sentence ${sentence}, position ${position}) must be a tag string such as 'B-PER' or 'O', received ${received}.`,
    );
    this.argument = argument;
    this.sentence = sentence;
    this.position = position;
  }
}

/** A tag cannot be read at all (an empty string: there is no prefix character). */
export class MalformedTagError extends MetricsError {
  declare readonly code: 'MALFORMED_TAG';
  readonly sentence: number;
  readonly position: number;
  readonly tag: string;
  constructor(sentence: number, position: number, tag: string) {
    super(
      'MALFORMED_TAG',
      `Malformed tag at sentence ${sentence}, position ${position}: expected a tag such as 'B-PER' or 'O', received ${JSON.stringify(tag)}.`,
    );
    this.sentence = sentence;
    this.position = position;
    this.tag = tag;
  }
}

/** In strict mode, a tag whose prefix the chosen scheme does not allow (seqeval: "Invalid token is found"). */
export class InvalidSchemeTagError extends MetricsError {
  declare readonly code: 'INVALID_TAG';
  readonly argument: 'yTrue' | 'yPred';
  readonly sentence: number;
  readonly position: number;
  readonly tag: string;
  readonly scheme: string;
  constructor(
    argument: 'yTrue' | 'yPred',
    sentence: number,
    position: number,
    tag: string,
    scheme: string,
    allowed: string,
    cause?: unknown,
  ) {
    super(
      'INVALID_TAG',
      `Invalid tag in ${argument} at sentence ${sentence}, position ${position}: the ${scheme} scheme allows the prefixes ${allowed}, received ${JSON.stringify(tag)}.`,
      { cause },
    );
    this.argument = argument;
    this.sentence = sentence;
    this.position = position;
    this.tag = tag;
    this.scheme = scheme;
  }
}

/** mode 'strict' was asked for without a scheme (seqeval silently falls back to default mode). */
export class MissingSchemeError extends MetricsError {
  declare readonly code: 'MISSING_SCHEME';
  constructor() {
    super(
      'MISSING_SCHEME',
      "mode 'strict' needs a scheme: expected one of 'IOB1', 'IOB2', 'IOE1', 'IOE2', 'IOBES', 'BILOU', received none.",
    );
  }
}

/** An option has a value outside its domain (average, zeroDivision, digits, beta, mode, scheme). */
export class InvalidOptionError extends MetricsError {
  declare readonly code: 'INVALID_OPTION';
  readonly option: string;
  constructor(option: string, expected: string, received: unknown) {
    super('INVALID_OPTION', `Invalid option ${option}: expected ${expected}, received ${formatReceived(received)}.`);
    this.option = option;
  }
}

/**
 * An option key the function does not take (seqeval's snake_case names among them): refused
 * rather than silently ignored. `suggestion` is the accepted key meant, when there is one.
 */
export class UnknownOptionError extends MetricsError {
  declare readonly code: 'UNKNOWN_OPTION';
  readonly option: string;
  readonly suggestion: string | undefined;
  constructor(where: string, option: string, accepted: readonly string[], suggestion: string | undefined) {
    super(
      'UNKNOWN_OPTION',
      `Unknown option ${JSON.stringify(option)} for ${where}` +
        (suggestion === undefined ? '' : `: did you mean ${suggestion}? (options are camelCase)`) +
        `; accepted options are ${accepted.length > 0 ? accepted.join(', ') : 'none'}.`,
    );
    this.option = option;
    this.suggestion = suggestion;
  }
}

/** A score that is a ratio over tokens was asked for with no tokens at all. */
export class EmptyInputError extends MetricsError {
  declare readonly code: 'EMPTY_INPUT';
  constructor(what: string) {
    super('EMPTY_INPUT', `${what} is undefined for empty input: expected at least one token, received none.`);
  }
}

function formatReceived(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
