import { parseNumberText } from '../src/number-text';

describe('parseNumberText (every numeric flag)', () => {
  it('reads decimal numbers, with a fraction or an exponent where a number may have one', () => {
    expect([parseNumberText('8080', true), parseNumberText(' 42 ', true), parseNumberText('-3', true), parseNumberText('+7', true)]).toEqual([8080, 42, -3, 7]);
    expect([parseNumberText('1e-3'), parseNumberText('0.005'), parseNumberText('.5'), parseNumberText('5.'), parseNumberText('2E+2')]).toEqual([0.001, 0.005, 0.5, 5, 200]);
  });

  it.each(['', ' ', '0x46A1', '0b101', '0o17', 'Infinity', '1_000', '12px', 'NaN', '1e', '.', '--1'])('refuses %j (Number() would not)', (text) => {
    expect(parseNumberText(text)).toBeNaN();
    expect(parseNumberText(text, true)).toBeNaN();
  });

  it('refuses a fraction or an exponent where an integer is due', () => {
    for (const text of ['1e3', '2.0', '1.5', '.5']) expect([text, parseNumberText(text, true)]).toEqual([text, NaN]);
  });
});
