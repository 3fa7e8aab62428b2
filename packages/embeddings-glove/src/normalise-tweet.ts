/**
 * Token-level port of the rules in Stanford's `preprocess-twitter.rb`, the script that prepared the corpus of the
 * GloVe Twitter vectors: it replaced links, mentions, numbers, smileys and hearts by special tokens, split hashtags,
 * marked elongations and repeated punctuation, and lower-cased everything. The vectors therefore know `<user>`,
 * `<url>`, `<number>`, `<hashtag>`, `<smile>`, … and lower-case words, but not `@bob` or `wayyyy`.
 *
 * The script rewrites whole tweets; here each (already tokenised) token is mapped on its own, rules tried in the
 * script's order, each one matching the whole token. Deliberate differences, all in favour of finding a vector:
 * - links are matched case-insensitively (`HTTP://…`);
 * - elongation: the script only shortens a run of 3+ equal characters at the end of a word (`wayyyy` → `way`),
 *   here every run is shortened (`sooooon` → `son`), and the two-letter form (`soon`) is offered as an alternative;
 * - kept as in the script: its smile pattern runs before the sad one and also matches `):`, so `):` is `<smile>`
 *   (that is what the vectors saw), and a reversed smile `(:` matches nothing;
 * - allcaps: the script's character class marks any run of 2+ characters outside `[a-z0-9()<>'`-]`; here only
 *   two consecutive upper-case letters count (what the script means), and the marker is reported in `tokens` only.
 */

/** The rule that decided the lookup key. */
export type TweetTokenRule =
  | 'url'
  | 'user'
  | 'smile'
  | 'lolface'
  | 'sadface'
  | 'neutralface'
  | 'heart'
  | 'number'
  | 'hashtag'
  | 'repeat'
  | 'elong'
  | 'allcaps'
  | 'lowercase';

export interface NormalisedToken {
  rule: TweetTokenRule;
  /** Lower-case lookup key: a special token (`<user>`) or the content word (`way` for `Wayyyy`). */
  key: string;
  /** Further keys to try, in order, when `key` has no vector (`soon` for `sooooon`). */
  alternatives: string[];
  /** Hashtags split on capitals (`#NewYork` → `new`, `york`): their mean is tried when no key hits. */
  parts: string[];
  /** `<hashtag>` for hashtags: the vector of last resort, or averaged with the body (see buildEmbeddingMatrix). */
  marker?: string;
  /** What the script would emit for this token, lower-case (`['<hashtag>', 'new', 'york']`). */
  tokens: string[];
}

const EYES = "[8:=;]";
const NOSE = "['`\\-]?";
const URL = /^(?:https?:\/\/\S+|www\.(?:\w+\.)+\S*)$/i;
const USER = /^@\w+$/;
const SMILE = new RegExp(`^(?:${EYES}${NOSE}[)d]+|[)d]+${NOSE}${EYES})$`, 'i');
const LOLFACE = new RegExp(`^${EYES}${NOSE}p+$`, 'i');
const SADFACE = new RegExp(`^(?:${EYES}${NOSE}\\(+|\\)+${NOSE}${EYES})$`);
const NEUTRALFACE = new RegExp(`^${EYES}${NOSE}[/|l*]$`);
const HEART = /^(?:<3)+$/;
const NUMBER = /^[-+]?[.\d]*\d+[:,.\d]*$/;
const HASHTAG = /^#(\S+)$/;
const REPEAT = /^[!?.]{2,}$/;
const RUN = /(.)\1{2,}/gu;
const ALLCAPS = /\p{Lu}{2}/u;

const SPECIAL: ReadonlyArray<[RegExp, TweetTokenRule]> = [
  [URL, 'url'],
  [USER, 'user'],
  [SMILE, 'smile'],
  [LOLFACE, 'lolface'],
  [SADFACE, 'sadface'],
  [NEUTRALFACE, 'neutralface'],
  [HEART, 'heart'],
  [NUMBER, 'number'],
];

function special(rule: TweetTokenRule): NormalisedToken {
  const key = `<${rule}>`;
  return { rule, key, alternatives: [], parts: [], tokens: [key] };
}

function word(token: string): NormalisedToken {
  const shortened = token.replace(RUN, '$1');
  const elongated = shortened !== token;
  const allcaps = ALLCAPS.test(token);
  const key = shortened.toLowerCase();
  const twice = token.replace(RUN, '$1$1').toLowerCase();
  return {
    rule: elongated ? 'elong' : allcaps ? 'allcaps' : 'lowercase',
    key,
    alternatives: elongated && twice !== key ? [twice] : [],
    parts: [],
    tokens: [key, ...(allcaps ? ['<allcaps>'] : []), ...(elongated ? ['<elong>'] : [])],
  };
}

/**
 * Maps one tweet token to the form the GloVe Twitter vectors use.
 *
 * @example
 * normaliseTweetToken('@bob').key;      // '<user>'
 * normaliseTweetToken('#NewYork');      // { rule: 'hashtag', key: 'newyork', parts: ['new', 'york'], marker: '<hashtag>', … }
 * normaliseTweetToken('Wayyyy').key;    // 'way'
 */
export function normaliseTweetToken(token: string): NormalisedToken {
  for (const [pattern, rule] of SPECIAL) if (pattern.test(token)) return special(rule);
  const hashtag = HASHTAG.exec(token);
  if (hashtag !== null) {
    const body = hashtag[1];
    const inner = normaliseTweetToken(body);
    const isWord = inner.rule === 'lowercase' || inner.rule === 'elong' || inner.rule === 'allcaps';
    const upper = body.toUpperCase() === body;
    const parts = isWord && !upper ? body.split(/(?=\p{Lu})/u).map((p) => p.toLowerCase()) : [];
    return {
      rule: 'hashtag',
      key: inner.key,
      alternatives: inner.alternatives,
      parts: parts.length > 1 ? parts : [],
      marker: '<hashtag>',
      tokens: ['<hashtag>', ...(parts.length > 1 ? parts : [inner.key]), ...(upper && isWord ? ['<allcaps>'] : [])],
    };
  }
  if (REPEAT.test(token)) {
    const last = token[token.length - 1];
    return { rule: 'repeat', key: last, alternatives: [], parts: [], tokens: [last, '<repeat>'] };
  }
  return word(token);
}
