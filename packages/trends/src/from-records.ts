import { bucketOf, bucketStart } from './bucket';
import { TREND_OPTION_KEYS, type TrendOptions } from './config';
import { TrendsOptionsError } from './errors';
import { memoryTrendStore } from './memory-store';
import { checkKeys, intOption } from './options';
import type { Mention, TrendResult } from './types';

/** One tagged tweet: when it was posted (ms since the epoch) and the entities found in it. */
export interface TaggedRecord {
  at: number;
  entities: readonly Mention[];
}

export interface TrendsFromRecordsOptions extends TrendOptions {
  /** Windows to report, in seconds. Default `[300, 3600, 86400]`. */
  windows?: number[];
  /** Entries per type and view. Default 10. */
  limit?: number;
  /** Entities (over all types) whose per-minute counts go into `series`. Default 5. */
  seriesTop?: number;
}

/** One window of a {@link TrendsReport}: both views as of the file's last tweet. */
export interface TrendsWindowReport {
  window: number;
  top: TrendResult;
  rising: TrendResult;
  /** Per type, the most a count can be off (0: exact); see `MemoryTrendStore.errorBound`. */
  errorBound: Record<string, number>;
}

/** The trends of a file of tweets, read as of its last tweet. */
export interface TrendsReport {
  /** First and last tweet time (ISO 8601), undefined for no tweets. */
  from: string | undefined;
  to: string | undefined;
  records: number;
  mentions: number;
  /** Mentions too old to count: more than `retention` before a tweet already read (files out of order). */
  dropped: number;
  windows: TrendsWindowReport[];
  /** Mentions per minute of the `seriesTop` most mentioned entities of the longest window, from its first minute with tweets. */
  series: { type: string; entity: string; at: string; count: number }[];
}

const KEYS = [...TREND_OPTION_KEYS, 'windows', 'limit', 'seriesTop'];

/**
 * The same aggregation as `twner serve`, over tweets read from a file: records go into a
 * {@link memoryTrendStore} with the same options, then every window is read in both views as of
 * the last tweet's time. Records may come in any order within `retention` (48 h by default).
 */
export async function trendsFromRecords(
  records: AsyncIterable<TaggedRecord> | Iterable<TaggedRecord>,
  options: TrendsFromRecordsOptions = {},
): Promise<TrendsReport> {
  checkKeys('trendsFromRecords', options, KEYS);
  const { windows: windowsOption, limit: limitOption, seriesTop: seriesOption, ...storeOptions } = options;
  const windows = windowsOption ?? [300, 3600, 86400];
  if (!Array.isArray(windows) || windows.length === 0 || windows.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new TrendsOptionsError('trendsFromRecords', 'windows', `must be a non-empty array of whole seconds, got ${JSON.stringify(windows)}`);
  }
  const limit = intOption('trendsFromRecords', 'limit', limitOption, 10);
  const seriesTop = intOption('trendsFromRecords', 'seriesTop', seriesOption, 5, 0);
  const store = memoryTrendStore(storeOptions);
  const retention = storeOptions.retention ?? 172_800;
  const tooLong = windows.find((w) => w > retention);
  if (tooLong !== undefined) {
    throw new TrendsOptionsError('trendsFromRecords', 'windows', `has ${tooLong} s, longer than \`retention\` (${retention} s); raise \`retention\` or drop that window`);
  }

  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let count = 0;
  let mentions = 0;
  for await (const record of records) {
    count += 1;
    first = Math.min(first, record.at);
    last = Math.max(last, record.at);
    mentions += record.entities.length;
    await store.record(record.entities, record.at);
  }
  const now = count > 0 ? last : Date.now();

  const reports: TrendsWindowReport[] = [];
  for (const window of windows) {
    const top = await store.query({ window, view: 'top', limit, now });
    const rising = await store.query({ window, view: 'rising', limit, now });
    const errorBound: Record<string, number> = {};
    for (const type of Object.keys(top.types)) errorBound[type] = store.errorBound(type, window, now);
    reports.push({ window, top, rising, errorBound });
  }

  const series: TrendsReport['series'] = [];
  if (count > 0 && seriesTop > 0) {
    const longest = Math.max(...windows);
    const top = reports.find((r) => r.window === longest)!.top;
    const ranked = Object.entries(top.types)
      .flatMap(([type, entries]) => entries.map((e) => ({ type, ...e })))
      .sort((a, b) => b.count - a.count || a.entity.localeCompare(b.entity))
      .slice(0, seriesTop);
    const firstMinute = bucketStart(bucketOf(first));
    for (const { type, entity } of ranked) {
      for (const point of store.series(type, entity, longest, now)) {
        if (point.at >= firstMinute) series.push({ type, entity, at: new Date(point.at).toISOString(), count: point.count });
      }
    }
  }
  const { dropped } = store.stats();
  await store.close();
  return {
    from: count > 0 ? new Date(first).toISOString() : undefined,
    to: count > 0 ? new Date(last).toISOString() : undefined,
    records: count,
    mentions,
    dropped,
    windows: reports,
    series,
  };
}
