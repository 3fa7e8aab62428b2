import { EXTEND, PICTO, REGIONAL, classAt, widthAt } from './char-class';

const ZWJ = 0x200d;
const VS16 = 0xfe0f;
const KEYCAP = 0x20e3;

/**
 * One emoji as the reader sees it, starting at `i` (a `PICTO` or `REGIONAL` character):
 * a pictograph followed by any joining characters (variation selectors, skin tones, tags,
 * U+20E3) and by further `ZWJ` + pictograph links (👨‍👩‍👧, 🏳️‍🌈), or a pair of regional
 * indicators (a flag, 🇺🇸). Two emoji side by side are two tokens.
 *
 * @returns the end (exclusive) of the emoji.
 */
export function scanEmoji(t: string, i: number, n: number, table: Uint8Array): number {
  if (classAt(t, i, n, table) === REGIONAL) {
    let j = i + 2;
    if (j < n && classAt(t, j, n, table) === REGIONAL) j += 2;
    return skipExtenders(t, j, n, table);
  }
  let j = skipExtenders(t, i + widthAt(t, i, n), n, table);
  // skipExtenders stops after a ZWJ (an EXTEND); continue only into another pictograph.
  while (j < n && t.charCodeAt(j - 1) === ZWJ && classAt(t, j, n, table) === PICTO) {
    j = skipExtenders(t, j + widthAt(t, j, n), n, table);
  }
  return j;
}

/** Skips joining characters; stops right after a ZWJ so the caller can look past it. */
function skipExtenders(t: string, j: number, n: number, table: Uint8Array): number {
  while (j < n && classAt(t, j, n, table) === EXTEND) {
    const zwj = t.charCodeAt(j) === ZWJ;
    j += widthAt(t, j, n);
    if (zwj) break;
  }
  return j;
}

/**
 * A keycap emoji at `i`: `0`–`9`, `#` or `*`, an optional U+FE0F, then U+20E3 (1️⃣, #️⃣).
 *
 * @returns the end (exclusive) of the keycap, or -1.
 */
export function scanKeycap(t: string, i: number, n: number): number {
  let j = i + 1;
  if (j < n && t.charCodeAt(j) === VS16) j++;
  return j < n && t.charCodeAt(j) === KEYCAP ? j + 1 : -1;
}
