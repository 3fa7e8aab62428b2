/**
 * HTML character references as tweets carry them (`&amp;`, `&lt;`, `&quot;`, `&#39;`,
 * `&#x27;`): `&` + 2–10 ASCII letters/digits + `;`, `&#` + 1–7 digits + `;`, or
 * `&#x` + 1–6 hex digits + `;`.
 *
 * @returns the end (exclusive) of the reference starting at `i` (`t[i] === '&'`), or -1.
 */
export function scanEntity(t: string, i: number, n: number): number {
  let j = i + 1;
  if (j < n && t.charCodeAt(j) === 0x23 /* # */) {
    j++;
    let hex = false;
    if (j < n && (t.charCodeAt(j) | 0x20) === 0x78 /* x */) {
      hex = true;
      j++;
    }
    const from = j;
    while (j < n && j - from < (hex ? 6 : 7) && isDigitOrHex(t.charCodeAt(j), hex)) j++;
    return j > from && j < n && t.charCodeAt(j) === 0x3b ? j + 1 : -1;
  }
  const from = j;
  while (j < n && j - from < 10 && isAsciiAlnum(t.charCodeAt(j))) j++;
  return j - from >= 2 && j < n && t.charCodeAt(j) === 0x3b /* ; */ ? j + 1 : -1;
}

function isDigitOrHex(c: number, hex: boolean): boolean {
  if (c >= 0x30 && c <= 0x39) return true;
  if (!hex) return false;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66;
}

/** Whether `c` is an ASCII letter or digit. */
export function isAsciiAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
}

/** Whether `c` is an ASCII letter. */
export function isAsciiLetter(c: number): boolean {
  return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
}
