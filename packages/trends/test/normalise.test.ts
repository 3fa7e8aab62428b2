import { normaliseMention } from '../src';

describe('normaliseMention', () => {
  test.each([
    ['#Yankees', 'yankees'],
    ['yankees', 'yankees'],
    ['Yankees', 'yankees'],
    ['YANKEES', 'yankees'],
    ['@BarackObama', 'barackobama'],
    ['##@hash', 'hash'],
    ['  New \t York\n Yankees  ', 'new york yankees'],
    ['# Yankees', 'yankees'],
    ['ＹＡＮＫＥＥＳ', 'yankees'], // full-width letters fold under NFKC
    ['＃Yankees', 'yankees'], // full-width number sign
    ['Mc#Donald', 'mc#donald'], // only a leading # is stripped
    ['#', ''],
    ['   ', ''],
  ])('normalises %j to %j', (input, expected) => {
    expect(normaliseMention(input)).toBe(expected);
  });

  it('is idempotent on a sample of tweet mentions', () => {
    for (const s of ['#NYC', '@Foo Bar', 'İstanbul', 'ß', 'Crème Brûlée', '  #a  b ']) {
      expect(normaliseMention(normaliseMention(s))).toBe(normaliseMention(s));
    }
  });
});
