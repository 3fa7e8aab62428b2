// `@twner/embeddings-glove/normalise`: the token normalisers alone — no file system, no
// downloads — for code that looks words up in a table of vectors it already has (the serving
// tagger, browsers).
export { normaliseForGlove6B, type Glove6BNormaliseOptions, type Glove6BRule, type Glove6BToken } from './normalise-glove6b';
export { normaliseTweetToken, type NormalisedToken, type TweetTokenRule } from './normalise-tweet';
export { VectorOptionsError } from './errors';
