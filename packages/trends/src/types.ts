/** One entity mention as the tagger found it: its type (`person`, `geo-loc`, …) and surface text. */
export interface Mention {
  type: string;
  text: string;
}

/** Which list a query reads: most mentioned, or mentioned most above the entity's own baseline. */
export type TrendView = 'top' | 'rising';

/** A trends query; `GET /v1/trends?window=300&type=person&view=rising&limit=20` maps onto it. */
export interface TrendQuery {
  /** Window length in seconds, read as `ceil(window / 60)` minute buckets ending with the current one. */
  window: number;
  /** Types to report (default: every type recorded). */
  types?: string[];
  view: TrendView;
  /** Most entries per type. */
  limit: number;
  /** The end of the window, ms since the epoch (default `Date.now()`). */
  now?: number;
}

/** One entity in a trends list: normalised text, mentions in the window, rising score. */
export interface TrendEntry {
  entity: string;
  count: number;
  score: number;
}

/** The answer to a {@link TrendQuery}; the JSON body of `GET /v1/trends`. */
export interface TrendResult {
  window: number;
  /** The query's `now` as an ISO 8601 string. */
  generatedAt: string;
  types: Record<string, TrendEntry[]>;
}

/** Where mention counts live: filled by any number of taggers, read by any number of servers. */
export interface TrendStore {
  /** Counts `mentions` (normalised with `normaliseMention`; empty ones skipped) in the bucket of `at` (ms). */
  record(mentions: readonly Mention[], at: number): Promise<void>;
  query(q: TrendQuery): Promise<TrendResult>;
  /** Releases what the store holds (a Redis connection it opened itself). */
  close(): Promise<void>;
}
