import {
  buildGazetteer,
  gazetteerActive,
  gazetteerActiveOf,
  gazetteerFeatures,
  gazetteerIndicesOf,
  gazetteerWidth,
  mentionMatches,
  normaliseGazToken,
  type Gazetteer,
  type GazetteerScheme,
} from '../src/features/gazetteer';
import { seededRandom } from '../src/random';

/** The straightforward matcher (every length at every position, dense rows): the reference. */
function reference(gaz: Gazetteer, tokens: readonly string[], scheme: GazetteerScheme): number[][] {
  const norm = tokens.map(normaliseGazToken);
  const out = norm.map(() => new Array<number>(gazetteerWidth(gaz, scheme)).fill(0));
  const coveredUntil = new Array<number>(gaz.names.length).fill(0);
  const lists = norm.map(() => new Set<number>());
  for (let i = 0; i < norm.length; i++) {
    for (let n = Math.min(gaz.maxLen, norm.length - i); n >= 1; n--) {
      const ids = gaz.phrases.get(norm.slice(i, i + n).join(' '));
      if (ids === undefined) continue;
      for (const id of ids) {
        if (coveredUntil[id] > i) continue;
        coveredUntil[id] = i + n;
        if (scheme === 'BI') {
          out[i][2 * id] = 1;
          for (let j = i + 1; j < i + n; j++) out[j][2 * id + 1] = 1;
          continue;
        }
        for (let j = i; j < i + n; j++) lists[j].add(id);
        if (n === 1) out[i][4 * id + 3] = 1;
        else {
          out[i][4 * id] = 1;
          for (let j = i + 1; j < i + n - 1; j++) out[j][4 * id + 1] = 1;
          out[i + n - 1][4 * id + 2] = 1;
        }
      }
    }
  }
  if (scheme === 'BIES') {
    const base = gaz.names.length * 4;
    norm.forEach((_, i) => {
      out[i][base] = Math.min(1, lists[i].size / 4);
      out[i][base + 1] = lists[i].size > 0 ? 1 : 0;
      const bare = tokens[i].startsWith('@') && tokens[i].length > 1 ? tokens[i].slice(1).toLowerCase().replace(/_/g, ' ') : null;
      out[i][base + 2] = bare !== null && gaz.phrases.has(bare) ? 1 : 0;
    });
  }
  return out;
}

describe('gazetteer matching', () => {
  const words = ['new', 'york', 'red', 'sox', 'yankees', 'the', 'at', 'park', 'fenway', 'john', 'a', 'b'];
  const rng = seededRandom(3);
  const pick = (): string => words[Math.floor(rng() * words.length)];
  const lists = Array.from({ length: 5 }, (_, k) => ({
    name: `list${k}`,
    entries: Array.from({ length: 12 }, () => Array.from({ length: 1 + Math.floor(rng() * 4) }, pick).join(' ')),
  }));
  const gaz = buildGazetteer(lists);

  it.each(['BI', 'BIES'] as const)('equals the straightforward matcher on random tweets (%s)', (scheme) => {
    let hits = 0;
    for (let k = 0; k < 300; k++) {
      const tokens = Array.from({ length: 1 + Math.floor(rng() * 20) }, () => {
        const w = pick();
        const r = rng();
        return r < 0.1 ? `#${w}` : r < 0.2 ? w.toUpperCase() : r < 0.25 ? `@${w}` : w;
      });
      const got = gazetteerFeatures(gaz, tokens, scheme);
      expect(got).toEqual(reference(gaz, tokens, scheme));
      hits += gazetteerActive(gaz, tokens, scheme).flat().length;
    }
    expect(hits).toBeGreaterThan(300); // the random tweets do hit the lists
  });

  it.each(['BI', 'BIES'] as const)('gives the same features from a per-token cache, and as indices with match counts (%s)', (scheme) => {
    const base = gaz.names.length * 4;
    let counted = 0;
    for (let k = 0; k < 300; k++) {
      const tokens = Array.from({ length: 1 + Math.floor(rng() * 20) }, () => (rng() < 0.2 ? `@${pick()}` : pick()));
      const norm = tokens.map(normaliseGazToken);
      const cache = { longest: (i: number) => gaz.phrases.longestFrom(norm[i]), mention: (i: number) => mentionMatches(gaz, tokens[i]) };
      const plain = gazetteerActive(gaz, tokens, scheme);
      expect(gazetteerActiveOf(gaz, tokens, norm, cache, scheme)).toEqual(plain);
      const dense = reference(gaz, tokens, scheme);
      const { rows, counts } = gazetteerIndicesOf(gaz, tokens, norm, cache, scheme);
      rows.forEach((row, i) => {
        expect(row).toEqual(dense[i].flatMap((v, f) => (v === 0 ? [] : [f])));
        if (scheme === 'BIES' && row.includes(base)) {
          expect(Math.min(1, counts[i] / 4)).toBe(dense[i][base]);
          counted++;
        }
      });
    }
    if (scheme === 'BIES') expect(counted).toBeGreaterThan(100);
  });

  it('lists only non-zero features, in index order, the match count as k/4', () => {
    const g = buildGazetteer([
      { name: 'a', entries: ['new york'] },
      { name: 'b', entries: ['york'] },
      { name: 'c', entries: ['new york', 'york'] },
    ]);
    const [first, second] = gazetteerActive(g, ['New', 'York'], 'BIES');
    expect(first).toEqual([[0, 1], [8, 1], [12, 0.5], [13, 1]]);
    expect(second).toEqual([[2, 1], [7, 1], [10, 1], [12, 0.75], [13, 1]]);
  });
});
