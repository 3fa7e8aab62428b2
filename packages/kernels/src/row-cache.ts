/**
 * When a new token takes a row from another: `'frequency'` (default) only when it has been
 * seen more often lately than the token CLOCK would evict (TinyLFU's admission: counts in a
 * small count-min sketch, halved as they age), else its row is computed for the plan alone;
 * `'always'` (plain CLOCK) whenever it is new.
 */
export type RowAdmission = 'frequency' | 'always';

/** Counters per token in the sketch (each a 4-bit count, saturating). */
const SKETCH_ROWS = 4;
const COUNT_MAX = 15;

/** A 32-bit hash of a key's UTF-16 code units (FNV-1a, then murmur3's finaliser). */
function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Which token each row of a bounded per-token table holds (the first LSTM layer's rows of
 * {@link WasmInference}: a token's word part, bias and char part), with CLOCK (second-chance)
 * replacement: a row used again since the hand last passed is spared once. A plan's own tokens
 * are never evicted while that plan is assigned, so a plan with at most `capacity` distinct
 * tokens always fits.
 *
 * Once the table is full, a new token evicts CLOCK's choice only if it was seen more often
 * lately (admission `'frequency'`, the default): a stream's one-off tokens (links, handles,
 * typos) then leave the frequent ones in place instead of pushing them out, and a token that is
 * not admitted is computed for its plan alone (a transient row). Frequencies are estimated per
 * plan occurrence in a count-min sketch of 4 × 4·capacity four-bit counters, all halved after
 * 10 · capacity counts, so that they follow what the stream uses now.
 *
 * Assigning changes the map at once, before the plan runs; a plan that fails must `clear()` the
 * cache of the memory it ran in (rows it was to compute may be missing). A row's numbers
 * depend on its token alone, so which batch filled it, and when, and whether a token got a
 * row or a transient one, never shows in the results.
 */
export class RowCache {
  readonly capacity: number;
  readonly admission: RowAdmission;
  private readonly slotOf = new Map<string, number>();
  private readonly keyOf: (string | undefined)[];
  /** The hash of the key each row holds (for its frequency). */
  private readonly hashOf: Uint32Array;
  private readonly referenced: Uint8Array;
  /** The number of the plan that last used each row. */
  private readonly usedBy: Float64Array;
  private readonly sketch: Uint8Array;
  private readonly sketchMask: number;
  private counted = 0;
  private readonly ageAt: number;
  private count = 0;
  private hand = 0;
  private plans = 0;

  constructor(capacity: number, admission: RowAdmission = 'frequency') {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`RowCache: capacity must be a positive integer, got ${capacity}`);
    if (admission !== 'frequency' && admission !== 'always') throw new RangeError(`RowCache: admission must be 'frequency' or 'always', got '${String(admission)}'`);
    this.capacity = capacity;
    this.admission = admission;
    this.keyOf = new Array<string | undefined>(capacity);
    this.hashOf = new Uint32Array(capacity);
    this.referenced = new Uint8Array(capacity);
    this.usedBy = new Float64Array(capacity);
    let width = 16;
    while (width < 16 * capacity) width *= 2;
    this.sketch = new Uint8Array(admission === 'frequency' ? SKETCH_ROWS * width : 0);
    this.sketchMask = width - 1;
    this.ageAt = 10 * capacity;
  }

  /** Tokens with a row now. */
  get size(): number {
    return this.slotOf.size;
  }

  /**
   * Rows for one plan's distinct tokens `keys` (at most `capacity`): `rows[u]` is token u's row,
   * or `-1 - k` when it gets the plan's k-th transient row (not admitted: see the class). The
   * tokens whose rows must be computed (new to the table, transient ones too) are pushed to
   * `fresh`, in order. Returns the number of transient rows.
   */
  assign(keys: readonly string[], rows: Int32Array, fresh: number[]): number {
    if (keys.length > this.capacity) throw new RangeError(`RowCache: ${keys.length} tokens do not fit in ${this.capacity} rows`);
    const plan = ++this.plans;
    const frequency = this.admission === 'frequency';
    const hashes = frequency ? Uint32Array.from(keys, hashKey) : null;
    if (hashes !== null) for (const h of hashes) this.add(h);
    for (let u = 0; u < keys.length; u++) {
      const s = this.slotOf.get(keys[u]);
      if (s === undefined) {
        rows[u] = -1;
        continue;
      }
      rows[u] = s;
      this.referenced[s] = 1;
      this.usedBy[s] = plan;
    }
    let transient = 0;
    for (let u = 0; u < keys.length; u++) {
      if (rows[u] >= 0) continue;
      fresh.push(u);
      const full = this.count >= this.capacity;
      const s = this.freeRow(plan);
      if (full && hashes !== null && !this.admits(hashes[u], this.hashOf[s])) {
        rows[u] = -1 - transient++;
        continue;
      }
      const old = this.keyOf[s];
      if (old !== undefined) this.slotOf.delete(old);
      this.slotOf.set(keys[u], s);
      this.keyOf[s] = keys[u];
      if (hashes !== null) this.hashOf[s] = hashes[u];
      this.referenced[s] = 0;
      this.usedBy[s] = plan;
      rows[u] = s;
    }
    return transient;
  }

  /** Forgets every row (the frequencies stay: they describe the stream, not the table). */
  clear(): void {
    this.slotOf.clear();
    this.keyOf.fill(undefined);
    this.referenced.fill(0);
    this.count = 0;
    this.hand = 0;
  }

  /** The index of the key with hash h's counter in row i of the sketch. */
  private counter(h: number, i: number): number {
    return i * (this.sketchMask + 1) + ((h + i * ((h >>> 17) | 1)) & this.sketchMask);
  }

  /** Counts one occurrence of the key with hash h; every 10 · capacity counts, halves them all. */
  private add(h: number): void {
    for (let i = 0; i < SKETCH_ROWS; i++) {
      const at = this.counter(h, i);
      if (this.sketch[at] < COUNT_MAX) this.sketch[at]++;
    }
    if (++this.counted >= this.ageAt) {
      for (let i = 0; i < this.sketch.length; i++) this.sketch[i] >>= 1;
      this.counted >>= 1;
    }
  }

  /**
   * Whether a new token (hash h) takes the row of the one with hash victim: it was seen at
   * least twice lately (one-off tokens never push others out) and more often than the victim.
   */
  private admits(h: number, victim: number): boolean {
    const e = this.estimate(h);
    return e >= 2 && e > this.estimate(victim);
  }

  /** The key's estimated recent count: the least of its counters. */
  private estimate(h: number): number {
    let least = COUNT_MAX;
    for (let i = 0; i < SKETCH_ROWS; i++) least = Math.min(least, this.sketch[this.counter(h, i)]);
    return least;
  }

  /** A row never used, else the first the hand finds that this plan does not use and that was not used again since the hand passed. */
  private freeRow(plan: number): number {
    if (this.count < this.capacity) return this.count++;
    for (;;) {
      const s = this.hand;
      this.hand = (s + 1) % this.capacity;
      if (this.usedBy[s] === plan) continue;
      if (this.referenced[s] === 1) {
        this.referenced[s] = 0;
        continue;
      }
      return s;
    }
  }
}
