import { bucketOf, bucketStart, bucketsIn, windowBuckets } from '../src';

const at = (hh: number, mm: number, ss: number, ms = 0): number => Date.UTC(2026, 0, 15, hh, mm, ss, ms);

describe('bucketOf', () => {
  it('puts every instant of one UTC minute in the same bucket and the next minute in the next one', () => {
    const b = bucketOf(at(12, 1, 0));
    expect(bucketOf(at(12, 1, 59, 999))).toBe(b);
    expect(bucketOf(at(12, 2, 0))).toBe(b + 1);
    expect(bucketOf(at(12, 0, 59, 999))).toBe(b - 1);
    expect(new Date(bucketStart(b)).toISOString()).toBe('2026-01-15T12:01:00.000Z');
  });

  it('counts minutes since the epoch, before 1970 too', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(59_999)).toBe(0);
    expect(bucketOf(-1)).toBe(-1);
  });
});

describe('windowBuckets', () => {
  it('reads the current minute and the 4 before it for a 5-minute window', () => {
    const range = windowBuckets(at(12, 5, 30), 300);
    expect(new Date(bucketStart(range.first)).toISOString()).toBe('2026-01-15T12:01:00.000Z');
    expect(new Date(bucketStart(range.last)).toISOString()).toBe('2026-01-15T12:05:00.000Z');
  });

  test.each([
    [60, 1],
    [61, 2],
    [300, 5],
    [3600, 60],
    [86400, 1440],
    [1, 1],
  ])('a %i s window spans %i buckets', (seconds, n) => {
    expect(bucketsIn(seconds)).toBe(n);
    const range = windowBuckets(at(8, 0, 0), seconds);
    expect(range.last - range.first + 1).toBe(n);
  });
});
