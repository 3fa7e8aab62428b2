/**
 * Shapes of encoded batches. Legend: B sequences in the batch, S sub-tokens of the longest
 * sequence (special tokens included); every per-token array of a padded batch is [B, S].
 */

/**
 * What to do with a sequence longer than `maxLength` (special tokens included):
 * - `'error'` (default): throw `SequenceTooLongError`; nothing is cut silently.
 * - `'tokens'`: keep the first `maxLength - specials` sub-tokens, like Hugging Face's
 *   `truncation=True`; the last kept word may keep only some of its pieces.
 * - `'words'`: keep whole words only: cut as `'tokens'`, then drop the pieces of a word whose
 *   pieces did not all fit, so every kept word is complete and dropped words are whole.
 */
export type TruncationPolicy = 'error' | 'tokens' | 'words';

export interface EncodeOptions {
  /**
   * Longest sequence allowed, special tokens included. Default: the tokenizer's
   * `modelMaxLength` (no limit when the files set none); `null`: no limit.
   */
  maxLength?: number | null;
  /** Default `'error'`. */
  truncation?: TruncationPolicy;
  /** Pad every sequence with the pad token to the batch's longest (right side). Default `true`. */
  padding?: boolean;
}

/** A batch ready for the model; every row has the same length when padding is on. */
export interface EncodedBatch {
  /** [B, S] token ids, special tokens from the tokenizer's post-processor, then padding. */
  inputIds: number[][];
  /** [B, S] 1 for real tokens (specials included), 0 for padding. */
  attentionMask: number[][];
  /** [B, S] segment ids (0 for a single sequence). */
  tokenTypeIds: number[][];
  /** [B, S] token strings (`[CLS]`, `new`, `##le`, …, `[PAD]`). */
  tokens: string[][];
  /** [B, S] 1 for special and padding tokens, 0 for sub-tokens of the input. */
  specialTokensMask: number[][];
  /** [B, S] index of the word each sub-token comes from; `null` for special and padding tokens. */
  wordIds: Array<Array<number | null>>;
  /**
   * [B, S] `[start, end)` character offsets as JavaScript string indices (UTF-16 code units),
   * so `source.slice(start, end)` is the token's text; `[0, 0]` for special and padding tokens.
   */
  offsets: Array<Array<[number, number]>>;
  /** [B] tokens per sequence before padding, special tokens included. */
  lengths: number[];
  /** [B] whether truncation dropped sub-tokens of the sequence. */
  truncated: boolean[];
}

/** `encodeWords` output: `wordIds` index the caller's words; offsets are relative to each word. */
export interface WordEncodedBatch extends EncodedBatch {
  /** [B] words given per sequence. */
  numWords: number[];
  /** [B] words with at least one sub-token left after truncation (empty words never have one). */
  numWordsKept: number[];
}

/** `encodeText` output: offsets index the input text. */
export interface TextEncodedBatch extends EncodedBatch {
  texts: string[];
  /**
   * [B, S] index of the whitespace-separated word of the text each sub-token starts in,
   * found through its offsets (`null` for special and padding tokens). Unlike `wordIds` (the
   * pre-tokenizer's words, so `Mother's` counts three: `mother`, `'`, `s`), these are the
   * words a CoNLL file of the same text would have.
   */
  whitespaceWordIds: Array<Array<number | null>>;
}

/** A token the tokenizer treats as special: its string and id. */
export interface SpecialToken {
  token: string;
  id: number;
}
