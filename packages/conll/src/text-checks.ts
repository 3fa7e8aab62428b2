/**
 * Whole-text checks run once per block of input before its lines are parsed: NUL characters and
 * lone surrogates, neither of which a CoNLL file can hold.
 */

/** 1-based line and column (UTF-16 units) of `text[at]`, the text's first character being on line `firstLine`; `\n`, `\r\n` and `\r` each end a line. */
export function placeOf(text: string, at: number, firstLine: number): { line: number; column: number } {
  let line = firstLine;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart + 1 };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

type WellFormed = { isWellFormed?: () => boolean };

/** Index of the first lone surrogate of `text` at or after `from`, or -1 (such a string has no UTF-8 encoding). */
export function findLoneSurrogate(text: string, from = 0): number {
  if (from === 0 && (text as unknown as WellFormed).isWellFormed?.() === true) return -1;
  LONE_SURROGATE.lastIndex = from;
  const match = LONE_SURROGATE.exec(text);
  return match ? match.index : -1;
}

/** `text` with each lone surrogate replaced by U+FFFD, as a UTF-8 encoder writes it. */
export function replaceLoneSurrogates(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}
