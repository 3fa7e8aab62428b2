/** Base class of every error thrown by `@twner/trends`; `code` says which problem it is. */
export class TrendsError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TrendsError';
    this.code = code;
  }
}

/** An option object has an unknown key or a value out of range (`ERR_TRENDS_OPTIONS`). */
export class TrendsOptionsError extends TrendsError {
  /** The function that refused the options, e.g. `memoryTrendStore`. */
  readonly fn: string;
  /** The option at fault, e.g. `topK`. */
  readonly option: string;

  constructor(fn: string, option: string, message: string) {
    super('ERR_TRENDS_OPTIONS', `${fn}: option \`${option}\` ${message}`);
    this.name = 'TrendsOptionsError';
    this.fn = fn;
    this.option = option;
  }
}

/** A trends query has an unknown key or a field out of range (`ERR_TRENDS_QUERY`). */
export class TrendsQueryError extends TrendsError {
  /** The query field at fault, e.g. `window`. */
  readonly field: string;
  /** The client's fault: HTTP servers (fastify reads this) answer 400. */
  readonly statusCode = 400;

  constructor(field: string, message: string) {
    super('ERR_TRENDS_QUERY', `trends query: \`${field}\` ${message}`);
    this.name = 'TrendsQueryError';
    this.field = field;
  }
}

/** A record's timestamp is missing or unreadable (`ERR_TRENDS_TIMESTAMP`). */
export class TimestampError extends TrendsError {
  /** Where the record came from, e.g. `tweets.jsonl:12` (or `record 12`). */
  readonly where: string;
  /** The field that was read, e.g. `created_at`. */
  readonly field: string;

  constructor(where: string, field: string, received: unknown) {
    const shown = JSON.stringify(received) ?? String(received);
    super(
      'ERR_TRENDS_TIMESTAMP',
      `${where}: field \`${field}\` is not a timestamp, received ${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}; ` +
        'give epoch milliseconds or seconds, an ISO 8601 string or a Twitter `created_at` string, or pick another field',
    );
    this.name = 'TimestampError';
    this.where = where;
    this.field = field;
  }
}

/** Redis answered with an error or with a reply this package cannot read (`ERR_TRENDS_REDIS`). */
export class TrendsRedisError extends TrendsError {
  /** The Redis command that failed, e.g. `ZUNIONSTORE`. */
  readonly command: string;

  constructor(command: string, message: string, options?: { cause?: unknown }) {
    super('ERR_TRENDS_REDIS', `redisTrendStore: ${command} ${message}`, options);
    this.name = 'TrendsRedisError';
    this.command = command;
  }
}
