import { buildEmbeddingMatrix, lookupKeys, normaliseForGlove6B, VectorOptionsError, WordVectors } from '../src';

describe('normaliseForGlove6B', () => {
  test.each([
    ['Paris', 'lowercase', ['paris'], []],
    ['#NewYork', 'hashtag', ['newyork', '#'], ['new', 'york']],
    ['@Obama', 'user', ['obama', '@'], []],
    ['http://t.co/abc', 'url', ['url', 'http'], []],
    ['www.example.com', 'url', ['url', 'http'], []],
    ['12,000', 'number', ['12000', 'number'], []],
    ['2015', 'number', ['2015', 'number'], []],
    ['1st', 'ordinal', ['1st', 'first'], []],
    ['21st', 'ordinal', ['21st', 'number'], []],
    [':)', 'smile', ['smile'], []],
    [':(', 'sadface', ['sad'], []],
    [':P', 'lolface', ['lol'], []],
    ['<3', 'heart', ['love'], []],
    ["Don't", 'apostrophe', ["don't", 'dont', 'do'], []],
    ['Obama’s', 'apostrophe', ['obama’s', 'obamas', 'obama'], []],
    ["'s", 'clitic', ["'s", 'is'], []],
    ["n't", 'clitic', ["n't", 'not'], []],
    ['&amp;', 'entity', ['&amp;', '&'], []],
    ['&lt;', 'entity', ['&lt;', '<'], []],
    ['Sooooon', 'elong', ['son', 'soon'], []],
    ['!!!', 'repeat', ['!'], []],
    ['Well-Known', 'lowercase', ['well-known'], ['well', 'known']],
  ])('%s → rule %s, keys %j, parts %j', (token, rule, keys, parts) => {
    expect(normaliseForGlove6B(token)).toEqual({ rule, keys, parts });
  });

  test.each([
    [{ mention: 'keys' as const }, '@Obama', ['@']],
    [{ mentionKeys: ['user'] }, '@Obama', ['obama', 'user']],
    [{ url: ['link'] }, 'https://x.org', ['link']],
    [{ number: 'keys' as const, numberKeys: ['year'] }, '2015', ['year']],
    [{ hashtagKeys: [] }, '#paris', ['paris']],
    [{ emoticons: false }, ':)', [':)']],
    [{ apostrophes: false }, "don't", ["don't"]],
    [{ clitics: false }, "'s", ["'s", 's']], // then only the apostrophe rule applies
    [{ htmlEntities: false }, '&amp;', ['&amp;']],
    [{ ordinals: false }, '1st', ['1st']],
    [{ hashtag: 'keep' as const }, '#NewYork', ['#newyork', '#']],
    [{ hashtag: 'keep' as const, hashtagKeys: [] }, '#NewYork', ['#newyork']],
    [{ url: [] }, 'http://t.co/x', []],
    [{ mention: 'keys' as const, mentionKeys: [] }, '@Obama', []],
    [{ numberKeys: [] }, '12,000', ['12000']],
  ])('option %j changes the keys of %s to %j', (options, token, keys) => {
    expect(normaliseForGlove6B(token, options).keys).toEqual(keys);
  });

  it("hashtag: 'keep' drops the capital-split parts too", () => {
    expect(normaliseForGlove6B('#NewYork', { hashtag: 'keep' }).parts).toEqual([]);
    expect(normaliseForGlove6B('#NewYork').parts).toEqual(['new', 'york']);
  });
});

describe('buildEmbeddingMatrix with normaliser: normaliseForGlove6B', () => {
  // Rows: dont = e0, bob = e1, new = e2, york = e3, @ = e4 (unit vectors, so every matrix row is checkable by hand).
  const words = ['dont', 'bob', 'new', 'york', '@'];
  const vectors = new WordVectors(
    words,
    Float32Array.from({ length: 25 }, (_, i) => (i % 6 === 0 ? 1 : 0)),
    5,
    {} as never,
  );
  const vocab = ['<pad>', "Don't", '@Bob', '#NewYork', '@zzz', 'zzz'];
  const normaliser = (t: string) => normaliseForGlove6B(t);

  it('uses the first key with a vector, else the mean of the parts', () => {
    const m = buildEmbeddingMatrix(vocab, vectors, { oov: 'zeros', normaliser });
    const row = (i: number) => Array.from(m.matrix.subarray(i * 5, (i + 1) * 5));
    expect(row(1)).toEqual([1, 0, 0, 0, 0]); // don't → dont
    expect(row(2)).toEqual([0, 1, 0, 0, 0]); // @Bob → bob
    expect(row(3)).toEqual([0, 0, 0.5, 0.5, 0]); // #NewYork → mean(new, york)
    expect(row(4)).toEqual([0, 0, 0, 0, 1]); // @zzz → @
    expect(m.missedWords).toEqual(['zzz']);
    expect(m.hitsBy).toEqual({ exact: 0, lowercase: 0, normalise: 4 });
    expect(Array.from(m.found)).toEqual([0, 1, 1, 1, 1, 0]); // padding and the miss: 0
  });

  it('lookupKeys lists the same candidates, so a filtered load keeps what the matrix needs', () => {
    expect([...lookupKeys(["Don't", '#NewYork'], ['normalise'], normaliser)]).toEqual(["don't", 'dont', 'do', 'newyork', '#', 'new', 'york']);
  });

  it('refuses a normaliser that is neither "twitter" nor a function', () => {
    expect(() => buildEmbeddingMatrix(vocab, vectors, { normaliser: 'glove6b' as never })).toThrow(VectorOptionsError);
  });
});
