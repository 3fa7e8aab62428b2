/** The truncation policy for sequences longer than `maxLength` (see `TruncationPolicy`). */
import { SequenceTooLongError } from './errors';
import type { Piece } from './sequence-template';
import type { TruncationPolicy } from './types';

/**
 * Cuts a sequence's own pieces (no specials yet) so that, with `specials` special tokens
 * added, it fits in `maxLength`. Returns the kept pieces and whether any were dropped.
 * Truncation is always from the right: the beginning of a tweet is kept.
 */
export function truncatePieces(
  pieces: Piece[],
  index: number,
  specials: number,
  maxLength: number | undefined,
  policy: TruncationPolicy,
): { pieces: Piece[]; truncated: boolean } {
  if (maxLength === undefined || pieces.length + specials <= maxLength) return { pieces, truncated: false };
  if (policy === 'error') throw new SequenceTooLongError(index, pieces.length + specials, maxLength);
  const budget = Math.max(0, maxLength - specials);
  let end = budget;
  if (policy === 'words') {
    // Step back over the kept pieces of the word that straddles the cut.
    const cutWord = pieces[budget].wordId;
    while (end > 0 && cutWord !== null && pieces[end - 1].wordId === cutWord) end--;
  }
  return { pieces: pieces.slice(0, end), truncated: true };
}
