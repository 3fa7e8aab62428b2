/** Exit codes the CLI guarantees to scripts. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * An error the CLI reports as one clear message (no stack trace) with a fixed exit code:
 * 1 for a failure while running, 2 for bad input or usage (missing data, bad flag value).
 */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT_FAILURE, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = exitCode;
  }
}

/** The WNUT16 files (or the lexicon) are nowhere to be found and cannot be downloaded. */
export class DataNotFoundError extends CliError {
  override readonly name: string = 'DataNotFoundError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT_USAGE, options);
  }
}

/** A downloaded file's sha256 differs from the pinned one. */
export class ChecksumError extends CliError {
  override readonly name: string = 'ChecksumError';
  readonly file: string;
  readonly expected: string;
  readonly got: string;
  constructor(file: string, expected: string, got: string) {
    super(`sha256 mismatch for ${file}: expected ${expected}, got ${got}`, EXIT_FAILURE);
    this.file = file;
    this.expected = expected;
    this.got = got;
  }
}
