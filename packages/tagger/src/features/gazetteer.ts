/**
 * Gazetteer match features: for each list, does a token Begin or continue (Inside) a phrase
 * of that list? Phrases are matched lower-cased, longest match first, left to right, without
 * overlaps within one list; a leading `#` of a token is ignored (`#yankees` matches `yankees`).
 */
import { PhraseTable, PhraseTableBuilder } from './phrase-table';

export interface Gazetteer {
  /** List names, in feature order. */
  names: string[];
  /** Phrases (lower-cased, tokens joined by one space) with the ids of the lists holding them. */
  phrases: PhraseTable;
  /** Longest phrase, in tokens. */
  maxLen: number;
}

/** Phrases longer than this many tokens are skipped. */
export const MAX_PHRASE_TOKENS = 6;

export function normaliseGazToken(token: string): string {
  return token.toLowerCase().replace(/^#(?=.)/, '');
}

/**
 * Builds a gazetteer from named lists of phrases, one entry per line of each list's `text`
 * (or per element of `entries`); entries are lower-cased and split on whitespace.
 */
export function buildGazetteer(lists: readonly ({ name: string; entries: readonly string[] } | { name: string; text: string })[]): Gazetteer {
  const builder = new PhraseTableBuilder(MAX_PHRASE_TOKENS);
  lists.forEach((list, id) => builder.addList(id, 'text' in list ? list.text : list.entries.join('\n')));
  const phrases = builder.build();
  return { names: lists.map((l) => l.name), phrases, maxLen: phrases.maxLen };
}

/**
 * The layout of the match features: `BI` = [B, I] per list (runs saved before the option
 * existed); `BIES` = [B, I, E, S] per list (S = a one-token match, E = the last token of a
 * longer one) plus 3 summary features: how many lists match the token (scaled, /4, capped at 1),
 * any match, and a match of the token alone after stripping a leading `@`.
 */
export type GazetteerScheme = 'BI' | 'BIES';
export const GAZETTEER_SCHEMES: readonly GazetteerScheme[] = ['BI', 'BIES'];

/** The feature width of a scheme. */
export function gazetteerWidth(gaz: Gazetteer, scheme: GazetteerScheme = 'BI'): number {
  return scheme === 'BI' ? gaz.names.length * 2 : gaz.names.length * 4 + 3;
}

/**
 * The non-zero match features of a tweet: `out[i]` lists `[index, value]` pairs in increasing
 * index order (the layout of {@link gazetteerFeatures}; every value is 1 but BIES's match count,
 * k/4). Phrases are found longest first at each position, without overlaps within one list.
 */
export function gazetteerActive(gaz: Gazetteer, tokens: readonly string[], scheme: GazetteerScheme = 'BI'): [number, number][][] {
  return gazetteerActiveOf(gaz, tokens, tokens.map(normaliseGazToken), null, scheme);
}

/**
 * What a caller that caches per distinct token knows of token i: `gaz.phrases.longestFrom(norm)`,
 * and whether the token is an `@mention` whose name (`@` stripped, lower-cased, `_` as spaces)
 * is a phrase of some list ({@link mentionMatches}).
 */
export interface TokenGazetteerCache {
  longest(i: number): number;
  mention(i: number): boolean;
}

/** Whether `@name` (lower-cased, `_` read as spaces) is a phrase of some list: BIES's third summary feature. */
export function mentionMatches(gaz: Gazetteer, token: string): boolean {
  return token.length > 1 && token.charCodeAt(0) === 64 /* @ */ && gaz.phrases.has(token.slice(1).toLowerCase().replace(/_/g, ' '));
}

/**
 * {@link gazetteerActive} with the normalised tokens (`normaliseGazToken`) given, and
 * optionally what a caller caching per token knows of each ({@link TokenGazetteerCache}).
 */
export function gazetteerActiveOf(
  gaz: Gazetteer,
  tokens: readonly string[],
  norm: readonly string[],
  cache: TokenGazetteerCache | null,
  scheme: GazetteerScheme = 'BI',
): [number, number][][] {
  const { rows, counts } = gazetteerIndicesOf(gaz, tokens, norm, cache, scheme);
  const count = scheme === 'BIES' ? gaz.names.length * 4 : -1;
  return rows.map((row, i) => row.map((f): [number, number] => [f, f === count ? Math.min(1, counts[i] / 4) : 1]));
}

/**
 * The active features of {@link gazetteerActiveOf} as indices: `rows[i]` in increasing order,
 * every value 1 but BIES's match-count feature (index 4·lists), whose value is
 * `min(1, counts[i] / 4)` (`counts[i]`: how many lists match token i). `counts` is scratch
 * shared by all calls: read it before the next call.
 */
export function gazetteerIndicesOf(
  gaz: Gazetteer,
  tokens: readonly string[],
  norm: readonly string[],
  cache: TokenGazetteerCache | null,
  scheme: GazetteerScheme = 'BI',
): { rows: number[][]; counts: Int32Array } {
  const T = tokens.length;
  const out: number[][] = new Array<number[]>(T);
  for (let i = 0; i < T; i++) out[i] = [];
  const L = gaz.names.length;
  const bies = scheme === 'BIES';
  const phrases = gaz.phrases;
  // Scratch shared by all calls (zeroed here): how far each list's last match reaches, the
  // lists matched at each token [T, L] (to count each once, BIES) and their count per token.
  const { coveredUntil, seen, listCount, entries } = scratchFor(T, L, gaz.maxLen);
  let seenUsed = false;
  for (let i = 0; i < T; i++) {
    const longest = cache === null ? phrases.longestFrom(norm[i]) : cache.longest(i);
    if (longest === 0) continue;
    const maxN = Math.min(longest, gaz.maxLen, T - i);
    phrases.entriesFrom(norm, i, maxN, entries);
    for (let n = maxN; n >= 1; n--) {
      const e = entries[n - 1];
      if (e < 0) continue;
      const q1 = phrases.listsFrom(e + 1);
      for (let q = phrases.listsFrom(e); q < q1; q++) {
        const id = phrases.listId(q);
        if (coveredUntil[id] > i) continue;
        coveredUntil[id] = i + n;
        if (!bies) {
          out[i].push(2 * id);
          for (let j = i + 1; j < i + n; j++) out[j].push(2 * id + 1);
          continue;
        }
        seenUsed = true;
        for (let j = i; j < i + n; j++) {
          if (seen[j * L + id] === 0) {
            seen[j * L + id] = 1;
            listCount[j]++;
          }
        }
        if (n === 1) out[i].push(4 * id + 3);
        else {
          out[i].push(4 * id);
          for (let j = i + 1; j < i + n - 1; j++) out[j].push(4 * id + 1);
          out[i + n - 1].push(4 * id + 2);
        }
      }
    }
  }
  if (bies) {
    const base = L * 4;
    for (let i = 0; i < T; i++) {
      if (listCount[i] > 0) out[i].push(base, base + 1);
      if (cache === null ? mentionMatches(gaz, tokens[i]) : cache.mention(i)) out[i].push(base + 2);
    }
  }
  if (seenUsed) seen.fill(0, 0, T * L);
  for (const row of out) if (row.length > 1) sortSmall(row);
  return { rows: out, counts: listCount };
}

/** Sorts a short array of distinct numbers in place, ascending (insertion sort). */
function sortSmall(a: number[]): void {
  for (let i = 1; i < a.length; i++) {
    const x = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > x) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = x;
  }
}

let scratch = { coveredUntil: new Int32Array(0), seen: new Uint8Array(0), listCount: new Int32Array(0), entries: new Int32Array(0) };

/**
 * {@link gazetteerIndicesOf}'s scratch for T tokens, L lists and phrases of up to `maxLen`
 * tokens, zeroed (`seen` is left zero by each call; `entries` is written before it is read).
 */
function scratchFor(T: number, L: number, maxLen: number): typeof scratch {
  if (scratch.coveredUntil.length < L || scratch.listCount.length < T || scratch.seen.length < T * L || scratch.entries.length < maxLen) {
    const t = Math.max(T, scratch.listCount.length);
    const l = Math.max(L, scratch.coveredUntil.length);
    scratch = { coveredUntil: new Int32Array(l), seen: new Uint8Array(t * l), listCount: new Int32Array(t), entries: new Int32Array(Math.max(maxLen, scratch.entries.length)) };
  }
  scratch.coveredUntil.fill(0, 0, L);
  scratch.listCount.fill(0, 0, T);
  return scratch;
}

/**
 * Match features for a tweet. `BI`: `out[i]` has 2 entries per list, `[B, I]` for list k at
 * positions `2k` and `2k + 1`. `BIES`: `[B, I, E, S]` at `4k … 4k + 3`, then the 3 summary features.
 */
export function gazetteerFeatures(gaz: Gazetteer, tokens: readonly string[], scheme: GazetteerScheme = 'BI'): number[][] {
  const width = gazetteerWidth(gaz, scheme);
  return gazetteerActive(gaz, tokens, scheme).map((row) => {
    const dense = new Array<number>(width).fill(0);
    for (const [index, value] of row) dense[index] = value;
    return dense;
  });
}
