import { SpaceSaving } from '../src';
import { rng } from './synthetic';

/** A Zipf-like stream over `vocabulary` items. */
function zipfStream(n: number, vocabulary: number, seed: number): string[] {
  const random = rng(seed);
  const weights = Array.from({ length: vocabulary }, (_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const out: string[] = [];
  for (let i = 0; i < n; i += 1) {
    let u = random() * total;
    let j = 0;
    while (u > weights[j] && j < vocabulary - 1) u -= weights[j++];
    out.push(`e${j}`);
  }
  return out;
}

function exact(items: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of items) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

describe('SpaceSaving', () => {
  it('is exact while it has fewer distinct items than counters', () => {
    const items = zipfStream(2000, 30, 1);
    const sketch = new SpaceSaving(30);
    items.forEach((x) => sketch.add(x));
    for (const [x, c] of exact(items)) expect(sketch.get(x)).toBe(c);
    expect(sketch.minCount()).toBe(0);
  });

  test.each([
    [10, 3],
    [25, 4],
    [50, 5],
  ])('with %i counters stays within N/k of the exact counts (seed %i)', (k, seed) => {
    const items = zipfStream(5000, 400, seed);
    const sketch = new SpaceSaving(k);
    items.forEach((x) => sketch.add(x));
    const truth = exact(items);
    const bound = sketch.minCount();
    expect(bound).toBeGreaterThan(0);
    expect(bound).toBeLessThanOrEqual(items.length / k);
    expect(sketch.size()).toBe(k);
    for (const [x, c] of truth) {
      const est = sketch.get(x);
      if (est > 0) {
        // monitored: never under, over by at most the smallest counter
        expect(est).toBeGreaterThanOrEqual(c);
        expect(est - c).toBeLessThanOrEqual(bound);
      } else {
        // not monitored: it cannot have been frequent
        expect(c).toBeLessThanOrEqual(bound);
      }
    }
    // every item more frequent than N/k is monitored
    for (const [x, c] of truth) if (c > items.length / k) expect(sketch.get(x)).toBeGreaterThan(0);
    const sum = [...sketch.entries()].reduce((a, [, c]) => a + c, 0);
    expect(sum).toBe(items.length); // counters always add up to N
  });

  it('evicts the alphabetically first of the tied smallest counters', () => {
    const sketch = new SpaceSaving(2);
    ['b', 'a', 'c'].forEach((x) => sketch.add(x));
    expect(new Map(sketch.entries())).toEqual(new Map([['b', 1], ['c', 2]]));
  });
});
