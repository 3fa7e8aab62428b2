export { normaliseMention } from './normalise';
export { BUCKET_MS, bucketOf, bucketStart, bucketsIn, windowBuckets, type BucketRange } from './bucket';
export { SpaceSaving } from './space-saving';
export { risingScore } from './rising';
export type { TrendOptions } from './config';
export type { Mention, TrendView, TrendQuery, TrendEntry, TrendResult, TrendStore } from './types';
export {
  memoryTrendStore,
  type MemoryTrendStore,
  type MemoryTrendStoreOptions,
  type MemoryTrendStats,
  type SeriesPoint,
} from './memory-store';
export { redisTrendStore, type RedisTrendStoreOptions, type RedisCommandClient } from './redis-store';
export { parseTimestamp } from './timestamp';
export {
  trendsFromRecords,
  type TaggedRecord,
  type TrendsFromRecordsOptions,
  type TrendsReport,
  type TrendsWindowReport,
} from './from-records';
export { formatTrendsTable, formatWindow } from './format-table';
export { trendsCharts, type TrendChart, type VegaLiteSpec } from './charts';
export { TrendsError, TrendsOptionsError, TrendsQueryError, TimestampError, TrendsRedisError } from './errors';
