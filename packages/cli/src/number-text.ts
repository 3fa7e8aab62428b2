/** How a number is written on the command line: decimal digits (a sign, a fraction, an exponent for non-integers); not `''`, `0x1f` or `1e3` for an integer. */
const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A number written as {@link INTEGER_TEXT} (integer) or {@link NUMBER_TEXT}, else NaN: `Number()` alone reads `''` as 0 and `0x46A1` as 18081. */
export function parseNumberText(value: string, integer = false): number {
  const text = value.trim();
  return (integer ? INTEGER_TEXT : NUMBER_TEXT).test(text) ? Number(text) : NaN;
}
