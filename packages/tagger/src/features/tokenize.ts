/**
 * Splits raw tweet text into tokens roughly as WNUT16 does: URLs, @mentions, #hashtags,
 * words (with inner apostrophes/hyphens), numbers, emoticons, and single punctuation marks.
 */
const TOKEN_RE =
  /(?:https?:\/\/\S+|www\.\S+)|[@#][\p{L}\p{N}_]+|[:;=]-?[()DPp]|\p{L}[\p{L}\p{N}_]*(?:['’-]\p{L}+)*|\p{N}+(?:[.,:]\p{N}+)*|\S/gu;

export function tokenizeTweet(text: string): string[] {
  return text.match(TOKEN_RE) ?? [];
}
