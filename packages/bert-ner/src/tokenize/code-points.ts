/**
 * The `tokenizers` binding reports offsets in Unicode code points (as Python does); JavaScript
 * strings index UTF-16 code units. They differ after any character outside the BMP (emoji).
 */

/** Table from code-point index to UTF-16 index, of length (code points + 1). */
export function codePointToUtf16Table(text: string): number[] {
  const table: number[] = [];
  let unit = 0;
  for (const ch of text) {
    table.push(unit);
    unit += ch.length;
  }
  table.push(unit);
  return table;
}

/** Number of code points (Python's `len`). */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
