/**
 * Sub-tokens of one encoded text → "pre-entities" (Hugging Face's `gather_pre_entities`):
 * each non-special sub-token with its scores, offsets, token string and whether it continues
 * the previous word.
 */
import { softmax } from '../align/softmax';
import { codePointLength } from '../tokenize/code-points';

export interface PreEntity {
  /** The token string; for the unknown token, the text it covers. */
  word: string;
  /** [K] label probabilities of the sub-token. */
  scores: number[];
  /** [K] its logits. */
  logits: number[];
  start: number;
  end: number;
  /** Position in the encoded sequence. */
  index: number;
  /** Continues the previous sub-token's word. */
  isSubword: boolean;
}

export interface PreEntityInputs {
  text: string;
  /** [S] */
  inputIds: number[];
  tokens: string[];
  specialTokensMask: number[];
  /** [S] UTF-16 offsets into `text`. */
  offsets: Array<[number, number]>;
  /** [S, K] */
  logits: number[][];
  unkId: number | undefined;
  /** `##` for WordPiece; `null` switches to the space heuristic. */
  continuingSubwordPrefix: string | null;
}

/**
 * With a word-aware tokenizer (WordPiece has a continuing-subword prefix) a piece is a
 * sub-word when its token is longer or shorter than the text it covers (`##le` vs `le`);
 * otherwise (Hugging Face's fallback) when the character before it is not a space.
 * The unknown token shows its text and always starts a word. Lengths are in code points, as Python's `len`.
 */
export function gatherPreEntities(inputs: PreEntityInputs): PreEntity[] {
  const { text, inputIds, tokens, specialTokensMask, offsets, logits, unkId, continuingSubwordPrefix } = inputs;
  const out: PreEntity[] = [];
  for (let idx = 0; idx < inputIds.length; idx++) {
    if (specialTokensMask[idx]) continue;
    const [start, end] = offsets[idx];
    const wordRef = text.slice(start, end);
    let word = tokens[idx];
    let isSubword =
      continuingSubwordPrefix !== null
        ? codePointLength(word) !== codePointLength(wordRef)
        : start > 0 && !text.slice(start - 1, start + 1).includes(' ');
    if (inputIds[idx] === unkId) {
      word = wordRef;
      isSubword = false;
    }
    out.push({ word, scores: softmax(logits[idx]), logits: logits[idx], start, end, index: idx, isSubword });
  }
  return out;
}
