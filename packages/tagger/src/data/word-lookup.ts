import { normaliseForGlove6B, type Glove6BNormaliseOptions, type Glove6BToken } from '@twner/embeddings-glove/normalise';
import type { TokenVocabulary } from '@twner/conll';

/**
 * How a token finds its row in the word vocabulary; training, evaluation and serving encode alike
 * (the value is saved as `wordLookup` in `config.json`).
 * - `exact` (runs without pretrained vectors): its lower-cased form or the OOV row.
 * - `glove6b` (the default with the npm GloVe 6B vectors): the lower-cased form first, then the keys
 *   `normaliseForGlove6B` gives (`#yankees` → `yankees`, then `#`; URLs → `url`; mentions → the
 *   handle, then `@`; numbers → `number`; elongations, apostrophes, clitics, ordinals, smileys), so
 *   a word unseen in training still gets a pretrained row.
 * - `glove6b-keep-hashtags`: as `glove6b`, but a hashtag is only looked up as written (no `#` strip, no `#` row).
 * - `glove6b-keep-specials`: as `glove6b`, but URLs, mentions and numbers are only looked up as written.
 *
 * The two `keep` variants exist for the dev study of `packages/model-wnut16/scripts/lookup-study.mjs`.
 */
export type WordLookup = 'exact' | 'glove6b' | 'glove6b-keep-hashtags' | 'glove6b-keep-specials';

/** Every {@link WordLookup}, in the order the run-folder schema lists them. */
export const WORD_LOOKUPS: readonly WordLookup[] = ['exact', 'glove6b', 'glove6b-keep-hashtags', 'glove6b-keep-specials'];

const GLOVE6B_OPTIONS: Record<Exclude<WordLookup, 'exact'>, Glove6BNormaliseOptions> = {
  glove6b: {},
  'glove6b-keep-hashtags': { hashtag: 'keep', hashtagKeys: [] },
  'glove6b-keep-specials': { url: [], mention: 'keys', mentionKeys: [], number: 'keep', numberKeys: [] },
};

/** The normaliser behind `lookup` (for the lookups and the pretrained rows alike); undefined for `exact`. */
export function lookupNormaliser(lookup: WordLookup): ((token: string) => Glove6BToken) | undefined {
  if (lookup === 'exact') return undefined;
  const options = GLOVE6B_OPTIONS[lookup];
  if (options === undefined) throw new TypeError(`unknown word lookup ${JSON.stringify(lookup)}: expected one of ${WORD_LOOKUPS.join(', ')}`);
  return (token) => normaliseForGlove6B(token, options);
}

/** The word id of `token`: 1 (OOV) when no key is in the vocabulary. */
export function wordId(vocab: TokenVocabulary, token: string, lookup: WordLookup = 'exact'): number {
  const id = vocab.indexOf(token);
  if (id !== 1 || lookup === 'exact') return id;
  const options = GLOVE6B_OPTIONS[lookup];
  if (options === undefined) throw new TypeError(`unknown word lookup ${JSON.stringify(lookup)}: expected one of ${WORD_LOOKUPS.join(', ')}`);
  for (const key of normaliseForGlove6B(token, options).keys) {
    const k = vocab.indexOf(key);
    if (k !== 1) return k;
  }
  return 1;
}
