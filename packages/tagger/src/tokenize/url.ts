import { DIGIT, EXTEND, LETTER, classAt, widthAt } from './char-class';
import { isAsciiAlnum } from './entity';

/** Top-level domains that make `name.tld` a URL without a scheme (`bit.ly/x`, `pic.twitter.com/y`). */
const BARE_TLDS = new Set([
  'com', 'net', 'org', 'edu', 'gov', 'io', 'co', 'ly', 'be', 'me', 'tv', 'us', 'uk', 'ca', 'de', 'fr', 'au',
  'info', 'biz', 'fm', 'gl', 'gd',
]);

/**
 * A URL starting at `i` with `http://`, `https://` or `www.` (any case).
 *
 * The body runs to whitespace, to `<`, `>`, `"`, curly quotes, `…`, or a non-ASCII character
 * that is not a letter, digit or mark, and stops before `..`. Then trailing `.`, `,`, `!`, `?`,
 * `:`, `;`, `'`, `*`, an unbalanced `)` or `]`, and a trailing `&quot;`/`&gt;`/`&lt;`/`&amp;`
 * are given back: they end the sentence, not the URL.
 *
 * @returns the end (exclusive) of the URL, or -1 if no URL starts at `i`.
 */
export function scanUrl(t: string, i: number, n: number, table: Uint8Array): number {
  const body = schemeEnd(t, i, n);
  if (body < 0) return -1;
  return trimUrl(t, body, scanBody(t, body, n, table));
}

/**
 * A URL without a scheme starting at `i`: dot-separated ASCII labels whose last label is a
 * common top-level domain (`bit.ly`, `youtu.be/abc`, `pic.twitter.com/5zp`), then an optional
 * `/path`, trimmed like {@link scanUrl}. It must end at a non-word character.
 *
 * @returns the end (exclusive) of the URL, or -1.
 */
export function scanBareUrl(t: string, i: number, n: number, table: Uint8Array): number {
  let j = i;
  let labels = 0;
  let lastStart = i;
  for (;;) {
    const from = j;
    while (j < n && (isAsciiAlnum(t.charCodeAt(j)) || t.charCodeAt(j) === 0x2d)) j++;
    if (j === from) return -1;
    labels++;
    lastStart = from;
    if (j + 1 < n && t.charCodeAt(j) === 0x2e && isAsciiAlnum(t.charCodeAt(j + 1))) j++;
    else break;
  }
  if (labels < 2 || !BARE_TLDS.has(t.slice(lastStart, j).toLowerCase())) return -1;
  if (j < n && t.charCodeAt(j) === 0x2f /* / */) return trimUrl(t, j, scanBody(t, j, n, table));
  if (j < n && (classAt(t, j, n, table) & (LETTER | DIGIT | EXTEND)) !== 0) return -1;
  return j;
}

function schemeEnd(t: string, i: number, n: number): number {
  if (lowerIs(t, i, n, 'www.')) return i + 4;
  if (!lowerIs(t, i, n, 'http')) return -1;
  let j = i + 4;
  if (j < n && (t.charCodeAt(j) | 0x20) === 0x73 /* s */) j++;
  return lowerIs(t, j, n, '://') ? j + 3 : -1;
}

/** Whether `t` has `word` (lower-case ASCII) at `i`, ignoring ASCII case, without slicing. */
function lowerIs(t: string, i: number, n: number, word: string): boolean {
  if (i + word.length > n) return false;
  for (let k = 0; k < word.length; k++) {
    const c = t.charCodeAt(i + k);
    const w = word.charCodeAt(k);
    if (c !== w && !(w >= 0x61 && w <= 0x7a && c === w - 0x20)) return false;
  }
  return true;
}

function scanBody(t: string, j: number, n: number, table: Uint8Array): number {
  while (j < n) {
    const c = t.charCodeAt(j);
    if (c < 0x80) {
      if (c <= 0x20 || c === 0x3c || c === 0x3e || c === 0x22 || c === 0x60 || c === 0x7f) break;
      if (c === 0x2e && j + 1 < n && t.charCodeAt(j + 1) === 0x2e) break;
      j++;
      continue;
    }
    const k = classAt(t, j, n, table);
    if ((k & (LETTER | DIGIT | EXTEND)) === 0) break;
    j += widthAt(t, j, n);
  }
  return j;
}

const TRAILING_ENTITIES = ['&quot;', '&gt;', '&lt;', '&amp;'];

function trimUrl(t: string, bodyStart: number, end: number): number {
  for (;;) {
    if (end <= bodyStart) return bodyStart;
    const c = t[end - 1];
    if (c === ';') {
      const entity = TRAILING_ENTITIES.find((e) => end - e.length >= bodyStart && t.startsWith(e, end - e.length));
      if (entity !== undefined) {
        end -= entity.length;
        continue;
      }
    }
    if ('.,!?:;\'*'.includes(c)) {
      end--;
      continue;
    }
    if ((c === ')' && unbalanced(t, bodyStart, end, '(', ')')) || (c === ']' && unbalanced(t, bodyStart, end, '[', ']'))) {
      end--;
      continue;
    }
    return end;
  }
}

function unbalanced(t: string, from: number, to: number, open: string, close: string): boolean {
  let depth = 0;
  for (let j = from; j < to; j++) {
    if (t[j] === open) depth++;
    else if (t[j] === close) depth--;
  }
  return depth < 0;
}
