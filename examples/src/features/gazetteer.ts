/**
 * Gazetteer match features: for each list, does a token Begin or continue (Inside) a phrase
 * of that list? Phrases are matched lower-cased, longest match first, left to right, without
 * overlaps within one list; a leading `#` of a token is ignored (`#yankees` matches `yankees`).
 */
export interface Gazetteer {
  /** List names, in feature order. */
  names: string[];
  /** Phrase (lower-cased, tokens joined by one space) → ids of the lists holding it. */
  phrases: Map<string, number[]>;
  /** Longest phrase, in tokens. */
  maxLen: number;
}

/** Phrases longer than this many tokens are skipped. */
export const MAX_PHRASE_TOKENS = 6;

export function normaliseGazToken(token: string): string {
  return token.toLowerCase().replace(/^#(?=.)/, '');
}

/** Builds a gazetteer from named lists of phrases (one entry per line). */
export function buildGazetteer(lists: readonly { name: string; entries: readonly string[] }[]): Gazetteer {
  const phrases = new Map<string, number[]>();
  let maxLen = 1;
  lists.forEach(({ entries }, id) => {
    for (const entry of entries) {
      const toks = entry.trim().toLowerCase().split(/\s+/).filter((t) => t.length > 0);
      if (toks.length === 0 || toks.length > MAX_PHRASE_TOKENS) continue;
      const key = toks.join(' ');
      const ids = phrases.get(key);
      if (ids === undefined) phrases.set(key, [id]);
      else if (ids[ids.length - 1] !== id) ids.push(id);
      if (toks.length > maxLen) maxLen = toks.length;
    }
  });
  return { names: lists.map((l) => l.name), phrases, maxLen };
}

/** The feature width: B and I per list. */
export function gazetteerWidth(gaz: Gazetteer): number {
  return gaz.names.length * 2;
}

/**
 * Match features for a tweet: `out[i]` has 2 entries per list, `[B, I]` for list k at
 * positions `2k` and `2k + 1`.
 */
export function gazetteerFeatures(gaz: Gazetteer, tokens: readonly string[]): number[][] {
  const norm = tokens.map(normaliseGazToken);
  const width = gazetteerWidth(gaz);
  const out = norm.map(() => new Array<number>(width).fill(0));
  const coveredUntil = new Array<number>(gaz.names.length).fill(0);
  for (let i = 0; i < norm.length; i++) {
    const maxN = Math.min(gaz.maxLen, norm.length - i);
    for (let n = maxN; n >= 1; n--) {
      const ids = gaz.phrases.get(norm.slice(i, i + n).join(' '));
      if (ids === undefined) continue;
      for (const id of ids) {
        if (coveredUntil[id] > i) continue;
        coveredUntil[id] = i + n;
        out[i][2 * id] = 1;
        for (let j = i + 1; j < i + n; j++) out[j][2 * id + 1] = 1;
      }
    }
  }
  return out;
}
