/** One entity found in a text: its type, its surface text, character offsets `[start, end)` and a confidence. */
export interface Entity {
  type: string;
  text: string;
  start: number;
  end: number;
  score: number;
}

/** What the engine returns for one text; extra fields (tokens, …) are allowed and ignored. */
export interface TaggedResult {
  readonly entities: readonly Entity[];
}

/**
 * The tagging engine, structurally typed so that this package does not depend on a tagger:
 * `@twner/tagger`'s `tagger` fits as it is. `tagBatch` returns one result per text, in order,
 * synchronously or as a promise.
 */
export interface TagEngine {
  tagBatch(texts: readonly string[]): Promise<readonly TaggedResult[]> | readonly TaggedResult[];
  /**
   * How many `tagBatch` calls the engine runs at once (a pool of threads, e.g. `@twner/tagger`'s
   * `loadTaggerPool`); the service keeps that many batches in flight. Default 1.
   */
  readonly concurrency?: number;
  close?(): Promise<void> | void;
}

/** Where tagged mentions go for trend counting (`@twner/trends`' store fits as it is). */
export interface TrendSink {
  /** Records the mentions seen at `at` (milliseconds since the epoch). */
  record(mentions: readonly { type: string; text: string }[], at: number): Promise<void> | void;
  query(q: TrendQuery): Promise<unknown> | unknown;
}

/** A trends query, as `GET /v1/trends` passes it on. `window` is in seconds. */
export interface TrendQuery {
  window: number;
  types?: string[];
  view: 'top' | 'rising';
  limit: number;
}
