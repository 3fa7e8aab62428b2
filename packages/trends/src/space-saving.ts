/**
 * Space-saving sketch (Metwally, Agrawal & El Abbadi, "Efficient computation of frequent and top-k
 * elements in data streams", ICDT 2005): at most `capacity` counters. A new item arriving when all
 * counters are taken replaces the item with the smallest count `m` and starts at `m + 1`.
 *
 * Guarantees, with `N` items offered so far: a monitored item's estimate is ≥ its true count and
 * over by at most `minCount()` ≤ `N / capacity`; an unmonitored item's true count is ≤ `minCount()`.
 * Until the first eviction it is exact.
 *
 * The minimum is found by a binary heap ordered by (count, item) with items compared as strings,
 * so ties evict the alphabetically first item — the same choice as Redis' `ZRANGE key 0 0`, which
 * lets the Redis store keep identical counts (for ASCII items; Redis compares bytes).
 */
export class SpaceSaving {
  readonly capacity: number;
  private readonly items: string[] = [];
  private readonly counts: number[] = [];
  private readonly where = new Map<string, number>();
  private offered = 0;
  private evicted = false;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Counts one more occurrence of `item`. */
  add(item: string): void {
    this.offered += 1;
    const at = this.where.get(item);
    if (at !== undefined) {
      this.counts[at] += 1;
      this.down(at);
    } else if (this.items.length < this.capacity) {
      this.items.push(item);
      this.counts.push(1);
      this.where.set(item, this.items.length - 1);
      this.up(this.items.length - 1);
    } else {
      this.evicted = true;
      this.where.delete(this.items[0]);
      this.items[0] = item;
      this.counts[0] += 1;
      this.where.set(item, 0);
      this.down(0);
    }
  }

  /** The estimated count of `item` (0 when it is not monitored). */
  get(item: string): number {
    const at = this.where.get(item);
    return at === undefined ? 0 : this.counts[at];
  }

  /** The error bound: the smallest counter once an item has been evicted, else 0 (exact). */
  minCount(): number {
    return this.evicted ? this.counts[0] : 0;
  }

  /** Number of items offered so far (`N`). */
  total(): number {
    return this.offered;
  }

  /** Number of items monitored (≤ capacity). */
  size(): number {
    return this.items.length;
  }

  /** The monitored items and their estimates, in no particular order. */
  *entries(): IterableIterator<[string, number]> {
    for (let i = 0; i < this.items.length; i += 1) yield [this.items[i], this.counts[i]];
  }

  private less(i: number, j: number): boolean {
    const ci = this.counts[i];
    const cj = this.counts[j];
    return ci < cj || (ci === cj && this.items[i] < this.items[j]);
  }

  private swap(i: number, j: number): void {
    const item = this.items[i];
    const count = this.counts[i];
    this.items[i] = this.items[j];
    this.counts[i] = this.counts[j];
    this.items[j] = item;
    this.counts[j] = count;
    this.where.set(this.items[i], i);
    this.where.set(this.items[j], j);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < n && this.less(l, smallest)) smallest = l;
      if (r < n && this.less(r, smallest)) smallest = r;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}
