/**
 * Where the tokenizer's post-processor puts its special tokens around a single sequence,
 * read from the post-processor itself (never hard-coded ids): for BERT `[CLS] … [SEP]`.
 */
import type { BindingEncoding, BindingTokenizer } from './binding';

/** One sub-token with everything the batch keeps about it. Offsets are UTF-16 indices. */
export interface Piece {
  id: number;
  token: string;
  typeId: number;
  wordId: number | null;
  offset: [number, number];
  special: boolean;
}

export interface SequenceTemplate {
  /** Special tokens before the sequence, e.g. `[CLS]`. */
  prefix: Piece[];
  /** Special tokens after the sequence, e.g. `[SEP]`. */
  suffix: Piece[];
  /** Segment id the post-processor gives the sequence's own tokens. */
  typeId: number;
}

/**
 * Runs the post-processor on a one-token probe and reads which special tokens land before
 * and after it.
 */
export async function readSequenceTemplate(tokenizer: BindingTokenizer, probeText: string): Promise<SequenceTemplate> {
  const probe: BindingEncoding = await tokenizer.encode(probeText, null, { addSpecialTokens: false });
  const wrapped = tokenizer.postProcess(probe, null, true);
  const mask = wrapped.getSpecialTokensMask();
  const ids = wrapped.getIds();
  const tokens = wrapped.getTokens();
  const typeIds = wrapped.getTypeIds();
  const first = mask.indexOf(0);
  const last = mask.lastIndexOf(0);
  const special = (i: number): Piece => ({
    id: ids[i],
    token: tokens[i],
    typeId: typeIds[i],
    wordId: null,
    offset: [0, 0],
    special: true,
  });
  if (first < 0) {
    // The probe vanished (should not happen for a non-empty probe): treat all specials as prefix.
    return { prefix: ids.map((_, i) => special(i)), suffix: [], typeId: 0 };
  }
  const prefix: Piece[] = [];
  const suffix: Piece[] = [];
  for (let i = 0; i < first; i++) prefix.push(special(i));
  for (let i = last + 1; i < ids.length; i++) suffix.push(special(i));
  return { prefix, suffix, typeId: typeIds[first] };
}
