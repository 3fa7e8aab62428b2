/**
 * Character classes for the tweet tokenizer, as bit flags looked up per UTF-16 code unit
 * (a 64 Ki table built once, on first use) or per astral code point (a small cache).
 *
 * - `SPACE`: separates tokens and is never part of one: JS `\s` (which includes NBSP,
 *   U+FEFF and the Unicode space separators), U+200B ZERO WIDTH SPACE, U+2060 WORD JOINER,
 *   U+180E MONGOLIAN VOWEL SEPARATOR, and every control character (`\p{Cc}`, NUL included).
 * - `LETTER`: `\p{L}` or a non-ASCII `\p{N}`.
 * - `DIGIT`: ASCII `0`–`9` only (numbers with separators are built from these).
 * - `EXTEND`: joins the character before it: `\p{M}`, `\p{Cf}` that is not `SPACE` (ZWJ, ZWNJ,
 *   soft hyphen, emoji tags), and the emoji skin-tone modifiers U+1F3FB–U+1F3FF.
 * - `PICTO`: `\p{Extended_Pictographic}` (emoji and pictographs such as ©, ™, ♥).
 * - `REGIONAL`: regional indicator letters U+1F1E6–U+1F1FF (two make a flag).
 * - `UNDERSCORE`: `_` (a word character, as in `@user_1` and `x1x_ne_x1x`).
 *
 * Surrogate code units (U+D800–U+DFFF) have class 0 in the table; callers pair them first.
 */
export const SPACE = 1;
export const LETTER = 2;
export const DIGIT = 4;
export const EXTEND = 8;
export const PICTO = 16;
export const REGIONAL = 32;
/** `_`, a word character of its own class. */
export const UNDERSCORE = 64;
/** Any character that continues a word: letter, digit, joining mark or `_`. */
export const WORD = LETTER | DIGIT | EXTEND | UNDERSCORE;

const SPACE_RE = /[\s\u200B\u2060\u180E\p{Cc}]/u;
const LETTER_RE = /[\p{L}\p{N}]/u;
const EXTEND_RE = /[\p{M}\p{Cf}]/u;
const PICTO_RE = /\p{Extended_Pictographic}/u;

function classify(cp: number): number {
  if (cp >= 0x30 && cp <= 0x39) return DIGIT;
  if (cp === 0x5f) return UNDERSCORE;
  if (cp >= 0x1f1e6 && cp <= 0x1f1ff) return REGIONAL;
  if (cp >= 0x1f3fb && cp <= 0x1f3ff) return EXTEND;
  const ch = String.fromCodePoint(cp);
  if (SPACE_RE.test(ch)) return SPACE;
  if (LETTER_RE.test(ch)) return LETTER;
  if (EXTEND_RE.test(ch)) return EXTEND;
  if (PICTO_RE.test(ch)) return PICTO;
  return 0;
}

let bmp: Uint8Array | undefined;

function buildBmp(): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    table[c] = classify(c);
  }
  return table;
}

/** The class table for every BMP code unit (surrogates are 0). */
export function bmpClasses(): Uint8Array {
  if (bmp === undefined) bmp = buildBmp();
  return bmp;
}

const astral = new Map<number, number>();

/** The class of a code point above U+FFFF (cached). */
export function astralClass(cp: number): number {
  let k = astral.get(cp);
  if (k === undefined) {
    k = classify(cp);
    astral.set(cp, k);
  }
  return k;
}

/** Whether `c` is a UTF-16 high (leading) surrogate. */
export function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** Whether `c` is a UTF-16 low (trailing) surrogate. */
export function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Class of a lone surrogate code unit (no partner): it is a token of its own. */
export const LONE = 128;

/**
 * The class of the character starting at code unit `i` of `t` (`n = t.length`), using
 * `table` from {@link bmpClasses}: a surrogate pair is classed as its code point, a lone
 * surrogate as {@link LONE}.
 */
export function classAt(t: string, i: number, n: number, table: Uint8Array): number {
  const c = t.charCodeAt(i);
  if (c < 0xd800 || c > 0xdfff) return table[c];
  if (c <= 0xdbff && i + 1 < n) {
    const d = t.charCodeAt(i + 1);
    if (isLow(d)) return astralClass(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
  }
  return LONE;
}

/** Code units taken by the character at `i`: 2 for a surrogate pair, else 1. */
export function widthAt(t: string, i: number, n: number): number {
  return isHigh(t.charCodeAt(i)) && i + 1 < n && isLow(t.charCodeAt(i + 1)) ? 2 : 1;
}
