import { casingFeatures, CASING_FEATURES } from '../src/features/casing';
import { buildCharIndex, charIds, charLookup, CHAR_PAD, CHAR_UNK } from '../src/features/chars';
import { buildGazetteer, gazetteerFeatures } from '../src/features/gazetteer';
import { tokenizeTweetText as tokenizeTweet } from '../src/tokenize/tweet-tokenizer';

function on(tokens: string[], i: number): string[] {
  const v = casingFeatures(tokens, i);
  return CASING_FEATURES.filter((_, k) => v[k] === 1);
}

describe('casingFeatures', () => {
  it.each([
    [['Apple'], 0, ['init_cap', 'len_4_7', 'first_token']],
    [['the', 'NBA'], 1, ['all_upper', 'len_2_3']],
    [['x', '@john_doe'], 1, ['all_lower', 'mention', 'len_8_plus']],
    [['x', '#iPhone'], 1, ['mixed_case', 'hashtag', 'len_4_7']],
    [['x', '2016'], 1, ['has_digit', 'all_digit', 'len_4_7']],
    [['x', 'http://t.co/x'], 1, ['all_lower', 'url', 'len_8_plus']],
  ])('%j[%i] → %j', (tokens, i, expected) => {
    expect(on(tokens as string[], i as number)).toEqual(expected);
  });
});

describe('charIds', () => {
  const index = buildCharIndex([{ tokens: ['abc', 'abd'], tags: ['O', 'O'] }], 2);
  const lookup = charLookup(index);
  it('keeps characters seen twice, maps the rest to unknown, pads with 0', () => {
    expect(index.chars).toEqual(['<pad>', '<unk>', 'a', 'b']);
    expect(charIds('abz', lookup, 5)).toEqual([2, 3, CHAR_UNK, CHAR_PAD, CHAR_PAD]);
  });
  it('keeps the first and last two characters of long tokens', () => {
    expect(charIds('aaaaaaab', lookup, 4)).toEqual([2, 2, 2, 3]);
  });
});

describe('gazetteerFeatures', () => {
  const gaz = buildGazetteer([
    { name: 'team', entries: ['New York Yankees', 'Yankees'] },
    { name: 'city', entries: ['New York', 'York'] },
  ]);
  it('marks the longest match per list with B then I, lower-cased, ignoring a leading #', () => {
    const f = gazetteerFeatures(gaz, ['the', 'new', 'YORK', 'yankees', 'won', '#Yankees']);
    // [team B, team I, city B, city I] per token
    expect(f).toEqual([
      [0, 0, 0, 0],
      [1, 0, 1, 0],
      [0, 1, 0, 1],
      [0, 1, 0, 0],
      [0, 0, 0, 0],
      [1, 0, 0, 0],
    ]);
  });
});

describe('tokenizeTweet', () => {
  it('splits words, punctuation, mentions, hashtags and URLs', () => {
    expect(tokenizeTweet("@bob I'm at #Fenway, see http://t.co/ab :)")).toEqual([
      '@bob', "I'm", 'at', '#Fenway', ',', 'see', 'http://t.co/ab', ':)',
    ]);
  });
});
