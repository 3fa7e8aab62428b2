/** Length of one time bucket: one minute, in milliseconds. */
export const BUCKET_MS = 60_000;

/** The bucket (whole minutes since the epoch) that the instant `ms` (milliseconds since the epoch) falls in. */
export function bucketOf(ms: number): number {
  return Math.floor(ms / BUCKET_MS);
}

/** The first millisecond of bucket `bucket`. */
export function bucketStart(bucket: number): number {
  return bucket * BUCKET_MS;
}

/** A run of whole buckets `[first, last]`; empty when `last < first`. */
export interface BucketRange {
  first: number;
  last: number;
}

/** Number of buckets a window of `seconds` spans: `ceil(seconds / 60)`. */
export function bucketsIn(seconds: number): number {
  return Math.ceil((seconds * 1000) / BUCKET_MS);
}

/**
 * The buckets read for a window of `windowSeconds` ending at `now` (ms): the bucket holding `now`
 * (a partial minute) and the `ceil(window / 60) - 1` whole minutes before it.
 */
export function windowBuckets(now: number, windowSeconds: number): BucketRange {
  const last = bucketOf(now);
  return { first: last - bucketsIn(windowSeconds) + 1, last };
}

/** The `count` buckets just before `range` (the baseline of the rising score). */
export function bucketsBefore(range: BucketRange, count: number): BucketRange {
  return { first: range.first - count, last: range.first - 1 };
}

/** Number of buckets in `range`. */
export function rangeLength(range: BucketRange): number {
  return Math.max(0, range.last - range.first + 1);
}
