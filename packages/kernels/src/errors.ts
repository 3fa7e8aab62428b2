/** Base class of every error thrown by `@twner/kernels`. */
export class KernelError extends Error {
  /** The function or method that failed, e.g. `lstmSequence`. */
  readonly op: string;
  /** What kind of failure, for programs (see {@link KernelErrorCode}). */
  readonly code: KernelErrorCode;

  constructor(op: string, message: string, code: KernelErrorCode = 'INVALID_VALUE') {
    super(`${op}: ${message}`);
    this.name = 'KernelError';
    this.op = op;
    this.code = code;
  }
}

/**
 * The `code` of a {@link KernelError}: `SHAPE_MISMATCH` ({@link ShapeError}), `INVALID_VALUE`
 * ({@link ValueError}), `INPUT_TOO_LONG` ({@link InputTooLongError}), `OUT_OF_MEMORY` (the
 * WebAssembly memory cannot grow), `WORKER_FAILED` (the second thread of `threads: 2`).
 */
export type KernelErrorCode = 'SHAPE_MISMATCH' | 'INVALID_VALUE' | 'INPUT_TOO_LONG' | 'OUT_OF_MEMORY' | 'WORKER_FAILED';

/** A tensor or array has the wrong rank or size. */
export class ShapeError extends KernelError {
  /** The argument that failed, e.g. `kernel`. */
  readonly argument: string;
  /** The expected shape, written as `[D, 4H]` or `[200, 200]`. */
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

/** An argument has an unsupported value (an activation name, a merge mode, …). */
export class ValueError extends KernelError {
  /** The argument that failed, e.g. `recurrentActivation`. */
  readonly argument: string;

  constructor(op: string, argument: string, message: string) {
    super(op, `${argument} ${message}`);
    this.name = 'ValueError';
    this.argument = argument;
  }
}

/** A tweet has more tokens than the inference engine takes in one sequence. */
export class InputTooLongError extends KernelError {
  /** Tokens of the tweet. */
  readonly length: number;
  /** The most tokens one tweet may have. */
  readonly limit: number;
  /** Its index in the batch. */
  readonly index: number;

  constructor(op: string, index: number, length: number, limit: number) {
    super(op, `tweet ${index} has ${length} tokens, more than the limit of ${limit}; split the text into sentences or chunks of at most ${limit} tokens`, 'INPUT_TOO_LONG');
    this.name = 'InputTooLongError';
    this.length = length;
    this.limit = limit;
    this.index = index;
  }
}

/** Writes a shape as `[2, 5, 3]` for error messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
