import { normaliseTweetToken } from '../src';

describe('normaliseTweetToken', () => {
  test.each([
    // rule, token, key, tokens the script would emit
    ['url', 'http://t.co/abc123', '<url>', ['<url>']],
    ['url', 'https://example.com/a?b=c', '<url>', ['<url>']],
    ['url', 'www.example.co.uk/page', '<url>', ['<url>']],
    ['url', 'HTTP://T.CO/X', '<url>', ['<url>']],
    ['user', '@SammieLynnsMom', '<user>', ['<user>']],
    ['user', '@tg10781', '<user>', ['<user>']],
    ['smile', ':)', '<smile>', ['<smile>']],
    ['smile', ':-D', '<smile>', ['<smile>']],
    ['smile', ';))', '<smile>', ['<smile>']],
    ['smile', '):', '<smile>', ['<smile>']], // as in the script: its smile pattern "[)d]+ nose eyes" runs before the sad one
    ['smile', '8)', '<smile>', ['<smile>']],
    ['lolface', ':P', '<lolface>', ['<lolface>']],
    ['lolface', ";'pp", '<lolface>', ['<lolface>']],
    ['sadface', ':(', '<sadface>', ['<sadface>']],
    ['sadface', ':((', '<sadface>', ['<sadface>']],
    ['neutralface', ':/', '<neutralface>', ['<neutralface>']],
    ['neutralface', ':|', '<neutralface>', ['<neutralface>']],
    ['heart', '<3', '<heart>', ['<heart>']],
    ['heart', '<3<3', '<heart>', ['<heart>']],
    ['number', '2010', '<number>', ['<number>']],
    ['number', '-3.5', '<number>', ['<number>']],
    ['number', '12,000', '<number>', ['<number>']],
    ['number', '10:30', '<number>', ['<number>']],
    ['hashtag', '#NewYork', 'newyork', ['<hashtag>', 'new', 'york']],
    ['hashtag', '#BROOKLYN', 'brooklyn', ['<hashtag>', 'brooklyn', '<allcaps>']],
    ['hashtag', '#blessed', 'blessed', ['<hashtag>', 'blessed']],
    ['hashtag', '#2010', '<number>', ['<hashtag>', '<number>']],
    ['hashtag', '#sooooo', 'so', ['<hashtag>', 'so']],
    ['repeat', '!!!', '!', ['!', '<repeat>']],
    ['repeat', '?!?', '?', ['?', '<repeat>']],
    ['repeat', '....', '.', ['.', '<repeat>']],
    ['elong', 'wayyyy', 'way', ['way', '<elong>']],
    ['elong', 'Sooooon', 'son', ['son', '<elong>']],
    ['elong', 'NOOOO', 'no', ['no', '<allcaps>', '<elong>']],
    ['allcaps', 'LOL', 'lol', ['lol', '<allcaps>']],
    ['lowercase', 'Disney', 'disney', ['disney']],
    ['lowercase', 'too', 'too', ['too']],
    ['lowercase', '(:', '(:', ['(:']], // no rule of the script matches a reversed smile
    ['lowercase', '@', '@', ['@']],
    ['lowercase', '#', '#', ['#']],
    ['lowercase', '*wink*', '*wink*', ['*wink*']],
  ])('applies the %s rule to %s', (rule, token, key, tokens) => {
    const n = normaliseTweetToken(token);
    expect(n.key).toBe(key);
    expect(n.tokens).toEqual(tokens);
    expect(n.rule).toBe(rule);
  });

  it('splits a camel-case hashtag into lower-case parts and marks it', () => {
    expect(normaliseTweetToken('#BoardwalkEmpire')).toEqual({
      rule: 'hashtag',
      key: 'boardwalkempire',
      alternatives: [],
      parts: ['boardwalk', 'empire'],
      marker: '<hashtag>',
      tokens: ['<hashtag>', 'boardwalk', 'empire'],
    });
  });

  it('offers the doubled letter as an alternative for elongations', () => {
    expect(normaliseTweetToken('sooooon').alternatives).toEqual(['soon']);
    expect(normaliseTweetToken('goooood').alternatives).toEqual(['good']);
  });

  it('returns lower-case keys for every token', () => {
    for (const t of ['ABC', 'Ünïcödé', '#ÉTÉ', 'MiXeD']) expect(normaliseTweetToken(t).key).toBe(normaliseTweetToken(t).key.toLowerCase());
  });
});
