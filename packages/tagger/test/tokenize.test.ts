import { TaggerError } from '../src/errors';
import { tokenizeTweet, tokenizeTweetText } from '../src/tokenize/tweet-tokenizer';

const toks = (s: string): string[] => tokenizeTweetText(s);

describe('tokenizeTweet offsets', () => {
  it('gives UTF-16 offsets into the input, end exclusive', () => {
    expect(tokenizeTweet("it's 10:30 :)")).toEqual([
      { text: 'it', start: 0, end: 2 },
      { text: "'s", start: 2, end: 4 },
      { text: '10:30', start: 5, end: 10 },
      { text: ':)', start: 11, end: 13 },
    ]);
  });

  it('counts an astral emoji as two code units', () => {
    expect(tokenizeTweet('a 😂 b')).toEqual([
      { text: 'a', start: 0, end: 1 },
      { text: '😂', start: 2, end: 4 },
      { text: 'b', start: 5, end: 6 },
    ]);
  });

  it('returns no tokens for empty or all-space text', () => {
    expect(tokenizeTweet('')).toEqual([]);
    expect(tokenizeTweet(' \t\n\u00a0\u200b\u3000')).toEqual([]);
  });

  it('gives the same texts as tokenizeTweetText', () => {
    const s = '@bob: Mr. T’s #1 fan <3 http://t.co/x!';
    expect(tokenizeTweet(s).map((t) => t.text)).toEqual(toks(s));
  });
});

describe('tokenizeTweet keeps whole', () => {
  test.each([
    // emoji sequences
    ['ZWJ family', 'we 👨‍👩‍👧 are', ['we', '👨‍👩‍👧', 'are']],
    ['skin tone', 'ok👍🏽!', ['ok', '👍🏽', '!']],
    ['flags, two in a row', '🇺🇸🇬🇧', ['🇺🇸', '🇬🇧']],
    ['keycaps', '1️⃣ #️⃣ *️⃣ 2⃣', ['1️⃣', '#️⃣', '*️⃣', '2⃣']],
    ['variation selector', 'I ❤️ it ☺︎', ['I', '❤️', 'it', '☺︎']],
    ['ZWJ with VS16 (rainbow flag)', '🏳️‍🌈', ['🏳️‍🌈']],
    ['tag sequence (Scotland)', '🏴󠁧󠁢󠁳󠁣󠁴󠁿 go', ['🏴󠁧󠁢󠁳󠁣󠁴󠁿', 'go']],
    ['repeated emoji, one token each', '😂😂😂', ['😂', '😂', '😂']],
    // emoticons
    [
      'western emoticons',
      ":) :-D ;P :'( :/ =) :] :O :p ;-) =D",
      [':)', ':-D', ';P', ":'(", ':/', '=)', ':]', ':O', ':p', ';-)', '=D'],
    ],
    ['emoticons glued to words', 'lol:) ok;P', ['lol', ':)', 'ok', ';P']],
    ['repeated mouths', ':))) :DDD :((', [':)))', ':DDD', ':((']],
    ['xD and hearts', 'xD XD <3 </3 <333', ['xD', 'XD', '<3', '</3', '<333']],
    [
      'eastern emoticons',
      '^_^ ^^ -_- -__- o.O O_o T_T >_< ;_;',
      ['^_^', '^^', '-_-', '-__-', 'o.O', 'O_o', 'T_T', '>_<', ';_;'],
    ],
    // abbreviations
    [
      'dotted abbreviations',
      'the U.S.A. and U.S. e.g. at 5 p.m. in D.C.',
      ['the', 'U.S.A.', 'and', 'U.S.', 'e.g.', 'at', '5', 'p.m.', 'in', 'D.C.'],
    ],
    ['last dot missing', 'U.S t.v', ['U.S', 't.v']],
    ['titles', 'Mr. Smith vs. Dr. Who etc.', ['Mr.', 'Smith', 'vs.', 'Dr.', 'Who', 'etc.']],
    // URLs
    ['URL then sentence period', 'see http://t.co/abc.', ['see', 'http://t.co/abc', '.']],
    ['URL then comma', 'https://x.com/a?b=1&amp;c=2, ok', ['https://x.com/a?b=1&amp;c=2', ',', 'ok']],
    [
      'URL in parentheses',
      '(see https://en.wikipedia.org/wiki/A_(b))',
      ['(', 'see', 'https://en.wikipedia.org/wiki/A_(b)', ')'],
    ],
    ['www URL', 'www.foo.com!!', ['www.foo.com', '!!']],
    ['URL then ellipsis', 'http://t.co/xyz… more', ['http://t.co/xyz', '…', 'more']],
    [
      'bare domains',
      'bit.ly/abc pic.twitter.com/5zp reolo.com.',
      ['bit.ly/abc', 'pic.twitter.com/5zp', 'reolo.com', '.'],
    ],
    ['URL case-insensitive', 'HTTP://T.CO/A', ['HTTP://T.CO/A']],
    // mentions, hashtags, cashtags
    ['mentions and hashtags', '@bob_1: #NowPlaying #1 #café', ['@bob_1', ':', '#NowPlaying', '#1', '#café']],
    ['mention glued after RT', 'RT@user', ['RT', '@user']],
    ['e-mail addresses', 'mail john.doe+x@mail.example.co.uk. or me@home', ['mail', 'john.doe+x@mail.example.co.uk', '.', 'or', 'me', '@home']],
    ['an address that starts like an abbreviation', 'x.y.z@gmail.com', ['x.y.z@gmail.com']],
    ['cashtags', '$AAPL up, $fb down', ['$AAPL', 'up', ',', '$fb', 'down']],
    // contractions, as the data writes them
    [
      "n't, 'm, 're, 'll stay on",
      "don't I'm we're you'll can't y'all",
      ["don't", "I'm", "we're", "you'll", "can't", "y'all"],
    ],
    ["'s is split off", "it's John's let's", ['it', "'s", 'John', "'s", 'let', "'s"]],
    ["’s and 'S stay on (the data keeps them)", "It’s IT'S", ['It’s', "IT'S"]],
    ['standalone clitics', "it 's I 'm we 're do n't", ['it', "'s", 'I', "'m", 'we', "'re", 'do', "n't"]],
    ['backtick apostrophe', 'I`ll', ['I`ll']],
    // numbers
    [
      'numbers with separators',
      '1,000 3.5 10:30 30,000 1.2.3 1,000,000',
      ['1,000', '3.5', '10:30', '30,000', '1.2.3', '1,000,000'],
    ],
    ['a comma list is not a number', '1,2,3', ['1', ',', '2', ',', '3']],
    ['percent, currency, plus', '100% $5 $90.00 £3 18+ +1 C++', ['100%', '$5', '$90.00', '£3', '18+', '+1', 'C++']],
    ['scores and hyphenated words', '4-1 15-year-old Wi-Fi', ['4-1', '15-year-old', 'Wi-Fi']],
    ['slashes inside words', 'km/h 1/2 w/ w/o and/or', ['km/h', '1/2', 'w/', 'w/o', 'and/or']],
    // entities
    [
      'HTML entities',
      '&amp; &lt; &gt; &quot; &#39; &#x27; &hearts;',
      ['&amp;', '&lt;', '&gt;', '&quot;', '&#39;', '&#x27;', '&hearts;'],
    ],
    ['escaped heart splits as in the data', '&lt;3', ['&lt;', '3']],
    ['ampersand inside a name', 'AT&T M&amp;M Q&amp;A', ['AT&T', 'M&amp;M', 'Q&amp;A']],
    ['quote entity runs with punctuation', 'said.&quot; ok', ['said', '.&quot;', 'ok']],
    // punctuation runs
    ['repeated punctuation', 'wow!!! so... what?! ??', ['wow', '!!!', 'so', '...', 'what', '?!', '??']],
    ['mixed sentence punctuation runs (as in the data)', 'end." yes," no!:', ['end', '."', 'yes', ',"', 'no', '!:']],
    ['ellipsis character', 'hmm… ok', ['hmm', '…', 'ok']],
    ['run stops before an emoticon', 'yay...:)', ['yay', '...', ':)']],
    ['runs of one symbol', '-- )) ~~~ ***', ['--', '))', '~~~', '***']],
    ['actions in asterisks', '*wink* *sigh*', ['*wink*', '*sigh*']],
    ['censored words', 'f**k RE*TWEET', ['f**k', 'RE*TWEET']],
  ])('%s: %j', (_name, input, expected) => {
    expect(toks(input)).toEqual(expected);
  });
});

describe('tokenizeTweet splits', () => {
  test.each([
    [
      'punctuation from words',
      'Hello, world. (yes) [no] {x} "q" \'a\'',
      ['Hello', ',', 'world', '.', '(', 'yes', ')', '[', 'no', ']', '{', 'x', '}', '"', 'q', '"', "'", 'a', "'"],
    ],
    ['curly quotes', '“hi” ‘there’', ['“', 'hi', '”', '‘', 'there', '’']],
    ['sentences without a space', "end.Next wait....I'm", ['end', '.', 'Next', 'wait', '....', "I'm"]],
    ['edge hyphens and symbols', '-Rumi love- ~madi 2015)', ['-', 'Rumi', 'love', '-', '~', 'madi', '2015', ')']],
    [
      'not emoticons inside words',
      'Re:Dinner note:Pizza xDrive hello_Oscar',
      ['Re', ':', 'Dinner', 'note', ':', 'Pizza', 'xDrive', 'hello_Oscar'],
    ],
    ['not a URL scheme inside a word', 'the.com.plex', ['the', '.', 'com', '.', 'plex']],
    ['not an abbreviation before a longer word', 'I.Love.You', ['I', '.', 'Love', '.', 'You']],
    ['a number after a word is a word', '3pm mp3 2nd', ['3pm', 'mp3', '2nd']],
    ['a trailing quote from a URL', "'http://bit.ly/x'", ["'", 'http://bit.ly/x', "'"]],
    ['a leading quote from a word', "'RT this", ["'", 'RT', 'this']],
  ])('%s: %j', (_name, input, expected) => {
    expect(toks(input)).toEqual(expected);
  });
});

describe('tokenizeTweet whitespace and odd code units', () => {
  test.each([
    ['NBSP', 'a\u00a0b'],
    ['zero-width space', 'a\u200bb'],
    ['word joiner', 'a\u2060b'],
    ['ideographic space', 'a\u3000b'],
    ['line and paragraph separators', 'a\u2028b\u2029'],
    ['CR LF and tab', 'a\r\n\tb'],
    ['BOM', '\ufeffa b'],
    ['NUL and other controls', 'a\u0000b\u0007\u0085'],
  ])('%s separates tokens and is never in one', (_name, input) => {
    expect(toks(input)).toEqual(['a', 'b']);
  });

  it('makes a lone surrogate a token of its own, one code unit long', () => {
    expect(tokenizeTweet('x\ud800y \udc00')).toEqual([
      { text: 'x', start: 0, end: 1 },
      { text: '\ud800', start: 1, end: 2 },
      { text: 'y', start: 2, end: 3 },
      { text: '\udc00', start: 4, end: 5 },
    ]);
  });

  it('keeps combining marks and ZWJ/ZWNJ inside a word', () => {
    expect(toks('cafe\u0301 nu\u200cw')).toEqual(['cafe\u0301', 'nu\u200cw']);
  });

  it('makes marks with nothing to join a token of their own', () => {
    expect(toks('a \u0301\u0302 b')).toEqual(['a', '\u0301\u0302', 'b']);
  });

  it('treats astral letters as letters', () => {
    expect(toks('𝐇𝐞𝐥𝐥𝐨-𝐰𝐨𝐫𝐥𝐝!')).toEqual(['𝐇𝐞𝐥𝐥𝐨-𝐰𝐨𝐫𝐥𝐝', '!']);
  });
});

describe('tokenizeTweet input checks', () => {
  it('refuses a non-string with a TaggerError that says what to pass', () => {
    const call = (): unknown => tokenizeTweet(42 as unknown as string);
    expect(call).toThrow(TaggerError);
    expect(call).toThrowErrorMatchingInlineSnapshot(
      `"tokenizeTweet: the text must be a string, got number. Pass the tweet's text (String(x) if it is a number)."`,
    );
    expect(() => tokenizeTweetText(null as unknown as string)).toThrow(
      /tokenizeTweetText: the text must be a string, got null/,
    );
  });
});
