/** Exit codes the CLI guarantees to scripts (a library error says which one it maps to). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** What went wrong, for programs: `error.code`. */
export type TaggerErrorCode =
  | 'TWNER_USAGE'
  | 'TWNER_FAILURE'
  | 'TWNER_DATA_NOT_FOUND'
  | 'TWNER_CHECKSUM'
  | 'TWNER_RUN_FOLDER'
  | 'TWNER_TRAINING'
  | 'TWNER_NO_TFJS'
  | 'TWNER_MODEL_NOT_FOUND';

/**
 * An error of the tagger with a stable `code` and the exit code the CLI uses for it: 2 for bad
 * input or usage (missing data, a bad option, a broken run folder), 1 for a failure while running.
 * Messages name the file (and line) where there is one, the problem and the fix.
 */
export class TaggerError extends Error {
  override readonly name: string = 'TaggerError';
  readonly exitCode: number;
  readonly code: TaggerErrorCode;

  constructor(message: string, exitCode: number = EXIT_FAILURE, options?: { cause?: unknown; code?: TaggerErrorCode }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = exitCode;
    this.code = options?.code ?? (exitCode === EXIT_USAGE ? 'TWNER_USAGE' : 'TWNER_FAILURE');
  }
}

/** The WNUT16 files (or the lexicon) are nowhere to be found and cannot be downloaded. */
export class DataNotFoundError extends TaggerError {
  override readonly name: string = 'DataNotFoundError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT_USAGE, { ...options, code: 'TWNER_DATA_NOT_FOUND' });
  }
}

/** A downloaded file's sha256 differs from the pinned one. */
export class ChecksumError extends TaggerError {
  override readonly name: string = 'ChecksumError';
  readonly file: string;
  readonly expected: string;
  readonly got: string;
  constructor(file: string, expected: string, got: string) {
    super(`sha256 mismatch for ${file}: expected ${expected}, got ${got}`, EXIT_FAILURE, { code: 'TWNER_CHECKSUM' });
    this.file = file;
    this.expected = expected;
    this.got = got;
  }
}

/** A run folder that is half-written, from a newer twner, or not a run folder at all. */
export class RunFolderError extends TaggerError {
  override readonly name: string = 'RunFolderError';
  readonly dir: string;
  constructor(dir: string, problem: string, options?: { cause?: unknown }) {
    super(`${dir}: ${problem}`, EXIT_USAGE, { ...options, code: 'TWNER_RUN_FOLDER' });
    this.dir = dir;
  }
}

/** Training cannot go on (empty data, a non-finite loss, …). */
export class TrainingError extends TaggerError {
  override readonly name: string = 'TrainingError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT_USAGE, { ...options, code: 'TWNER_TRAINING' });
  }
}
