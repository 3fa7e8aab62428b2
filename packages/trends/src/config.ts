import { bucketsIn } from './bucket';
import { TrendsOptionsError } from './errors';
import { intOption, numberOption } from './options';

/** Settings shared by every store: the memory bound, how long buckets are kept, and the rising score. */
export interface TrendOptions {
  /** Counters per type per minute bucket (space-saving capacity). Default 200. */
  topK?: number;
  /** Seconds of buckets kept; the longest window plus its baseline must fit. Default 172 800 (48 h). */
  retention?: number;
  /** The baseline of the rising score is `baselineFactor` windows long (cut to what retention keeps). Default 4. */
  baselineFactor?: number;
  /** Fewest mentions in the window for an entity to be rising. Default 3. */
  minCount?: number;
  /** Lowest rising score for an entity to be rising. Default 2. */
  minScore?: number;
}

export interface TrendConfig {
  topK: number;
  retention: number;
  retentionBuckets: number;
  baselineFactor: number;
  minCount: number;
  minScore: number;
}

export const TREND_OPTION_KEYS = ['topK', 'retention', 'baselineFactor', 'minCount', 'minScore'] as const;

export function trendConfig(fn: string, options: TrendOptions): TrendConfig {
  const retention = intOption(fn, 'retention', options.retention, 172_800, 60);
  const config = {
    topK: intOption(fn, 'topK', options.topK, 200),
    retention,
    retentionBuckets: bucketsIn(retention),
    baselineFactor: numberOption(fn, 'baselineFactor', options.baselineFactor, 4),
    minCount: intOption(fn, 'minCount', options.minCount, 3),
    minScore: numberOption(fn, 'minScore', options.minScore, 2),
  };
  if (config.topK > 100_000) throw new TrendsOptionsError(fn, 'topK', `must be ≤ 100000, got ${config.topK}`);
  return config;
}
