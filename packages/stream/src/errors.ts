/** Base class of every error thrown by `@twner/stream`; `code` says which problem it is. */
export class StreamError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StreamError';
    this.code = code;
  }
}

/** An option object has an unknown key or a value out of range. */
export class OptionsError extends StreamError {
  /** The function that refused the options, e.g. `createServer`. */
  readonly fn: string;
  /** The option at fault, e.g. `maxBatch`. */
  readonly option: string;

  constructor(fn: string, option: string, message: string) {
    super('ERR_STREAM_OPTIONS', `${fn}: option \`${option}\` ${message}`);
    this.name = 'OptionsError';
    this.fn = fn;
    this.option = option;
  }
}

/** The micro-batching queue is full: the caller should retry later (HTTP 503 with `Retry-After`). */
export class QueueFullError extends StreamError {
  readonly queued: number;
  readonly maxQueue: number;

  constructor(queued: number, requested: number, maxQueue: number) {
    super(
      'ERR_STREAM_QUEUE_FULL',
      `tagging queue is full: ${queued} texts queued + ${requested} requested > maxQueue ${maxQueue}; retry after a short wait, add servers, or raise maxQueue`,
    );
    this.name = 'QueueFullError';
    this.queued = queued;
    this.maxQueue = maxQueue;
  }
}

/** The batcher or worker was closed while work was still being submitted. */
export class ClosedError extends StreamError {
  constructor(what: string) {
    super('ERR_STREAM_CLOSED', `${what} is closed and accepts no more work; create a new one`);
    this.name = 'ClosedError';
  }
}

/** The engine broke its contract, e.g. returned a different number of results than texts. */
export class EngineError extends StreamError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_STREAM_ENGINE', message, options);
    this.name = 'EngineError';
  }
}

/** The transport (Redis, …) failed in a way the worker cannot recover from by retrying. */
export class TransportError extends StreamError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_STREAM_TRANSPORT', message, options);
    this.name = 'TransportError';
  }
}
