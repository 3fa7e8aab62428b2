/**
 * Python's (and C printf's) fixed-point formatting of a double: the exact decimal value of the
 * binary number, rounded half to even. `(0.125).toFixed(2)` is '0.13' but Python prints '0.12',
 * because 0.125 is an exact binary tie; 0.675 prints '0.68' in both, because the double is
 * 0.67500000000000004440892098500626… and there is no tie.
 */

const TWO_POW_52 = 2n ** 52n;

/** Python `'{:.{digits}f}'.format(x)`; also what Perl's and C's `%.{digits}f` print. */
export function formatFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  const negative = x < 0 || Object.is(x, -0);
  const { mantissa, exponent } = decompose(Math.abs(x));
  // |x| = mantissa * 2^exponent exactly; scaled = round_half_even(|x| * 10^digits).
  let scaled: bigint;
  if (exponent >= 0) {
    scaled = (mantissa << BigInt(exponent)) * 10n ** BigInt(digits);
  } else {
    const k = BigInt(-exponent);
    // |x| = mantissa * 5^k / 10^k
    const numerator = mantissa * 5n ** k;
    const d = BigInt(digits);
    if (d >= k) {
      scaled = numerator * 10n ** (d - k);
    } else {
      const divisor = 10n ** (k - d);
      scaled = numerator / divisor;
      const twice = (numerator % divisor) * 2n;
      if (twice > divisor || (twice === divisor && scaled % 2n === 1n)) scaled += 1n;
    }
  }
  let text = scaled.toString();
  if (digits > 0) {
    text = text.padStart(digits + 1, '0');
    text = `${text.slice(0, text.length - digits)}.${text.slice(text.length - digits)}`;
  }
  return negative ? `-${text}` : text;
}

/** Python `'{:>{width}}'.format(text)`: right-align, counting code points as Python does. */
export function padStart(text: string, width: number): string {
  const length = codePointLength(text);
  return length >= width ? text : ' '.repeat(width - length) + text;
}

/** Python `len(text)`: the number of code points. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length += 1;
  return length;
}

/** Python's `sorted()` on strings (and Perl's `sort`): code-point order, not UTF-16 order. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done) return cb.done ? 0 : -1;
    if (cb.done) return 1;
    const pa = ca.value.codePointAt(0)!;
    const pb = cb.value.codePointAt(0)!;
    if (pa !== pb) return pa < pb ? -1 : 1;
  }
}

function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { mantissa: fraction, exponent: -1074 };
  return { mantissa: fraction | TWO_POW_52, exponent: biased - 1075 };
}
