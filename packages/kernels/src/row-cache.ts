/**
 * Which token each row of a bounded per-token table holds (the first LSTM layer's rows of
 * {@link WasmInference}: a token's word part, bias and char part), with CLOCK (second-chance)
 * replacement: a row used again since the hand last passed is spared once. A plan's own tokens
 * are never evicted while that plan is assigned, so a plan with at most `capacity` distinct
 * tokens always fits.
 *
 * Assigning changes the map at once, before the plan runs; a plan that fails must `clear()` the
 * cache of the memory it ran in (rows it was to compute may be missing). A row's numbers
 * depend on its token alone, so which batch filled it, and when, never shows in the results.
 */
export class RowCache {
  readonly capacity: number;
  private readonly slotOf = new Map<string, number>();
  private readonly keyOf: (string | undefined)[];
  private readonly referenced: Uint8Array;
  /** The number of the plan that last used each row. */
  private readonly usedBy: Float64Array;
  private count = 0;
  private hand = 0;
  private plans = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`RowCache: capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.keyOf = new Array<string | undefined>(capacity);
    this.referenced = new Uint8Array(capacity);
    this.usedBy = new Float64Array(capacity);
  }

  /** Tokens with a row now. */
  get size(): number {
    return this.slotOf.size;
  }

  /**
   * Rows for one plan's distinct tokens `keys` (at most `capacity`): `rows[u]` is token u's row;
   * the tokens whose rows must be computed (new to the table) are pushed to `fresh`, in order.
   */
  assign(keys: readonly string[], rows: Int32Array, fresh: number[]): void {
    if (keys.length > this.capacity) throw new RangeError(`RowCache: ${keys.length} tokens do not fit in ${this.capacity} rows`);
    const plan = ++this.plans;
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
    for (let u = 0; u < keys.length; u++) {
      if (rows[u] >= 0) continue;
      const s = this.freeRow(plan);
      const old = this.keyOf[s];
      if (old !== undefined) this.slotOf.delete(old);
      this.slotOf.set(keys[u], s);
      this.keyOf[s] = keys[u];
      this.referenced[s] = 0;
      this.usedBy[s] = plan;
      rows[u] = s;
      fresh.push(u);
    }
  }

  /** Forgets every row. */
  clear(): void {
    this.slotOf.clear();
    this.keyOf.fill(undefined);
    this.referenced.fill(0);
    this.count = 0;
    this.hand = 0;
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
