/**
 * Typed errors of @twner/bert-ner. Every error has a stable `code`; messages say what failed,
 * where, what was expected and what was received.
 */

/** Base class of every error thrown by @twner/bert-ner. */
export class BertNerError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** `config.json` is missing, is not JSON, or holds a value the model cannot use. */
export class ConfigError extends BertNerError {
  readonly file: string | undefined;
  readonly field: string | undefined;

  constructor(message: string, options: { file?: string; field?: string; cause?: unknown } = {}) {
    super('CONFIG_INVALID', message, { cause: options.cause });
    this.file = options.file;
    this.field = options.field;
  }
}

/** The checkpoint is not a BERT model this package can run (`model_type`, `architectures`). */
export class UnsupportedArchitectureError extends BertNerError {
  readonly modelType: string | undefined;
  readonly architectures: string[];

  constructor(message: string, options: { modelType?: string; architectures?: string[] } = {}) {
    super('ARCHITECTURE_UNSUPPORTED', message);
    this.modelType = options.modelType;
    this.architectures = options.architectures ?? [];
  }
}

/** A `.safetensors` file is truncated, has a malformed header or an unsupported dtype. */
export class SafetensorsError extends BertNerError {
  readonly file: string | undefined;
  readonly tensor: string | undefined;

  constructor(message: string, options: { file?: string; tensor?: string; cause?: unknown } = {}) {
    super('SAFETENSORS_INVALID', message, { cause: options.cause });
    this.file = options.file;
    this.tensor = options.tensor;
  }
}

/** One tensor whose stored shape differs from the shape the config asks for. */
export interface ShapeMismatch {
  /** Hugging Face parameter name, e.g. `bert.encoder.layer.0.attention.self.query.weight`. */
  name: string;
  /** Shape the config implies, in PyTorch layout. */
  expected: number[];
  /** Shape found in the checkpoint. */
  got: number[];
}

/**
 * The checkpoint lacks weights the config needs (a classifier head included, unless a new head
 * was asked for), or holds them with the wrong shape. The message ends with what to do.
 */
export class WeightsMismatchError extends BertNerError {
  readonly missing: string[];
  readonly shapeMismatches: ShapeMismatch[];
  /** The weights file (or hub id) checked. */
  readonly source: string;

  constructor(missing: string[], shapeMismatches: ShapeMismatch[], where: string, fix?: string) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing ${missing.length} tensor(s): ${missing.join(', ')}`);
    if (shapeMismatches.length > 0) {
      parts.push(
        `wrong shape for ${shapeMismatches.length} tensor(s): ` +
          shapeMismatches.map((m) => `${m.name} expected [${m.expected.join(', ')}] got [${m.got.join(', ')}]`).join('; '),
      );
    }
    super('WEIGHTS_MISMATCH', `Checkpoint ${where} does not fit the config: ${parts.join('; ')}${fix ? `. ${fix}` : ''}`);
    this.source = where;
    this.missing = missing;
    this.shapeMismatches = shapeMismatches;
  }
}

/** A Hugging Face Hub download failed (offline, unknown repo, missing file). */
export class ModelDownloadError extends BertNerError {
  readonly repo: string;
  readonly file: string | undefined;

  constructor(message: string, options: { repo: string; file?: string; cause?: unknown }) {
    super('MODEL_DOWNLOAD_FAILED', message, { cause: options.cause });
    this.repo = options.repo;
    this.file = options.file;
  }
}

/** A tensor argument has the wrong rank, shape or dtype. */
export class InputShapeError extends BertNerError {
  readonly argument: string;
  readonly expected: string;
  readonly got: string;

  constructor(argument: string, expected: string, got: string, where: string) {
    super('INPUT_SHAPE', `${where}: \`${argument}\` expected ${expected}, got ${got}`);
    this.argument = argument;
    this.expected = expected;
    this.got = got;
  }
}

/** Training options or data that cannot be used (empty data, bad label id, bad hyper-parameter). */
export class TrainingError extends BertNerError {
  constructor(message: string) {
    super('TRAINING_INVALID', message);
  }
}
