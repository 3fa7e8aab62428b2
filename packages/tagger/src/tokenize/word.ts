import { DIGIT, LETTER, WORD, classAt, isHigh, isLow, widthAt } from './char-class';
import { isAsciiLetter } from './entity';

/**
 * A word or number starting at `i` (a word character: letter, digit, mark or `_`).
 *
 * Word characters run on, and these join two of them into one token:
 * - an apostrophe (`'`, `’` or a backtick) before a letter or digit: `don't`, `y'all`, `It’s`,
 *   `White'15`, `12'000`;
 * - one hyphen: `15-year-old`, `Wi-Fi`, `4-1`;
 * - one slash: `km/h`, `1/2`, `and/or`, `w/me`;
 * - `&` or `&amp;` between letters or digits: `AT&T`, `M&amp;M`;
 * - asterisks between letters: `f**k`, `RE*TWEET`;
 * - between digits, `.` (`3.5`, `1.2.3`), `:` (`10:30`) and `,` before exactly three digits
 *   (`1,000`, `30,000`; `1,2,3` stays apart);
 * and a `%` right after a digit (`100%`, `3.5%`), or one or two `+` that no word character
 * follows (`18+`, `C++`, `A+`), end the token with them.
 *
 * @returns the end (exclusive) of the word.
 */
export function scanWord(t: string, i: number, n: number, table: Uint8Array): number {
  let j = i;
  for (;;) {
    while (j < n) {
      const k = classAt(t, j, n, table);
      if ((k & WORD) === 0) break;
      j += widthAt(t, j, n);
    }
    if (j >= n) return j;
    const next = joinAt(t, j, n, table);
    if (next < 0) return j;
    const last = t.charCodeAt(next - 1);
    if (last === 0x25 /* % */ || last === 0x2b /* + */) return next;
    j = next;
  }
}

/** Where the word goes on past the joiner at `j` (word characters before it), or -1. */
function joinAt(t: string, j: number, n: number, table: Uint8Array): number {
  const c = t.charCodeAt(j);
  const prev = classBefore(t, j, n, table);
  const prevDigit = prev === DIGIT;
  switch (c) {
    case 0x27: // '
    case 0x2019: // ’
    case 0x60: // ` (typed for an apostrophe: I`ll, She`s)
      return j + 1 < n && (classAt(t, j + 1, n, table) & (LETTER | DIGIT)) !== 0 ? j + 1 : -1;
    case 0x2d: // -
    case 0x2f: // /
      return j + 1 < n && (classAt(t, j + 1, n, table) & (LETTER | DIGIT)) !== 0 ? j + 1 : -1;
    case 0x26: {
      // &  or  &amp;
      if (!isAlnumClass(prev)) return -1;
      const after = t.startsWith('&amp;', j) ? j + 5 : j + 1;
      return after < n && isAlnumClass(classAt(t, after, n, table)) ? after : -1;
    }
    case 0x2a: {
      // *
      if (prev !== LETTER) return -1;
      let k = j;
      while (k < n && t.charCodeAt(k) === 0x2a) k++;
      return k < n && classAt(t, k, n, table) === LETTER ? k : -1;
    }
    case 0x2e: // .
    case 0x3a: // :
      return prevDigit && j + 1 < n && isDigit(t.charCodeAt(j + 1)) ? j + 1 : -1;
    case 0x2c: // ,
      return prevDigit && isDigit(t.charCodeAt(j + 1)) && isDigit(t.charCodeAt(j + 2)) &&
        isDigit(t.charCodeAt(j + 3)) && !isDigit(t.charCodeAt(j + 4))
        ? j + 1
        : -1;
    case 0x25: // %
      return prevDigit ? j + 1 : -1;
    case 0x2b: {
      // +
      let k = j + 1;
      if (k < n && t.charCodeAt(k) === 0x2b) k++;
      return (k < n && (classAt(t, k, n, table) & WORD) !== 0) || t.charCodeAt(k) === 0x2b ? -1 : k;
    }
    default:
      return -1;
  }
}

/** The class of the character that ends just before `j` (a whole surrogate pair if it is one). */
function classBefore(t: string, j: number, n: number, table: Uint8Array): number {
  const back = j >= 2 && isLow(t.charCodeAt(j - 1)) && isHigh(t.charCodeAt(j - 2)) ? 2 : 1;
  return classAt(t, j - back, n, table);
}

function isAlnumClass(k: number): boolean {
  return k === LETTER || k === DIGIT;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Courtesy titles and short forms whose period stays with them (`Mr.`, `vs.`, `etc.`); lower case. */
const TITLES = new Set([
  'mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'jr', 'sr', 'st', 'mt', 'ft', 'vs', 'etc', 'inc', 'ltd', 'corp',
  'bros', 'gov', 'sen', 'rep', 'gen', 'lt', 'sgt', 'capt', 'ave', 'blvd',
]);

/** Whether the word `t[i, j)` is a title such as `Mr`, so that a `.` right after it belongs to it. */
export function isTitle(t: string, i: number, j: number): boolean {
  return j - i >= 2 && j - i <= 4 && TITLES.has(t.slice(i, j).toLowerCase());
}

/**
 * A dotted abbreviation starting at `i` (an ASCII letter): single letters each followed by
 * `.`, at least two (`U.S.`, `U.S.A.`, `e.g.`, `a.m.`), or one or more followed by a last
 * letter without its dot (`U.S`, `t.v`). A word character must not follow.
 *
 * @returns the end (exclusive) of the abbreviation, or -1.
 */
export function scanAbbreviation(t: string, i: number, n: number, table: Uint8Array): number {
  let j = i;
  let pairs = 0;
  while (j + 1 < n && isAsciiLetter(t.charCodeAt(j)) && t.charCodeAt(j + 1) === 0x2e) {
    if (j + 2 < n && (classAt(t, j + 2, n, table) & WORD) !== 0 && !isAsciiLetter(t.charCodeAt(j + 2))) return -1;
    if (j + 3 < n && isAsciiLetter(t.charCodeAt(j + 2)) && (classAt(t, j + 3, n, table) & WORD) !== 0) {
      // the next part is a longer word (`I.Love`): only a last bare letter may follow the dots
      return -1;
    }
    pairs++;
    j += 2;
  }
  if (pairs === 0) return -1;
  if (j < n && isAsciiLetter(t.charCodeAt(j))) return j + 1; // `U.S`: checked above that no word char follows
  return pairs >= 2 ? j : -1;
}
