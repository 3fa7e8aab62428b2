/** Characters of quoted input kept in an error message; the rest is cut and marked with `…`. */
export const QUOTE_LIMIT = 80;

/**
 * JSON-quotes `text` for an error message, cut after {@link QUOTE_LIMIT} characters plus `…` (and
 * the full length), so that a 1 MB line does not end up in the message.
 *
 * @example quote('a\tb') // '"a\\tb"'
 */
export function quote(text: string, limit = QUOTE_LIMIT): string {
  if (text.length <= limit) return JSON.stringify(text);
  let cut = limit;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${JSON.stringify(text.slice(0, cut))}… (${text.length} characters)`;
}

/** Names a value's type for a usage message: `null`, `an array`, `a Buffer`, `a number (5)`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${quote(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `a ${typeof value} (${String(value)})`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'an object';
}
