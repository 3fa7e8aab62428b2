import { checkArray, checkOptions, isBoolean, oneOf } from './check-args';
import { TAGGING_SCHEMES } from './schemes';
import type { TaggingScheme } from './schemes';
import { getSpans } from './spans';
import type { ConllSentence } from './types';

export interface LengthSummary {
  min: number;
  max: number;
  mean: number;
  /** Nearest-rank percentiles: the smallest length with at least p% of sentences at or below it. */
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

export interface DatasetStats {
  sentences: number;
  tokens: number;
  vocabularySize: number;
  vocabularySizeLowercased: number;
  sentenceLength: LengthSummary;
  /** Tag -> tokens with it, tags sorted. */
  tagCounts: Record<string, number>;
  /** Entity type -> entities (scheme-aware spans), types sorted. */
  entityCounts: Record<string, number>;
  /** Entity length in tokens -> entities of that length. */
  entityLengths: Record<number, number>;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function sortedRecord(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function bump<K>(counts: Map<K, number>, key: K): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/**
 * The notebook's exploratory statistics for one split. Entities are the strict spans of
 * `scheme` (default IOB2), so an `I-x` after `O` is not counted (repair it first to count it).
 *
 * @example datasetStats([{ tokens: [{ text: 'Hi', tag: 'O', columns: [] }, { text: 'Bob', tag: 'B-person', columns: [] }] }]).entityCounts // { person: 1 }
 */
export function datasetStats(sentences: readonly ConllSentence[], options: { scheme?: TaggingScheme } = {}): DatasetStats {
  checkOptions(options, { scheme: oneOf(TAGGING_SCHEMES) }, 'datasetStats');
  checkArray(sentences, 'sentences', 'datasetStats', 'an array of sentences (corpusSentences(corpus))');
  const cased = new Set<string>();
  const lower = new Set<string>();
  const tags = new Map<string, number>();
  const entities = new Map<string, number>();
  const entityLengths = new Map<number, number>();
  const lengths: number[] = [];
  let tokens = 0;
  for (const sentence of sentences) {
    lengths.push(sentence.tokens.length);
    tokens += sentence.tokens.length;
    for (const token of sentence.tokens) {
      cased.add(token.text);
      lower.add(token.text.toLowerCase());
      if (token.tag !== undefined) bump(tags, token.tag);
    }
    if (tags.size > 0) {
      for (const span of getSpans(sentence.tokens.map((t) => t.tag ?? 'O'), options.scheme ?? 'IOB2')) {
        bump(entities, span.type);
        bump(entityLengths, span.end - span.start);
      }
    }
  }
  const sorted = [...lengths].sort((a, b) => a - b);
  return {
    sentences: sentences.length,
    tokens,
    vocabularySize: cased.size,
    vocabularySizeLowercased: lower.size,
    sentenceLength: {
      min: sorted[0] ?? 0,
      max: sorted[sorted.length - 1] ?? 0,
      mean: sorted.length === 0 ? 0 : tokens / sorted.length,
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
    },
    tagCounts: sortedRecord(tags),
    entityCounts: sortedRecord(entities),
    entityLengths: Object.fromEntries([...entityLengths].sort(([a], [b]) => a - b)),
  };
}

export interface OovRate {
  /** Token occurrences in the split, and those whose text the reference never has. */
  tokens: number;
  oovTokens: number;
  tokenRate: number;
  /** Distinct token texts in the split, and those the reference never has. */
  types: number;
  oovTypes: number;
  typeRate: number;
}

/**
 * Out-of-vocabulary rate of `split` against the vocabulary of `reference` (e.g. test vs train),
 * by occurrences and by distinct texts; `lowercase` compares lowercased texts.
 */
export function oovRate(split: readonly ConllSentence[], reference: readonly ConllSentence[], options: { lowercase?: boolean } = {}): OovRate {
  checkOptions(options, { lowercase: isBoolean }, 'oovRate');
  checkArray(split, 'split', 'oovRate', 'an array of sentences');
  checkArray(reference, 'reference', 'oovRate', 'an array of sentences');
  const norm = options.lowercase ? (t: string) => t.toLowerCase() : (t: string) => t;
  const known = new Set<string>();
  for (const sentence of reference) for (const token of sentence.tokens) known.add(norm(token.text));
  const types = new Set<string>();
  const oovTypes = new Set<string>();
  let tokens = 0;
  let oovTokens = 0;
  for (const sentence of split) {
    for (const token of sentence.tokens) {
      const text = norm(token.text);
      tokens++;
      types.add(text);
      if (!known.has(text)) {
        oovTokens++;
        oovTypes.add(text);
      }
    }
  }
  return {
    tokens,
    oovTokens,
    tokenRate: tokens === 0 ? 0 : oovTokens / tokens,
    types: types.size,
    oovTypes: oovTypes.size,
    typeRate: types.size === 0 ? 0 : oovTypes.size / types.size,
  };
}
