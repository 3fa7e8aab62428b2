import type { Sentence } from '../data/sentences';

/** Character index: 0 = padding, 1 = unknown character. Case-sensitive (case is a signal). */
export interface CharIndex {
  chars: string[];
}

export const CHAR_PAD = 0;
export const CHAR_UNK = 1;

/** Characters seen at least `minFreq` times in the training tokens, in order of first appearance. */
export function buildCharIndex(sentences: readonly Sentence[], minFreq = 2): CharIndex {
  const counts = new Map<string, number>();
  for (const s of sentences) for (const tok of s.tokens) for (const ch of tok) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const chars = ['<pad>', '<unk>'];
  for (const [ch, n] of counts) if (n >= minFreq) chars.push(ch);
  return { chars };
}

/** A lookup from character to id for {@link charIds}. */
export function charLookup(index: CharIndex): Map<string, number> {
  return new Map(index.chars.map((c, i) => [c, i]));
}

/**
 * The ids of a token's characters, cut or right-padded to `maxChars`. Long tokens keep their
 * first `maxChars - 2` and last 2 characters (suffixes carry signal).
 */
export function charIds(token: string, lookup: Map<string, number>, maxChars: number): number[] {
  let chars = [...token];
  if (chars.length > maxChars) chars = [...chars.slice(0, maxChars - 2), ...chars.slice(-2)];
  const ids = chars.map((c) => lookup.get(c) ?? CHAR_UNK);
  while (ids.length < maxChars) ids.push(CHAR_PAD);
  return ids;
}
