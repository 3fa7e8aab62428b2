/** Base class of every error thrown by `@twner/crf`. */
export class CrfError extends Error {
  /** The function or method that failed, e.g. `crfLogNorm`. */
  readonly op: string;

  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = 'CrfError';
    this.op = op;
  }
}

/** A tensor or array has the wrong rank or size. */
export class ShapeError extends CrfError {
  /** The argument that failed, e.g. `emissions`. */
  readonly argument: string;
  /** The expected shape, written as `[B, T, K]` or `[2, 5, 3]`. */
  readonly expected: string;
  /** The shape that was received. */
  readonly got: string;

  constructor(op: string, argument: string, expected: string, got: string) {
    super(op, `${argument} must have shape ${expected}, got ${got}`);
    this.name = 'ShapeError';
    this.argument = argument;
    this.expected = expected;
    this.got = got;
  }
}

/** An argument has an invalid value (a mask that is not right-padded, a tag out of range, …). */
export class ValueError extends CrfError {
  /** The argument that failed, e.g. `mask`. */
  readonly argument: string;

  constructor(op: string, argument: string, message: string) {
    super(op, `${argument} ${message}`);
    this.name = 'ValueError';
    this.argument = argument;
  }
}
