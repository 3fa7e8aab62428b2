import type { TokenVocabulary } from '@twner/conll';
import { wordId, type WordLookup } from '../data/word-lookup';
import type { Sentence } from '../data/sentences';
import { casingFeatures, CASING_FEATURES } from '../features/casing';
import { charIds } from '../features/chars';
import { gazetteerFeatures, gazetteerWidth, type Gazetteer, type GazetteerScheme } from '../features/gazetteer';

/** Everything needed to turn tokens into model inputs. */
export interface Encoder {
  vocab: TokenVocabulary;
  /** null for `--arch notebook` (words only). */
  chars: Map<string, number> | null;
  maxChars: number;
  gazetteer: Gazetteer | null;
  /** Gazetteer feature layout (default `BI`, what runs saved before the option used). */
  gazetteerScheme?: GazetteerScheme;
  useCasing: boolean;
  label2id: Record<string, number>;
  /** How tokens find their word row (default `exact`). */
  wordLookup?: WordLookup;
}

/** One tweet as model inputs (unpadded). */
export interface EncodedSentence {
  length: number;
  words: number[];
  /** [length * maxChars] */
  chars: number[];
  /** [length * featureDim] */
  features: number[];
  /** Gold tag ids (all 0 when unknown). */
  tags: number[];
}

export function featureDim(enc: Encoder): number {
  return (enc.useCasing ? CASING_FEATURES.length : 0) + (enc.gazetteer ? gazetteerWidth(enc.gazetteer, enc.gazetteerScheme) : 0);
}

export function encodeSentence(enc: Encoder, tokens: readonly string[], tags?: readonly string[]): EncodedSentence {
  const words = tokens.map((t) => wordId(enc.vocab, t, enc.wordLookup));
  const chars: number[] = [];
  if (enc.chars) for (const t of tokens) chars.push(...charIds(t, enc.chars, enc.maxChars));
  const features: number[] = [];
  const gaz = enc.gazetteer ? gazetteerFeatures(enc.gazetteer, tokens, enc.gazetteerScheme) : null;
  for (let i = 0; i < tokens.length; i++) {
    if (enc.useCasing) features.push(...casingFeatures(tokens, i));
    if (gaz) features.push(...gaz[i]);
  }
  const tagIds = tokens.map((_, i) => {
    if (!tags || tags.length === 0) return 0;
    const id = enc.label2id[tags[i]];
    if (id === undefined) throw new Error(`unknown tag ${JSON.stringify(tags[i])} (labels come from the training split)`);
    return id;
  });
  return { length: tokens.length, words, chars, features, tags: tagIds };
}

export function encodeAll(enc: Encoder, sentences: readonly Sentence[]): EncodedSentence[] {
  return sentences.map((s) => encodeSentence(enc, s.tokens, s.tags));
}
