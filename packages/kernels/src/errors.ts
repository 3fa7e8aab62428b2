/** Base class of every error thrown by `@twner/kernels`. */
export class KernelError extends Error {
  /** The function or method that failed, e.g. `lstmSequence`. */
  readonly op: string;

  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = 'KernelError';
    this.op = op;
  }
}

/** A tensor or array has the wrong rank or size. */
export class ShapeError extends KernelError {
  /** The argument that failed, e.g. `kernel`. */
  readonly argument: string;
  /** The expected shape, written as `[D, 4H]` or `[200, 200]`. */
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

/** Writes a shape as `[2, 5, 3]` for error messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
