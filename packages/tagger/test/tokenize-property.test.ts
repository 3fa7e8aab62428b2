import fc from 'fast-check';
import { tokenizeTweet, tokenizeTweetText } from '../src/tokenize/tweet-tokenizer';

/** What the tokenizer documents as whitespace, written down independently of its tables. */
const SPACE = /^[\s\u200B\u2060\u180E\p{Cc}]$/u;

/** Pieces that exercise every rule, mixed with random BMP and astral code points and lone surrogates. */
const PIECES = [
  ' ', '\u00a0', '\u200b', '\n', '\u0000', '\ud83d', '\ude02', '\u200d', '\ufe0f', '\u20e3', '\u0301', '🏽', '🇺', '😂', '👩',
  ':', ';', '=', ')', '(', 'D', 'P', "'", '’', '`', 's', 'x', 'o', 'O', '_', '^', '-', '.', ',', '!', '?', '"', '…', '<', '3',
  '/', 'http://', 'https://', 'www.', '.com', 'bit.ly', '&', '&amp;', '&quot;', '&#39;', '#', '@', '$', '%', '+', '*', '1',
  '000', 'U', 'S', 'Mr', 'w', 'a', 'é', '𝐇', '~', '[', ']',
];
const unit = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...PIECES) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
);
const tweet = fc.array(unit, { maxLength: 40 }).map((parts) => parts.join(''));

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** The first broken invariant of `tokenizeTweet(s)`, or '' if none. */
function problem(s: string): string {
  const covered = new Uint8Array(s.length);
  let last = 0;
  for (const t of tokenizeTweet(s)) {
    if (t.end <= t.start) return `empty token at ${t.start}`;
    if (t.start < last) return `token at ${t.start} overlaps the one ending at ${last}`;
    if (t.text !== s.slice(t.start, t.end)) return `text ${JSON.stringify(t.text)} is not slice(${t.start}, ${t.end})`;
    for (let i = t.start; i < t.end; i++) {
      if (SPACE.test(s[i])) return `whitespace U+${s.charCodeAt(i).toString(16)} inside token at ${t.start}`;
      covered[i] = 1;
    }
    for (const edge of [t.start, t.end]) {
      if (edge > 0 && edge < s.length && isHigh(s.charCodeAt(edge - 1)) && isLow(s.charCodeAt(edge))) {
        return `token edge ${edge} cuts a surrogate pair`;
      }
    }
    last = t.end;
  }
  if (last > s.length) return `token ends at ${last}, past the input`;
  for (let i = 0; i < s.length; i++) {
    if (covered[i] === 0 && !SPACE.test(s[i])) return `code unit ${i} (U+${s.charCodeAt(i).toString(16)}) is in no token`;
  }
  return '';
}

describe('tokenizeTweet on any string', () => {
  it('gives non-empty, ordered, non-overlapping slices that hold no whitespace, cut no surrogate pair and cover every other code unit', () => {
    fc.assert(fc.property(tweet, (s) => expect(problem(s)).toBe('')), { numRuns: 3000 });
  });

  it('finds each of its tokens, tokenised alone, to be that one token', () => {
    fc.assert(
      fc.property(tweet, (s) => {
        for (const text of tokenizeTweetText(s)) expect(tokenizeTweetText(text)).toEqual([text]);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same tokens back when they are joined by spaces (the WNUT16 round trip)', () => {
    fc.assert(
      fc.property(tweet, (s) => {
        const texts = tokenizeTweet(s).map((t) => t.text);
        expect(tokenizeTweetText(texts.join(' '))).toEqual(texts);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with tokenizeTweetText', () => {
    fc.assert(
      fc.property(tweet, (s) => expect(tokenizeTweetText(s)).toEqual(tokenizeTweet(s).map((t) => t.text))),
      { numRuns: 1000 },
    );
  });

  it('passes the invariants on hand-picked edge strings', () => {
    for (const s of ['', ' ', '\ud800', '\udc00\ud800', '\u0000\u0000', 'a\u200d', '\u200d😂', '🇺', "'", 'http://', 'www.', '&amp', ':-', '$', '#️']) {
      expect(problem(s)).toBe('');
    }
  });
});
