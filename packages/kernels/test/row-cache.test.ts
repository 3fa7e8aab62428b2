// RowCache against a brute-force model of what it promises: each plan's tokens get distinct rows
// below the capacity; a token keeps its row until it is evicted; the tokens reported fresh are
// exactly those without a row before the plan; a plan never evicts its own tokens; and CLOCK's
// second chance (a token used again since the hand passed is spared once); with frequency
// admission, the same promises for the tokens given rows, transient rows for the others, and
// frequent tokens kept through a flood of one-off ones.
import { RowCache } from '../src/row-cache';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 2 ** 32;
  };
}

describe('RowCache', () => {
  it.each([1, 2, 7, 64])('keeps its promises over 3,000 random plans (capacity %i)', (capacity) => {
    const rand = rng(capacity);
    const cache = new RowCache(capacity, 'always');
    const rowOf = new Map<string, number>(); // the model: which token holds each row
    const keyOfRow = new Map<number, string>();
    for (let p = 0; p < 3000; p++) {
      // Zipf-like draws from 4 × capacity tokens: some return often, most rarely
      const n = 1 + Math.floor(rand() * capacity);
      const keys = [...new Set(Array.from({ length: n }, () => `t${Math.floor(4 * capacity * rand() ** 2)}`))];
      const rows = new Int32Array(keys.length);
      const fresh: number[] = [];
      cache.assign(keys, rows, fresh);
      expect(fresh).toEqual(keys.flatMap((k, u) => (rowOf.has(k) ? [] : [u])));
      keys.forEach((k, u) => {
        if (rowOf.has(k)) expect(rows[u]).toBe(rowOf.get(k));
        expect(rows[u]).toBeGreaterThanOrEqual(0);
        expect(rows[u]).toBeLessThan(capacity);
      });
      expect(new Set(rows).size).toBe(keys.length);
      // rows handed to fresh tokens are taken from whoever held them
      for (const u of fresh) {
        const held = keyOfRow.get(rows[u]);
        if (held !== undefined) rowOf.delete(held);
        rowOf.set(keys[u], rows[u]);
        keyOfRow.set(rows[u], keys[u]);
      }
      expect(cache.size).toBe(rowOf.size);
      expect(cache.size).toBeLessThanOrEqual(capacity);
    }
  });

  it('fills unused rows first, then spares a row used again since the hand passed', () => {
    const cache = new RowCache(3, 'always');
    const assign = (keys: string[]): { rows: number[]; fresh: number[] } => {
      const rows = new Int32Array(keys.length);
      const fresh: number[] = [];
      cache.assign(keys, rows, fresh);
      return { rows: [...rows], fresh };
    };
    expect(assign(['a', 'b', 'c'])).toEqual({ rows: [0, 1, 2], fresh: [0, 1, 2] });
    expect(assign(['b'])).toEqual({ rows: [1], fresh: [] }); // b is referenced again
    expect(assign(['d'])).toEqual({ rows: [0], fresh: [0] }); // a (row 0) goes, the first unreferenced
    expect(assign(['e'])).toEqual({ rows: [2], fresh: [0] }); // b is spared once (its mark cleared), c goes
    expect(assign(['f'])).toEqual({ rows: [0], fresh: [0] }); // the hand is back at d, never used again
    expect(assign(['g'])).toEqual({ rows: [1], fresh: [0] }); // now b goes
    expect(() => assign(['w', 'x', 'y', 'z'])).toThrow('4 tokens do not fit in 3 rows');
    cache.clear();
    expect(cache.size).toBe(0);
    expect(assign(['g', 'a'])).toEqual({ rows: [0, 1], fresh: [0, 1] });
    expect(() => new RowCache(0)).toThrow('capacity must be a positive integer');
    expect(() => new RowCache(3, 'lru' as 'always')).toThrow("admission must be 'frequency' or 'always', got 'lru'");
  });

  it.each([1, 2, 7, 64])('keeps its promises with frequency admission over 3,000 random plans (capacity %i)', (capacity) => {
    const rand = rng(100 + capacity);
    const cache = new RowCache(capacity);
    expect(cache.admission).toBe('frequency');
    const rowOf = new Map<string, number>();
    const keyOfRow = new Map<number, string>();
    let transients = 0;
    for (let p = 0; p < 3000; p++) {
      const n = 1 + Math.floor(rand() * capacity);
      const keys = [...new Set(Array.from({ length: n }, () => `t${Math.floor(4 * capacity * rand() ** 2)}`))];
      const rows = new Int32Array(keys.length);
      const fresh: number[] = [];
      const transient = cache.assign(keys, rows, fresh);
      transients += transient;
      // fresh: exactly the tokens without a row before, whether they get one now or a transient one
      expect(fresh).toEqual(keys.flatMap((k, u) => (rowOf.has(k) ? [] : [u])));
      // transient rows are numbered 0, 1, … in the order of the tokens
      expect(keys.flatMap((_, u) => (rows[u] < 0 ? [-1 - rows[u]] : []))).toEqual(Array.from({ length: transient }, (_, k) => k));
      const given = keys.flatMap((_, u) => (rows[u] >= 0 ? [rows[u]] : []));
      expect(new Set(given).size).toBe(given.length);
      keys.forEach((k, u) => {
        if (rowOf.has(k)) expect(rows[u]).toBe(rowOf.get(k));
        expect(rows[u]).toBeLessThan(capacity);
      });
      for (const u of fresh) {
        if (rows[u] < 0) continue; // a transient row: the token still has none in the table
        const held = keyOfRow.get(rows[u]);
        if (held !== undefined) rowOf.delete(held);
        rowOf.set(keys[u], rows[u]);
        keyOfRow.set(rows[u], keys[u]);
      }
      expect(cache.size).toBe(rowOf.size);
    }
    if (capacity > 1) expect(transients).toBeGreaterThan(0); // the admission did refuse some
  });

  it('keeps frequent tokens through a flood of one-off tokens, where plain CLOCK lets them go', () => {
    const hits = (admission: 'frequency' | 'always'): number => {
      const cache = new RowCache(100, admission);
      const rand = rng(7);
      let hit = 0;
      let total = 0;
      let fresh = 0;
      for (let p = 0; p < 2000; p++) {
        // each plan: 5 of 80 frequent tokens and 20 tokens never seen again (links, handles)
        const keys = [...new Set([...Array.from({ length: 5 }, () => `f${Math.floor(80 * rand())}`), ...Array.from({ length: 20 }, () => `once${fresh++}`)])];
        const rows = new Int32Array(keys.length);
        const computed: number[] = [];
        cache.assign(keys, rows, computed);
        if (p >= 1000) {
          total += keys.filter((k) => k.startsWith('f')).length;
          hit += keys.filter((k, u) => k.startsWith('f') && !computed.includes(u)).length;
        }
      }
      return hit / total;
    };
    const lfu = hits('frequency');
    const clock = hits('always');
    expect(lfu).toBeGreaterThan(0.95);
    expect(clock).toBeLessThan(0.5);
  });

  it('lets a token that is frequent now take the row of one that was frequent long ago (the counts age)', () => {
    const cache = new RowCache(4);
    const plan = (keys: string[]): number[] => {
      const rows = new Int32Array(keys.length);
      const fresh: number[] = [];
      cache.assign(keys, rows, fresh);
      return fresh.filter((u) => rows[u] < 0);
    };
    for (let i = 0; i < 15; i++) plan(['a', 'b', 'c', 'd']); // old favourites, counts saturate at 15
    expect(plan(['e'])).toEqual([0]); // seen once: not admitted
    // e is used from now on; after enough counts (10 · capacity each halving) a, b, c, d fade
    let admitted = -1;
    for (let i = 0; i < 60 && admitted < 0; i++) if (plan(['e']).length === 0) admitted = i;
    expect(admitted).toBeGreaterThan(0);
    expect(plan(['e'])).toEqual([]); // it has a row now
  });
});
