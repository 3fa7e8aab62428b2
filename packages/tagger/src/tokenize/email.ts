import { LETTER, DIGIT, EXTEND, classAt } from './char-class';
import { isAsciiAlnum, isAsciiLetter } from './entity';

/**
 * An e-mail address starting at `i`: a local part of ASCII letters, digits and `._%+-`, `@`,
 * then two or more dot-separated domain labels, the last of at least two letters
 * (`john.doe@gmail.com`). A trailing `.` is left out and no word character may follow.
 * `RT@user` and `me@home` have no dotted domain, so they are not addresses.
 *
 * @returns the end (exclusive) of the address, or -1.
 */
export function scanEmail(t: string, i: number, n: number, table: Uint8Array): number {
  let j = i;
  while (j < n && isLocal(t.charCodeAt(j))) j++;
  if (j === i || j >= n || t.charCodeAt(j) !== 0x40 /* @ */) return -1;
  j++;
  let labels = 0;
  let lastLetters = true;
  for (;;) {
    const from = j;
    let letters = true;
    while (j < n && (isAsciiAlnum(t.charCodeAt(j)) || t.charCodeAt(j) === 0x2d)) {
      if (!isAsciiLetter(t.charCodeAt(j))) letters = false;
      j++;
    }
    if (j === from) return -1;
    labels++;
    lastLetters = letters && j - from >= 2;
    if (j + 1 < n && t.charCodeAt(j) === 0x2e && isAsciiAlnum(t.charCodeAt(j + 1))) j++;
    else break;
  }
  if (labels < 2 || !lastLetters) return -1;
  if (j < n && (classAt(t, j, n, table) & (LETTER | DIGIT | EXTEND)) !== 0) return -1;
  return j;
}

function isLocal(c: number): boolean {
  return isAsciiAlnum(c) || c === 0x2e || c === 0x5f || c === 0x25 || c === 0x2b || c === 0x2d;
}
