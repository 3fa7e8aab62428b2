/**
 * Casing and shape features of a tweet token, a fixed-length 0/1 vector.
 * The names are in {@link CASING_FEATURES}; order matters (it is the model's input layout).
 */
export const CASING_FEATURES = [
  'all_lower',
  'all_upper',
  'init_cap',
  'mixed_case',
  'has_digit',
  'all_digit',
  'all_punct',
  'mention',
  'hashtag',
  'url',
  'has_apostrophe',
  'has_hyphen',
  'len_1',
  'len_2_3',
  'len_4_7',
  'len_8_plus',
  'first_token',
] as const;

const URL_RE = /^(https?:\/\/|www\.)/i;
const PUNCT_RE = /^[^\p{L}\p{N}]+$/u;

/** The casing/shape vector of `tokens[i]`: one entry per {@link CASING_FEATURES} name. */
export function casingFeatures(tokens: readonly string[], i: number): number[] {
  const tok = tokens[i];
  const letters = tok.replace(/[^\p{L}]/gu, '');
  const lower = letters.length > 0 && letters === letters.toLowerCase() && letters !== letters.toUpperCase();
  const upper = letters.length > 0 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
  const body = tok.replace(/^[#@]/, '');
  const initCap = /^\p{Lu}/u.test(body) && !upper;
  const len = tok.length;
  return [
    lower ? 1 : 0,
    upper ? 1 : 0,
    initCap ? 1 : 0,
    !lower && !upper && !initCap && letters.length > 0 ? 1 : 0,
    /\p{N}/u.test(tok) ? 1 : 0,
    /^\p{N}+$/u.test(tok) ? 1 : 0,
    PUNCT_RE.test(tok) ? 1 : 0,
    tok.startsWith('@') && tok.length > 1 ? 1 : 0,
    tok.startsWith('#') && tok.length > 1 ? 1 : 0,
    URL_RE.test(tok) ? 1 : 0,
    /['’]/.test(tok) ? 1 : 0,
    tok.includes('-') ? 1 : 0,
    len === 1 ? 1 : 0,
    len >= 2 && len <= 3 ? 1 : 0,
    len >= 4 && len <= 7 ? 1 : 0,
    len >= 8 ? 1 : 0,
    i === 0 ? 1 : 0,
  ];
}

/** Pushes the indices of the casing/shape features of `tokens[i]` that are 1 (in increasing order). */
export function casingActive(tokens: readonly string[], i: number, out: number[]): void {
  const v = casingFeatures(tokens, i);
  for (let f = 0; f < v.length; f++) if (v[f] !== 0) out.push(f);
}
