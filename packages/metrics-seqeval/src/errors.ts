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
  readonly sentence: number;
  constructor(argument: string, sentence: number, received: string) {
    super(
      'INVALID_INPUT',
      sentence < 0
        ? `${argument} must be an array of sentences (string[][]), received ${received}.`
        : `${argument}[${sentence}] must be an array of tags (string[]), received ${received}.`,
    );
    this.argument = argument;
    this.sentence = sentence;
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
