/**
 * The key under which a mention is counted: Unicode NFKC, case-folded (`toLowerCase`), runs of
 * whitespace collapsed to one space, trimmed, and leading `#`/`@` stripped (all of them, from the
 * start of the mention only), so `#Yankees`, `yankees` and ` Yankees ` count as one.
 * Returns `''` for a mention with nothing left (e.g. `'#'`); stores skip those.
 *
 * @example normaliseMention('#New  York\tYankees') // 'new york yankees'
 */
export function normaliseMention(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/^[#@＃＠]+/u, '')
    .trim();
}
