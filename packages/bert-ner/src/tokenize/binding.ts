/**
 * The slice of the `tokenizers` Node binding (0.23.2) that this package uses, typed locally:
 * the binding's own `.d.ts` leaves `InputSequence` undefined, so its `encode` cannot be
 * called type-safely. Only plain strings are passed; the binding rejects pre-split arrays.
 */
import { Tokenizer } from 'tokenizers';

/** One encoded sequence as the binding returns it. Offsets are in Unicode code points. */
export interface BindingEncoding {
  getIds(): number[];
  getTypeIds(): number[];
  getTokens(): string[];
  getOffsets(): number[][];
  getWordIds(): Array<number | undefined | null>;
  getSpecialTokensMask(): number[];
  getLength(): number;
}

/** A WordPiece or other decoder: tokens → text (`convert_tokens_to_string` in Python). */
export interface BindingDecoder {
  decode(tokens: string[]): string;
}

export interface BindingTokenizer {
  encode(
    sentence: string,
    pair?: string | null,
    options?: { addSpecialTokens?: boolean },
  ): Promise<BindingEncoding>;
  encodeBatch(sentences: string[], options?: { addSpecialTokens?: boolean }): Promise<BindingEncoding[]>;
  postProcess(encoding: BindingEncoding, pair?: BindingEncoding | null, addSpecialTokens?: boolean): BindingEncoding;
  getDecoder(): BindingDecoder | null;
  tokenToId(token: string): number | null;
  idToToken(id: number): string | null;
  getVocabSize(withAddedTokens?: boolean): number;
}

/** Parses a `tokenizer.json` document with the binding. Throws the binding's error on bad input. */
export function bindingFromString(json: string): BindingTokenizer {
  const tokenizer: BindingTokenizer = Tokenizer.fromString(json);
  return tokenizer;
}
