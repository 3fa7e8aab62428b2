import { normaliseForGlove6B } from '@twner/embeddings-glove';
import type { TokenVocabulary } from '@twner/conll';

/**
 * How a token finds its row in the word vocabulary. `exact` (runs without pretrained vectors):
 * its lower-cased form or the OOV row. `glove6b` (runs with the npm GloVe 6B vectors): the
 * lower-cased form first, then the keys `normaliseForGlove6B` gives (`#yankees` → `yankees`, URLs,
 * mentions and numbers → what the vectors know), so a word unseen in training still gets its
 * pretrained row. Training, evaluation and serving encode alike.
 */
export type WordLookup = 'exact' | 'glove6b';

/** The word id of `token`: 1 (OOV) when no key is in the vocabulary. */
export function wordId(vocab: TokenVocabulary, token: string, lookup: WordLookup = 'exact'): number {
  const id = vocab.indexOf(token);
  if (id !== 1 || lookup === 'exact') return id;
  for (const key of normaliseForGlove6B(token).keys) {
    const k = vocab.indexOf(key);
    if (k !== 1) return k;
  }
  return 1;
}
