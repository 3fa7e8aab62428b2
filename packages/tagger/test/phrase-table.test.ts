import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PhraseTableBuilder } from '../src/features/phrase-table';
import { LEXICON_FILES } from '../src/data/locate';
import { seededRandom } from '../src/random';

/** The index as a Map, built the plain way: the reference. */
function referenceIndex(lists: readonly string[], maxTokens: number): { phrases: Map<string, number[]>; starts: Map<string, number>; maxLen: number } {
  const phrases = new Map<string, number[]>();
  const starts = new Map<string, number>();
  let maxLen = 1;
  lists.forEach((text, id) => {
    for (const line of text.split('\n')) {
      const toks = line.trim().toLowerCase().split(/\s+/).filter((t) => t.length > 0);
      if (toks.length === 0 || toks.length > maxTokens) continue;
      const key = toks.join(' ');
      const ids = phrases.get(key) ?? [];
      if (!ids.includes(id)) ids.push(id);
      phrases.set(key, ids);
      starts.set(toks[0], Math.max(starts.get(toks[0]) ?? 0, toks.length));
      maxLen = Math.max(maxLen, toks.length);
    }
  });
  return { phrases, starts, maxLen };
}

function build(lists: readonly string[], maxTokens: number) {
  const b = new PhraseTableBuilder(maxTokens);
  lists.forEach((text, id) => b.addList(id, text));
  return b.build();
}

describe('PhraseTable', () => {
  it('holds exactly the phrases, list ids and first tokens of the plain Map on random lists with every kind of whitespace', () => {
    const rng = seededRandom(11);
    const alphabet = ['a', 'b', 'C', 'É', 'ß', 'İ', 'Σ', '😀', ' ', '\t', '\r', '\u00a0', '\u2003', '\u3000', '\ufeff', 'x', 'y'];
    const word = (): string => Array.from({ length: 1 + Math.floor(rng() * 3) }, () => alphabet[Math.floor(rng() * alphabet.length)]).join('');
    const lists = Array.from({ length: 7 }, () => Array.from({ length: 400 }, () => Array.from({ length: Math.floor(rng() * 5) }, word).join(' ')).join('\n'));
    const ref = referenceIndex(lists, 3);
    const table = build(lists, 3);
    expect(table.size).toBe(ref.phrases.size);
    expect(table.maxLen).toBe(ref.maxLen);
    for (const [key, ids] of ref.phrases) expect(table.get(key)).toEqual(ids);
    for (const [tok, n] of ref.starts) expect(table.longestFrom(tok)).toBe(n);
    // keys that are not phrases: every first token of a longer phrase, and prefixes of phrases
    let misses = 0;
    for (const key of ref.phrases.keys()) {
      for (const probe of [key.slice(0, -1), `${key} a`, key.split(' ')[0]]) {
        if (!ref.phrases.has(probe)) {
          expect(table.get(probe)).toBeUndefined();
          expect(table.has(probe)).toBe(false);
          misses++;
        }
        if (!ref.starts.has(probe)) expect(table.longestFrom(probe)).toBe(0);
      }
    }
    expect(misses).toBeGreaterThan(100);
  });

  it('finds a phrase from the tokens of a tweet without joining them', () => {
    const table = build(['New York\nnew  york city\nyork', 'york'], 6);
    expect(Array.from(table.listsOf(['i', 'love', 'new', 'york', 'city'], 2, 2) ?? [])).toEqual([0]);
    expect(Array.from(table.listsOf(['new', 'york', 'city'], 0, 3) ?? [])).toEqual([0]);
    expect(Array.from(table.listsOf(['york'], 0, 1) ?? [])).toEqual([0, 1]);
    expect(table.listsOf(['new'], 0, 1)).toBeUndefined();
    expect(table.longestFrom('new')).toBe(3);
    expect(table.longestFrom('york')).toBe(1);
    expect(() => new PhraseTableBuilder(6).addList(256, 'x')).toThrow(RangeError);
  });

  it('entriesFrom finds, for every length from a position, the phrase that listsOf finds', () => {
    const rng = seededRandom(5);
    const words = ['new', 'york', 'city', 'the', 'a', 'b', 'rock', 'café'];
    const pick = (): string => words[Math.floor(rng() * words.length)];
    const lists = Array.from({ length: 4 }, () => Array.from({ length: 60 }, () => Array.from({ length: 1 + Math.floor(rng() * 4) }, pick).join(' ')).join('\n'));
    const table = build(lists, 4);
    const out = new Int32Array(4);
    let found = 0;
    for (let k = 0; k < 200; k++) {
      const tokens = Array.from({ length: 1 + Math.floor(rng() * 8) }, pick);
      for (let from = 0; from < tokens.length; from++) {
        const maxN = Math.min(4, tokens.length - from);
        out.fill(-2);
        table.entriesFrom(tokens, from, maxN, out);
        for (let n = 1; n <= maxN; n++) {
          const e = out[n - 1];
          const lists = e < 0 ? [] : Array.from({ length: table.listsFrom(e + 1) - table.listsFrom(e) }, (_, q) => table.listId(table.listsFrom(e) + q));
          expect([tokens.slice(from, from + n).join(' '), lists]).toEqual([tokens.slice(from, from + n).join(' '), Array.from(table.listsOf(tokens, from, n) ?? [])]);
          if (lists.length > 0) found++;
        }
        expect(Array.from(out.subarray(maxN))).toEqual(new Array(4 - maxN).fill(-2)); // nothing past maxN written
      }
    }
    expect(found).toBeGreaterThan(200);
  });

  const lexicon = join(__dirname, '../../../../shared/data/wnut16-lexicon');
  (existsSync(lexicon) ? it : it.skip)('indexes the 51 WNUT16 lists exactly like the plain Map', () => {
    const lists = LEXICON_FILES.map((name) => readFileSync(join(lexicon, name), 'utf8'));
    const ref = referenceIndex(lists, 6);
    const table = build(lists, 6);
    expect(table.size).toBe(ref.phrases.size);
    expect(table.size).toBe(594_877);
    // every third phrase (the random test above checks every one): same list ids
    let k = 0;
    for (const [key, ids] of ref.phrases) if (k++ % 3 === 0 && table.get(key)?.join() !== ids.join()) throw new Error(`${key}: ${table.get(key)} ≠ ${ids}`);
    for (const [tok, n] of ref.starts) if (table.longestFrom(tok) !== n) throw new Error(`first token ${tok}: ${table.longestFrom(tok)} ≠ ${n}`);
  });
});
