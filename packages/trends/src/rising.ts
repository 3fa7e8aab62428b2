/**
 * The rising score of an entity: its mentions in the window against the count its own baseline
 * rate predicts, smoothed by one pseudo-mention on both sides:
 *
 *     expected = baselineCount × windowBuckets / baselineBuckets   (0 when there is no baseline)
 *     score    = (count + 1) / (expected + 1)
 *
 * A steady entity scores about 1, one mentioned twice as often as usual about 2, a new entity
 * `count + 1`. The `+ 1` keeps one or two stray mentions of a rare entity from looking like a
 * trend; `minCount` and `minScore` then decide what is listed as rising.
 */
export function risingScore(count: number, baselineCount: number, windowBuckets: number, baselineBuckets: number): number {
  const expected = baselineBuckets > 0 ? (baselineCount * windowBuckets) / baselineBuckets : 0;
  return (count + 1) / (expected + 1);
}
