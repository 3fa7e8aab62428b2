/** Base class of every error thrown by `@twner/crf`. */
export class CrfError extends Error {
  /** The function or method that failed, e.g. `crfLogNorm`. */
  readonly op: string;
  /** What kind of failure, for programs: `SHAPE_MISMATCH`, `INVALID_VALUE` or `NON_FINITE`. */
  readonly code: CrfErrorCode;

  constructor(op: string, message: string, code: CrfErrorCode = 'INVALID_VALUE') {
    super(`${op}: ${message}`);
    this.name = 'CrfError';
    this.op = op;
    this.code = code;
  }
}

/** The `code` of a {@link CrfError}. */
export type CrfErrorCode = 'SHAPE_MISMATCH' | 'INVALID_VALUE' | 'NON_FINITE';

/** A tensor or array has the wrong rank or size. */
export class ShapeError extends CrfError {
  /** The argument that failed, e.g. `emissions`. */
  readonly argument: string;
  /** The expected shape, written as `[B, T, K]` or `[2, 5, 3]`. */
  readonly expected: string;
  /** The shape that was received. */
  readonly got: string;

  constructor(op: string, argument: string, expected: string, got: string) {
    super(op, `${argument} must have shape ${expected}, got ${got}`, 'SHAPE_MISMATCH');
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

/**
 * A weight or an input holds NaN or ±Infinity, which would give tags silently. The message
 * names the array and the first bad position.
 */
export class NonFiniteError extends CrfError {
  /** The argument that failed, e.g. `emissions`. */
  readonly argument: string;
  /** The first bad position: flat index into the argument (for emissions: `t * K + k`). */
  readonly index: number;
  /** The bad value. */
  readonly value: number;

  constructor(op: string, argument: string, index: number, value: number, where: string) {
    super(op, `${argument} must be finite, got ${value} at ${where}; check the model weights or the network that produced the scores`, 'NON_FINITE');
    this.name = 'NonFiniteError';
    this.argument = argument;
    this.index = index;
    this.value = value;
  }
}
