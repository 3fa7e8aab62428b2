/**
 * The gazetteer's phrase index in flat typed arrays: every phrase (lower-cased, tokens joined by
 * one space) with the ids of the lists holding it, and every first token with the longest
 * phrase it starts. One open-addressing hash table (FNV-1a over UTF-16 code units) maps a key to
 * its entry; keys are stored once as code units, so 594,877 WNUT16 phrases take about 25 MB
 * and are built in a fraction of a second, against a `Map` of strings several times that size.
 *
 * Lookups take the tokens of a tweet and hash the candidate phrase as it would be joined,
 * without building the joined string.
 */

/** JavaScript's `\s`: the characters `String.prototype.split(/\s+/)` splits on. */
function isSpace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) || c === 32 || c === 160 || c === 5760 || (c >= 8192 && c <= 8202) ||
    c === 8232 || c === 8233 || c === 8239 || c === 8287 || c === 12288 || c === 65279
  );
}

const FNV_OFFSET = 0x811c9dc5;
const SPACE = 32;

function fnvStep(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

/** Mixes the FNV state into a slot index (FNV's low bits alone cluster). */
function slotOf(h: number, mask: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h & mask;
}

/** A growable Uint16Array / Int32Array. */
class Grow<T extends Uint16Array | Int32Array | Uint8Array> {
  data: T;
  length = 0;
  constructor(private readonly make: (n: number) => T, initial: number) {
    this.data = make(initial);
  }
  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    let n = this.data.length * 2;
    while (n < this.length + extra) n *= 2;
    const next = this.make(n);
    next.set(this.data.subarray(0, this.length) as never);
    this.data = next;
  }
  push(v: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = v;
  }
  trimmed(): T {
    return this.data.slice(0, this.length) as T;
  }
}

/** A read-only phrase index; made by {@link PhraseTableBuilder}. */
export class PhraseTable {
  /** Distinct phrases. */
  readonly size: number;
  /** Longest phrase, in tokens. */
  readonly maxLen: number;

  constructor(
    private readonly chars: Uint16Array,
    private readonly keyStart: Int32Array,
    private readonly keyLen: Int32Array,
    /** Per entry, its list ids are `listIds[listStart[e] … listStart[e+1])` (none: a first token only). */
    private readonly listStart: Int32Array,
    private readonly listIds: Uint8Array,
    /** Per entry, the longest phrase (tokens) that starts with it as first token, or 0. */
    private readonly longest: Uint8Array,
    /** Entry + 1 per slot, 0 = empty; a power-of-two length. */
    private readonly slots: Int32Array,
    size: number,
    maxLen: number,
  ) {
    this.size = size;
    this.maxLen = maxLen;
  }

  /** The entry of a key given as `tokens[from … from+n)` joined by single spaces, or -1. */
  private find(tokens: readonly string[], from: number, n: number): number {
    let h = FNV_OFFSET;
    let len = n - 1;
    for (let t = from; t < from + n; t++) {
      const tok = tokens[t];
      if (t > from) h = fnvStep(h, SPACE);
      for (let i = 0; i < tok.length; i++) h = fnvStep(h, tok.charCodeAt(i));
      len += tok.length;
    }
    const mask = this.slots.length - 1;
    for (let s = slotOf(h, mask); ; s = (s + 1) & mask) {
      const e = this.slots[s] - 1;
      if (e < 0) return -1;
      if (this.keyLen[e] === len && this.equals(e, tokens, from, n)) return e;
    }
  }

  private equals(e: number, tokens: readonly string[], from: number, n: number): boolean {
    let p = this.keyStart[e];
    const chars = this.chars;
    for (let t = from; t < from + n; t++) {
      if (t > from && chars[p++] !== SPACE) return false;
      const tok = tokens[t];
      for (let i = 0; i < tok.length; i++) if (chars[p++] !== tok.charCodeAt(i)) return false;
    }
    return true;
  }

  /** Ids of the lists holding the phrase `tokens[from … from+n)` (joined by spaces), ascending; undefined if none. */
  listsOf(tokens: readonly string[], from: number, n: number): Uint8Array | undefined {
    const e = this.find(tokens, from, n);
    if (e < 0 || this.listStart[e] === this.listStart[e + 1]) return undefined;
    return this.listIds.subarray(this.listStart[e], this.listStart[e + 1]);
  }

  /**
   * The entries of the phrases `tokens[from … from+n)` for n = 1 … maxN: `out[n - 1]` is the
   * entry, or -1 (one hash pass over the tokens, extended a token at a time). An entry's lists
   * are `listId(q)` for q in `listsFrom(e) … listsFrom(e + 1)` ({@link listsOf} without a view
   * per phrase).
   */
  entriesFrom(tokens: readonly string[], from: number, maxN: number, out: Int32Array): void {
    let h = FNV_OFFSET;
    let len = -1;
    const mask = this.slots.length - 1;
    for (let n = 1; n <= maxN; n++) {
      const tok = tokens[from + n - 1];
      if (n > 1) h = fnvStep(h, SPACE);
      for (let i = 0; i < tok.length; i++) h = fnvStep(h, tok.charCodeAt(i));
      len += tok.length + 1;
      let found = -1;
      for (let s = slotOf(h, mask); ; s = (s + 1) & mask) {
        const e = this.slots[s] - 1;
        if (e < 0) break;
        if (this.keyLen[e] === len && this.equals(e, tokens, from, n)) {
          found = e;
          break;
        }
      }
      out[n - 1] = found;
    }
  }

  listsFrom(e: number): number {
    return this.listStart[e];
  }

  listId(q: number): number {
    return this.listIds[q];
  }

  /** Ids of the lists holding `phrase` (lower-cased, tokens joined by one space); undefined if none. */
  get(phrase: string): readonly number[] | undefined {
    const toks = phrase.split(' ');
    const lists = this.listsOf(toks, 0, toks.length);
    return lists === undefined ? undefined : Array.from(lists);
  }

  has(phrase: string): boolean {
    const toks = phrase.split(' ');
    return this.listsOf(toks, 0, toks.length) !== undefined;
  }

  /** The longest phrase (in tokens) whose first token is `token`, or 0. */
  longestFrom(token: string): number {
    const e = this.find([token], 0, 1);
    return e < 0 ? 0 : this.longest[e];
  }
}

/**
 * Builds a {@link PhraseTable} from list texts, one entry per line, exactly as
 * `entry.trim().toLowerCase().split(/\s+/)` would tokenize them; entries of more than `maxTokens`
 * tokens are skipped.
 */
export class PhraseTableBuilder {
  private readonly chars = new Grow((n) => new Uint16Array(n), 1 << 20);
  private readonly keyStart = new Grow((n) => new Int32Array(n), 1 << 16);
  private readonly keyLen = new Grow((n) => new Int32Array(n), 1 << 16);
  private readonly longest = new Grow((n) => new Uint8Array(n), 1 << 16);
  /** Last list added to each entry (lists are added in id order). */
  private readonly lastList = new Grow((n) => new Int32Array(n), 1 << 16);
  private readonly pairEntry = new Grow((n) => new Int32Array(n), 1 << 16);
  private readonly pairList = new Grow((n) => new Uint8Array(n), 1 << 16);
  private slots = new Int32Array(1 << 16);
  private entries = 0;
  private phrases = 0;
  private maxLen = 1;

  constructor(private readonly maxTokens: number) {}

  /** Adds the entries of list `id` (0–255, in increasing order across calls), one per line of `text`. */
  addList(id: number, text: string): void {
    if (!Number.isInteger(id) || id < 0 || id > 255) throw new RangeError(`list id ${id} must be an integer in [0, 255]`);
    const lower = text.toLowerCase();
    const L = lower.length;
    // Room for every line as a new phrase (and half of them a new first token): the table grows at most once here.
    let lines = 1;
    for (let q = lower.indexOf('\n'); q >= 0; q = lower.indexOf('\n', q + 1)) lines++;
    this.ensureSlots(this.entries + lines + (lines >> 1));
    let i = 0;
    while (i < L) {
      // one line: tokens separated by runs of whitespace, written joined by one space
      this.chars.reserve(L - i + 1);
      const buf = this.chars;
      const start = buf.length;
      let p = start;
      let tokens = 0;
      let firstEnd = -1;
      let inToken = false;
      for (; i < L; i++) {
        const c = lower.charCodeAt(i);
        if (c === 10) break;
        if (isSpace(c)) {
          if (inToken) {
            inToken = false;
            if (firstEnd < 0) firstEnd = p;
          }
          continue;
        }
        if (!inToken) {
          if (tokens > 0) buf.data[p++] = SPACE;
          tokens++;
          inToken = true;
        }
        buf.data[p++] = c;
      }
      i++; // past the newline
      if (tokens === 0 || tokens > this.maxTokens) continue;
      if (firstEnd < 0) firstEnd = p;
      buf.length = p;
      const e = this.entry(start, p - start, true);
      if (this.lastList.data[e] !== id + 1) {
        this.lastList.data[e] = id + 1;
        this.pairEntry.push(e);
        this.pairList.push(id);
      }
      if (tokens > this.maxLen) this.maxLen = tokens;
      const f = tokens === 1 ? e : this.entry(start, firstEnd - start, false);
      if (this.longest.data[f] < tokens) this.longest.data[f] = tokens;
    }
  }

  /**
   * The entry of the key `chars[start … start+len)`, made if missing. A new phrase keeps its
   * chars (`owned`); a key found again, or a first token (which lies inside a phrase's chars),
   * does not add any.
   */
  private entry(start: number, len: number, owned: boolean): number {
    const d = this.chars.data;
    let h = FNV_OFFSET;
    for (let q = start; q < start + len; q++) h = fnvStep(h, d[q]);
    let mask = this.slots.length - 1;
    for (let s = slotOf(h, mask); ; s = (s + 1) & mask) {
      const e = this.slots[s] - 1;
      if (e < 0) {
        const n = this.entries++;
        for (const g of [this.keyStart, this.keyLen, this.longest, this.lastList]) g.reserve(1);
        this.keyStart.data[n] = start;
        this.keyLen.data[n] = len;
        this.longest.data[n] = 0;
        this.lastList.data[n] = 0;
        this.keyStart.length = this.keyLen.length = this.longest.length = this.lastList.length = this.entries;
        this.slots[s] = n + 1;
        if (owned) this.phrases++;
        if (this.entries * 2 > this.slots.length) {
          this.rehash();
          mask = this.slots.length - 1;
        }
        return n;
      }
      if (this.keyLen.data[e] === len) {
        const ks = this.keyStart.data[e];
        let same = true;
        for (let q = 0; q < len; q++) if (d[ks + q] !== d[start + q]) { same = false; break; }
        if (same) {
          // A phrase seen before as a first token only: count it (its chars stay where they were).
          if (owned && !this.isPhrase(e)) this.phrases++;
          if (owned) this.chars.length = start; // the line's chars are not needed again
          return e;
        }
      }
    }
  }

  /** Entries that have (or are getting) lists: first-token-only entries have lastList 0. */
  private isPhrase(e: number): boolean {
    return this.lastList.data[e] !== 0;
  }

  /** Grows the slots (load ≤ 1/2) for `entries` entries. */
  private ensureSlots(entries: number): void {
    let size = this.slots.length;
    while (entries * 2 > size) size *= 2;
    if (size > this.slots.length) this.rehash(size);
  }

  private rehash(size = this.slots.length * 2): void {
    const next = new Int32Array(size);
    const mask = next.length - 1;
    const d = this.chars.data;
    for (let e = 0; e < this.entries; e++) {
      let h = FNV_OFFSET;
      const ks = this.keyStart.data[e];
      for (let q = ks; q < ks + this.keyLen.data[e]; q++) h = fnvStep(h, d[q]);
      let s = slotOf(h, mask);
      while (next[s] !== 0) s = (s + 1) & mask;
      next[s] = e + 1;
    }
    this.slots = next;
  }

  build(): PhraseTable {
    const E = this.entries;
    const P = this.pairEntry.length;
    const listStart = new Int32Array(E + 1);
    for (let q = 0; q < P; q++) listStart[this.pairEntry.data[q] + 1]++;
    for (let e = 0; e < E; e++) listStart[e + 1] += listStart[e];
    const fill = listStart.slice(0, E);
    const listIds = new Uint8Array(P);
    // pairs are in list order, so each entry's ids come out ascending
    for (let q = 0; q < P; q++) listIds[fill[this.pairEntry.data[q]]++] = this.pairList.data[q];
    return new PhraseTable(
      this.chars.trimmed(),
      this.keyStart.trimmed(),
      this.keyLen.trimmed(),
      listStart,
      listIds,
      this.longest.trimmed(),
      this.slots,
      this.phrases,
      this.maxLen,
    );
  }
}
