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
 * Match features for a tweet. `BI`: `out[i]` has 2 entries per list, `[B, I]` for list k at
 * positions `2k` and `2k + 1`. `BIES`: `[B, I, E, S]` at `4k … 4k + 3`, then the 3 summary features.
 */
export function gazetteerFeatures(gaz: Gazetteer, tokens: readonly string[], scheme: GazetteerScheme = 'BI'): number[][] {
  const norm = tokens.map(normaliseGazToken);
  const width = gazetteerWidth(gaz, scheme);
  const out = norm.map(() => new Array<number>(width).fill(0));
  const coveredUntil = new Array<number>(gaz.names.length).fill(0);
  const bies = scheme === 'BIES';
  const lists = norm.map(() => new Set<number>());
  for (let i = 0; i < norm.length; i++) {
    const maxN = Math.min(gaz.maxLen, norm.length - i);
    for (let n = maxN; n >= 1; n--) {
      const ids = gaz.phrases.get(norm.slice(i, i + n).join(' '));
      if (ids === undefined) continue;
      for (const id of ids) {
        if (coveredUntil[id] > i) continue;
        coveredUntil[id] = i + n;
        if (!bies) {
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
  if (bies) {
    const base = gaz.names.length * 4;
    for (let i = 0; i < norm.length; i++) {
      out[i][base] = Math.min(1, lists[i].size / 4);
      out[i][base + 1] = lists[i].size > 0 ? 1 : 0;
      const bare = tokens[i].startsWith('@') && tokens[i].length > 1 ? tokens[i].slice(1).toLowerCase().replace(/_/g, ' ') : null;
      out[i][base + 2] = bare !== null && gaz.phrases.has(bare) ? 1 : 0;
    }
  }
  return out;
}
