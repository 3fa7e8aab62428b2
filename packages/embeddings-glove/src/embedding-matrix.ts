import { checkOptionKeys } from './check-options';
import { VectorOptionsError } from './errors';
import { normaliseTweetToken } from './normalise-tweet';
import { normal } from './random';
import type { WordVectors } from './word-vectors';

/** Lookup steps, tried in the given order for each vocabulary word. */
export type LookupStep = 'exact' | 'lowercase' | 'normalise';

/**
 * A vocabulary: index → token, with index 0 the padding row. Objects exposing the list as `tokens`
 * (`@twner/conll`'s `TokenVocabulary`), `itos` or `idToToken` work too.
 */
export type VocabularyLike =
  | readonly string[]
  | { readonly tokens: readonly string[] }
  | { readonly itos: readonly string[] }
  | { readonly idToToken: readonly string[] };

/** Token frequencies: a map or record by token, or an array aligned with the vocabulary indices. */
export type TokenCounts = ReadonlyMap<string, number> | Readonly<Record<string, number>> | readonly number[];

export interface BuildEmbeddingMatrixOptions {
  /** Default `['exact', 'lowercase', 'normalise']`. */
  lookup?: readonly LookupStep[];
  /** Rows without a vector: `random` (default) draws N(mean, std²) seeded; `zeros` leaves them zero. */
  oov?: 'random' | 'zeros';
  /** Seed for `oov: 'random'`. Default 42. */
  seed?: number;
  /** Default: the mean of every component of the loaded vectors. */
  mean?: number;
  /** Default: the standard deviation of every component of the loaded vectors. */
  std?: number;
  /** Token frequencies in the data, for `coverage.byToken`. */
  counts?: TokenCounts;
  /** Row kept all zeros and left out of hits/misses. Default 0; -1 for none. */
  paddingIndex?: number;
  /**
   * Hashtags: `body` (default) uses the body's vector (`#Paris` → `paris`): the body carries the meaning an entity
   * tagger needs. `mean-with-marker` averages it with `<hashtag>`. Either way a body without a vector falls back to
   * the mean of its capital-split parts, then to `<hashtag>` alone.
   */
  hashtag?: 'body' | 'mean-with-marker';
  /**
   * The `normalise` step: `twitter` (default) follows `normaliseTweetToken` (GloVe Twitter's `<user>`, `<url>`, …); a
   * function returns the keys to try in order and the parts whose mean stands in when none hits, e.g.
   * `(t) => normaliseForGlove6B(t)` for GloVe 6B / wink vectors. Pass the same one to `lookupKeys`.
   */
  normaliser?: Normaliser;
}

/** Candidate keys for one token, most specific first, and parts whose mean stands in when no key has a vector. */
export type Normaliser = 'twitter' | ((token: string) => { keys: readonly string[]; parts: readonly string[] });

export interface EmbeddingMatrix {
  /** Row-major `[V, D]`; row `paddingIndex` is zeros. */
  matrix: Float32Array;
  dim: number;
  /** Rows that received a pretrained vector (padding excluded). */
  hits: number;
  /** Rows without one (padding excluded). */
  misses: number;
  /** Per row: 1 where the row received a pretrained vector, 0 where it was drawn or zeroed (and the padding row). */
  found: Uint8Array;
  /** Missed words, most frequent first when counts are given, else in vocabulary order. */
  missedWords: string[];
  /** Hits by the lookup step that found them. */
  hitsBy: Record<LookupStep, number>;
  coverage: {
    /** hits / (hits + misses). */
    byType: number;
    /** Share of token occurrences (from `counts`) whose word got a vector; undefined without counts. */
    byToken?: number;
  };
}

const DEFAULT_LOOKUP: readonly LookupStep[] = ['exact', 'lowercase', 'normalise'];

function itos(vocab: VocabularyLike): readonly string[] {
  if (Array.isArray(vocab)) return vocab as readonly string[];
  if ('tokens' in vocab) return vocab.tokens;
  if ('itos' in vocab) return vocab.itos;
  if ('idToToken' in vocab) return vocab.idToToken;
  throw new VectorOptionsError('buildEmbeddingMatrix: vocab must be a string[] or have tokens / itos / idToToken');
}

function countOf(counts: TokenCounts, word: string, i: number): number {
  if (Array.isArray(counts)) return (counts as readonly number[])[i] ?? 0;
  if (counts instanceof Map) return counts.get(word) ?? 0;
  return (counts as Readonly<Record<string, number>>)[word] ?? 0;
}

/** The vector rows whose mean gives `word` a vector under `step`, or undefined. */
function find(
  vectors: WordVectors,
  word: string,
  step: LookupStep,
  hashtag: 'body' | 'mean-with-marker',
  normaliser: Normaliser,
): number[] | undefined {
  const row = (w: string): number => vectors.indexOf(w);
  if (step === 'exact') {
    const r = row(word);
    return r < 0 ? undefined : [r];
  }
  if (step === 'lowercase') {
    const r = row(word.toLowerCase());
    return r < 0 ? undefined : [r];
  }
  if (normaliser !== 'twitter') {
    const { keys, parts } = normaliser(word);
    for (const key of keys) {
      const r = row(key);
      if (r >= 0) return [r];
    }
    const rows = parts.map(row);
    return rows.length > 0 && rows.every((r) => r >= 0) ? rows : undefined;
  }
  const n = normaliseTweetToken(word);
  const marker = n.marker === undefined ? -1 : row(n.marker);
  for (const key of [n.key, ...n.alternatives]) {
    const r = row(key);
    if (r >= 0) return hashtag === 'mean-with-marker' && marker >= 0 ? [r, marker] : [r];
  }
  if (n.parts.length > 0) {
    const rows = n.parts.map(row);
    if (rows.every((r) => r >= 0)) return hashtag === 'mean-with-marker' && marker >= 0 ? [...rows, marker] : rows;
  }
  return marker >= 0 ? [marker] : undefined;
}

/**
 * Every key `buildEmbeddingMatrix` may look up for these words: pass it as `vocabulary` to `loadVectors`
 * so the filtered load holds exactly what the matrix can use.
 */
export function lookupKeys(
  words: Iterable<string>,
  lookup: readonly LookupStep[] = DEFAULT_LOOKUP,
  normaliser: Normaliser = 'twitter',
): Set<string> {
  const keys = new Set<string>();
  for (const w of words) {
    if (lookup.includes('exact')) keys.add(w);
    if (lookup.includes('lowercase')) keys.add(w.toLowerCase());
    if (lookup.includes('normalise') && normaliser !== 'twitter') {
      const n = normaliser(w);
      for (const k of [...n.keys, ...n.parts]) keys.add(k);
    } else if (lookup.includes('normalise')) {
      const n = normaliseTweetToken(w);
      keys.add(n.key);
      for (const k of [...n.alternatives, ...n.parts]) keys.add(k);
      if (n.marker !== undefined) keys.add(n.marker);
    }
  }
  return keys;
}

/**
 * Builds the `[V, D]` initial embedding matrix for a vocabulary (index 0 = padding) from pretrained vectors.
 *
 * @param vocab index → token; row i of the matrix is token i.
 * @param vectors loaded vectors (`loadVectors`), ideally filtered with `lookupKeys(vocab)`.
 */
export function buildEmbeddingMatrix(
  vocab: VocabularyLike,
  vectors: WordVectors,
  options: BuildEmbeddingMatrixOptions = {},
): EmbeddingMatrix {
  checkOptionKeys('buildEmbeddingMatrix', options, ['lookup', 'oov', 'seed', 'mean', 'std', 'counts', 'paddingIndex', 'hashtag', 'normaliser']);
  const words = itos(vocab);
  const { lookup = DEFAULT_LOOKUP, oov = 'random', seed = 42, counts, paddingIndex = 0, hashtag = 'body', normaliser = 'twitter' } = options;
  if (normaliser !== 'twitter' && typeof normaliser !== 'function') {
    throw new VectorOptionsError(`buildEmbeddingMatrix: normaliser must be 'twitter' or a function, received ${JSON.stringify(normaliser)}`);
  }
  for (const step of lookup) {
    if (!DEFAULT_LOOKUP.includes(step)) {
      throw new VectorOptionsError(
        `buildEmbeddingMatrix: unknown lookup step ${JSON.stringify(step)}: expected one of ${DEFAULT_LOOKUP.join(', ')}`,
      );
    }
  }
  const dim = vectors.dim;
  const stats = oov === 'random' && (options.mean === undefined || options.std === undefined) ? vectors.stats() : undefined;
  const draw = oov === 'random' ? normal(seed, options.mean ?? stats?.mean ?? 0, options.std ?? stats?.std ?? 0) : undefined;
  const matrix = new Float32Array(words.length * dim);
  const found = new Uint8Array(words.length);
  const data = vectors.data;
  const hitsBy: Record<LookupStep, number> = { exact: 0, lowercase: 0, normalise: 0 };
  const missed: Array<{ word: string; count: number; i: number }> = [];
  let hits = 0;
  let tokensHit = 0;
  let tokensAll = 0;
  for (let i = 0; i < words.length; i++) {
    if (i === paddingIndex) continue;
    const word = words[i];
    const count = counts === undefined ? 0 : countOf(counts, word, i);
    tokensAll += count;
    let rows: number[] | undefined;
    for (const step of lookup) {
      rows = find(vectors, word, step, hashtag, normaliser);
      if (rows !== undefined) {
        hitsBy[step]++;
        break;
      }
    }
    const out = i * dim;
    if (rows === undefined) {
      missed.push({ word, count, i });
      if (draw !== undefined) for (let d = 0; d < dim; d++) matrix[out + d] = draw();
      continue;
    }
    hits++;
    found[i] = 1;
    tokensHit += count;
    const scale = 1 / rows.length;
    for (const r of rows) {
      const src = r * dim;
      for (let d = 0; d < dim; d++) matrix[out + d] += data[src + d] * scale;
    }
  }
  if (counts !== undefined) missed.sort((a, b) => b.count - a.count || a.i - b.i);
  const misses = missed.length;
  return {
    matrix,
    dim,
    hits,
    misses,
    found,
    missedWords: missed.map((m) => m.word),
    hitsBy,
    coverage: {
      byType: hits + misses === 0 ? 0 : hits / (hits + misses),
      ...(counts === undefined ? {} : { byToken: tokensAll === 0 ? 0 : tokensHit / tokensAll }),
    },
  };
}
