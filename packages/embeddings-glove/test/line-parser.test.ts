import fc from 'fast-check';
import { loadVectors } from '../src';
import { chunked } from './helpers';

/** The reference: what a Float32Array holds after `parseFloat`. */
const reference = (s: string): number => Math.fround(parseFloat(s));

async function parseRow(fields: readonly string[]): Promise<number[]> {
  const vectors = await loadVectors(chunked(Buffer.from(`w ${fields.join(' ')}\n`), 1 << 16));
  return Array.from(vectors.get('w') ?? []);
}

// Values float32 cannot hold (7e300 → Infinity) are refused instead: see hostile.test.ts.
describe('number parsing from bytes', () => {
  test.each([
    ['0'], ['-0.5'], ['+1.25'], ['.5'], ['5.'], ['1e-05'], ['-1.2345E+03'], ['0.000001'], ['123456789012345678901234'],
    ['3.4028235e38'], ['1e-45'], ['0.1234567890123456789'], ['-0.00012345678'], ['1e-320'],
    ['3.4028234663852886e38'], ['12345678901234567890e-30'], ['0.000000000000000000000000123456789'],
  ])('parses %s exactly as Math.fround(parseFloat(s))', async (s) => {
    expect(await parseRow([s])).toEqual([reference(s)]);
  });

  it('agrees with Math.fround(parseFloat) on random GloVe-style numbers in fixed, exponent and precision forms', async () => {
    const number = fc
      .tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 12 }))
      .map(([x, form, digits]) => (form === 0 ? x.toFixed(digits) : form === 1 ? x.toExponential(digits) : x.toPrecision(digits)));
    await fc.assert(
      fc.asyncProperty(fc.array(number, { minLength: 1, maxLength: 20 }), async (fields) => {
        expect(await parseRow(fields)).toEqual(fields.map(reference));
      }),
      { numRuns: 200, seed: 20161 },
    );
  });
});
