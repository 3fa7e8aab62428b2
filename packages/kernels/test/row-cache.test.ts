// RowCache against a brute-force model of what it promises: each plan's tokens get distinct rows
// below the capacity; a token keeps its row until it is evicted; the tokens reported fresh are
// exactly those without a row before the plan; a plan never evicts its own tokens; and CLOCK's
// second chance (a token used again since the hand passed is spared once).
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
    const cache = new RowCache(capacity);
    const rowOf = new Map<string, number>(); // the model: which token holds each row
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
      for (const u of fresh) for (const [k, r] of rowOf) if (r === rows[u]) rowOf.delete(k);
      fresh.forEach((u) => rowOf.set(keys[u], rows[u]));
      expect(cache.size).toBe(rowOf.size);
      expect(cache.size).toBeLessThanOrEqual(capacity);
    }
  });

  it('fills unused rows first, then spares a row used again since the hand passed', () => {
    const cache = new RowCache(3);
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
  });
});
