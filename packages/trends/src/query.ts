import { bucketsBefore, bucketsIn, rangeLength, windowBuckets, type BucketRange } from './bucket';
import type { TrendConfig } from './config';
import { TrendsQueryError } from './errors';
import { risingScore } from './rising';
import type { TrendEntry, TrendQuery, TrendView } from './types';

const QUERY_KEYS = ['window', 'types', 'view', 'limit', 'now'];

/** A validated query with its bucket ranges worked out. */
export interface PlannedQuery {
  window: number;
  types: string[] | undefined;
  view: TrendView;
  limit: number;
  now: number;
  windowRange: BucketRange;
  baselineRange: BucketRange;
}

/** Checks `q` (unknown keys, ranges) and works out the window's and the baseline's buckets. */
export function planQuery(q: TrendQuery, config: TrendConfig): PlannedQuery {
  if (typeof q !== 'object' || q === null) throw new TrendsQueryError('query', 'must be an object');
  for (const key of Object.keys(q)) {
    if (!QUERY_KEYS.includes(key)) throw new TrendsQueryError(key, `is not a query field; the fields are ${QUERY_KEYS.join(', ')}`);
  }
  const { window, view, limit } = q;
  if (typeof window !== 'number' || !Number.isInteger(window) || window < 1) {
    throw new TrendsQueryError('window', `must be a whole number of seconds ≥ 1, got ${JSON.stringify(window)}`);
  }
  if (window > config.retention) {
    throw new TrendsQueryError('window', `is ${window} s but the store keeps ${config.retention} s; ask for a shorter window or raise \`retention\``);
  }
  if (view !== 'top' && view !== 'rising') {
    throw new TrendsQueryError('view', `must be 'top' or 'rising', got ${JSON.stringify(view)}`);
  }
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new TrendsQueryError('limit', `must be an integer from 1 to 1000, got ${JSON.stringify(limit)}`);
  }
  if (q.types !== undefined && (!Array.isArray(q.types) || q.types.some((t) => typeof t !== 'string' || t === ''))) {
    throw new TrendsQueryError('types', `must be an array of non-empty type names, got ${JSON.stringify(q.types)}`);
  }
  const now = q.now ?? Date.now();
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new TrendsQueryError('now', `must be milliseconds since the epoch, got ${JSON.stringify(now)}`);
  const windowRange = windowBuckets(now, window);
  const n = bucketsIn(window);
  const baselineLength = Math.max(0, Math.min(Math.ceil(config.baselineFactor * n), config.retentionBuckets - n));
  return { window, types: q.types, view, limit, now, windowRange, baselineRange: bucketsBefore(windowRange, baselineLength) };
}

/** Orders by count (descending), then entity (ascending), so results never depend on insertion order. */
export function byCount(a: TrendEntry, b: TrendEntry): number {
  return b.count - a.count || (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0);
}

function byScore(a: TrendEntry, b: TrendEntry): number {
  return b.score - a.score || byCount(a, b);
}

/**
 * Builds one type's list from window counts and a baseline lookup. `top`: the `limit` most
 * mentioned. `rising`: entities with `count ≥ minCount` and `score ≥ minScore`, highest score first.
 */
export function rankEntries(
  plan: PlannedQuery,
  config: TrendConfig,
  windowCounts: Iterable<[string, number]>,
  baseline: (entities: string[]) => number[],
): TrendEntry[] {
  const nWindow = rangeLength(plan.windowRange);
  const nBaseline = rangeLength(plan.baselineRange);
  let candidates = [...windowCounts].filter(([, count]) => count > 0).map(([entity, count]) => ({ entity, count, score: 0 }));
  if (plan.view === 'top') {
    candidates = candidates.sort(byCount).slice(0, plan.limit);
  } else {
    candidates = candidates.filter((e) => e.count >= config.minCount);
  }
  const base = baseline(candidates.map((e) => e.entity));
  candidates.forEach((e, i) => {
    e.score = risingScore(e.count, base[i] ?? 0, nWindow, nBaseline);
  });
  if (plan.view === 'top') return candidates;
  return candidates.filter((e) => e.score >= config.minScore).sort(byScore).slice(0, plan.limit);
}
