import { bucketOf, bucketStart, type BucketRange } from './bucket';
import { TREND_OPTION_KEYS, trendConfig, type TrendOptions } from './config';
import { TrendsQueryError } from './errors';
import { normaliseMention } from './normalise';
import { checkKeys } from './options';
import { planQuery, rankEntries } from './query';
import { SpaceSaving } from './space-saving';
import type { Mention, TrendQuery, TrendResult, TrendStore } from './types';

export type MemoryTrendStoreOptions = TrendOptions;

/** One entity's mentions per minute, as {@link MemoryTrendStore.series} returns them. */
export interface SeriesPoint {
  /** Start of the minute, ms since the epoch. */
  at: number;
  count: number;
}

/** What a memory store holds, for monitoring and for checking the memory bound. */
export interface MemoryTrendStats {
  types: number;
  buckets: number;
  /** Counters held in all buckets together: at most `types × retention buckets × topK`. */
  counters: number;
  /** Mentions counted. */
  recorded: number;
  /** Mentions not counted because their minute was already older than `retention` behind the newest. */
  dropped: number;
}

/** The in-process {@link TrendStore}, with a few reads the Redis store does not offer. */
export interface MemoryTrendStore extends TrendStore {
  /**
   * The most a reported count for `type` over `window` seconds ending at `now` can be off, in
   * either direction: the sum of the space-saving sketches' smallest counters over the window's
   * buckets, at most (mentions of `type` in the window) / `topK`. 0 means the counts are exact.
   */
  errorBound(type: string, window: number, now?: number): number;
  /** Mentions per minute of `entity` (normalised here) over `window` seconds ending at `now`, every minute listed. */
  series(type: string, entity: string, window: number, now?: number): SeriesPoint[];
  /** The newest minute recorded (ms since the epoch), or undefined before the first mention. */
  latest(): number | undefined;
  stats(): MemoryTrendStats;
}

/**
 * Keeps counts in this process: per type, one space-saving sketch of `topK` counters per minute,
 * minutes older than `retention` behind the newest recorded minute are dropped. Memory is at
 * most `types × ceil(retention / 60) × topK` counters; counts are exact while no type has more
 * than `topK` distinct entities in a minute, and off by at most `mentions / topK` beyond that
 * (see {@link MemoryTrendStore.errorBound}).
 */
export function memoryTrendStore(options: MemoryTrendStoreOptions = {}): MemoryTrendStore {
  checkKeys('memoryTrendStore', options, TREND_OPTION_KEYS);
  const config = trendConfig('memoryTrendStore', options);
  const byType = new Map<string, Map<number, SpaceSaving>>();
  let newest: number | undefined;
  let recorded = 0;
  let dropped = 0;

  /** Drops the buckets that fell out of retention when the newest bucket moved from `from` to `newest`. */
  function prune(from: number): void {
    if (newest === undefined) return;
    const before = from - config.retentionBuckets + 1;
    const oldest = newest - config.retentionBuckets + 1;
    for (const buckets of byType.values()) {
      if (oldest - before <= buckets.size) {
        for (let b = before; b < oldest; b += 1) buckets.delete(b);
      } else {
        for (const b of buckets.keys()) if (b < oldest) buckets.delete(b);
      }
    }
  }

  function* inRange(type: string, range: BucketRange): IterableIterator<SpaceSaving> {
    const buckets = byType.get(type);
    if (!buckets) return;
    if (range.last - range.first + 1 <= buckets.size) {
      for (let b = range.first; b <= range.last; b += 1) {
        const sketch = buckets.get(b);
        if (sketch) yield sketch;
      }
    } else {
      for (const [b, sketch] of buckets) if (b >= range.first && b <= range.last) yield sketch;
    }
  }

  function sum(type: string, range: BucketRange): Map<string, number> {
    const counts = new Map<string, number>();
    for (const sketch of inRange(type, range)) {
      for (const [entity, count] of sketch.entries()) counts.set(entity, (counts.get(entity) ?? 0) + count);
    }
    return counts;
  }

  function checkWindow(fn: string, window: number): void {
    if (!Number.isInteger(window) || window < 1 || window > config.retention) {
      throw new TrendsQueryError('window', `of ${fn} must be a whole number of seconds from 1 to ${config.retention}, got ${window}`);
    }
  }

  return {
    async record(mentions: readonly Mention[], at: number): Promise<void> {
      if (!Number.isFinite(at)) throw new TrendsQueryError('at', `of record() must be milliseconds since the epoch, got ${at}`);
      const bucket = bucketOf(at);
      if (newest !== undefined && bucket <= newest - config.retentionBuckets) {
        dropped += mentions.length;
        return;
      }
      if (newest === undefined || bucket > newest) {
        const from = newest;
        newest = bucket;
        if (from !== undefined) prune(from);
      }
      for (const { type, text } of mentions) {
        const entity = normaliseMention(text);
        if (entity === '') continue;
        let buckets = byType.get(type);
        if (!buckets) byType.set(type, (buckets = new Map()));
        let sketch = buckets.get(bucket);
        if (!sketch) buckets.set(bucket, (sketch = new SpaceSaving(config.topK)));
        sketch.add(entity);
        recorded += 1;
      }
    },

    async query(q: TrendQuery): Promise<TrendResult> {
      const plan = planQuery(q, config);
      const types: TrendResult['types'] = {};
      for (const type of plan.types ?? [...byType.keys()].sort()) {
        const counts = sum(type, plan.windowRange);
        types[type] = rankEntries(plan, config, counts, (entities) => {
          if (entities.length === 0) return [];
          const base = sum(type, plan.baselineRange);
          return entities.map((e) => base.get(e) ?? 0);
        });
      }
      return { window: plan.window, generatedAt: new Date(plan.now).toISOString(), types };
    },

    errorBound(type: string, window: number, now = Date.now()): number {
      checkWindow('errorBound', window);
      const plan = planQuery({ window, view: 'top', limit: 1, now }, config);
      let bound = 0;
      for (const sketch of inRange(type, plan.windowRange)) bound += sketch.minCount();
      return bound;
    },

    series(type: string, entity: string, window: number, now = Date.now()): SeriesPoint[] {
      checkWindow('series', window);
      const { windowRange } = planQuery({ window, view: 'top', limit: 1, now }, config);
      const key = normaliseMention(entity);
      const buckets = byType.get(type);
      const points: SeriesPoint[] = [];
      for (let b = windowRange.first; b <= windowRange.last; b += 1) {
        points.push({ at: bucketStart(b), count: buckets?.get(b)?.get(key) ?? 0 });
      }
      return points;
    },

    latest(): number | undefined {
      return newest === undefined ? undefined : bucketStart(newest);
    },

    stats(): MemoryTrendStats {
      let buckets = 0;
      let counters = 0;
      for (const perType of byType.values()) {
        buckets += perType.size;
        for (const sketch of perType.values()) counters += sketch.size();
      }
      return { types: byType.size, buckets, counters, recorded, dropped };
    },

    async close(): Promise<void> {
      byType.clear();
    },
  };
}
