/**
 * One token of a tweet: its text and where it lies in the original string, as UTF-16
 * code-unit offsets (the indices of `String.prototype.slice`), `end` exclusive, so
 * `token.text === input.slice(token.start, token.end)` always holds.
 */
export interface TweetToken {
  text: string;
  start: number;
  end: number;
}
