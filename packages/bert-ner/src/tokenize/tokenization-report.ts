/**
 * How a tokenizer splits a corpus of pre-split sentences: sub-tokens per word, share of words
 * split into several pieces, unknown-token rate, longest sequence and the most frequent split
 * words. Useful before fine-tuning to choose `maxLength` and to see what WordPiece does to tweets.
 */
import type { BertTokenizer } from './bert-tokenizer';

export interface TokenizationReportOptions {
  /** How many split words to list in `examples`. Default 10. */
  examples?: number;
}

export interface SplitWordExample {
  word: string;
  subTokens: string[];
  /** Occurrences of the word in the corpus. */
  count: number;
}

export interface TokenizationReport {
  sentences: number;
  words: number;
  /** Sub-tokens of all words, special tokens excluded. */
  subTokens: number;
  /** `subTokens / words`. */
  subTokensPerWord: number;
  /** Share of words split into two or more sub-tokens. */
  splitWordShare: number;
  /** Share of sub-tokens that are the unknown token. */
  unknownTokenRate: number;
  /** Share of words with at least one unknown sub-token. */
  unknownWordShare: number;
  /** Words that yield no sub-token at all (empty, or only characters the normalizer drops). */
  wordsWithoutSubTokens: number;
  /** Most sub-tokens of any one word. */
  maxSubTokensPerWord: number;
  /** Longest sentence in sub-tokens, special tokens included, and its index. */
  longestSequence: { index: number; length: number };
  /** The most frequent words split into several pieces (ties: first seen first). */
  examples: SplitWordExample[];
}

/**
 * @param sentences [N][words] e.g. the tweets of a CoNLL file
 * @example
 * const report = await tokenizationReport(tokenizer, [['New', 'Orleans', 'parade']]);
 * report.splitWordShare; // 0.333…  ('Orleans' → or ##le ##ans)
 * report.examples;       // [{ word: 'Orleans', subTokens: ['or', '##le', '##ans'], count: 1 }]
 */
export async function tokenizationReport(
  tokenizer: BertTokenizer,
  sentences: string[][],
  options: TokenizationReportOptions = {},
): Promise<TokenizationReport> {
  const batch = await tokenizer.encodeWords(sentences, { maxLength: null, padding: false });
  const unkId = tokenizer.unkToken?.id;
  let words = 0;
  let subTokens = 0;
  let split = 0;
  let unknownTokens = 0;
  let unknownWords = 0;
  let empty = 0;
  let maxPieces = 0;
  let longest = { index: -1, length: 0 };
  const seen = new Map<string, SplitWordExample>();

  sentences.forEach((sentence, b) => {
    const pieces: string[][] = sentence.map(() => []);
    const unk: boolean[] = sentence.map(() => false);
    batch.wordIds[b].forEach((w, i) => {
      if (w === null) return;
      pieces[w].push(batch.tokens[b][i]);
      if (batch.inputIds[b][i] === unkId) unk[w] = true;
    });
    sentence.forEach((word, w) => {
      const n = pieces[w].length;
      words++;
      subTokens += n;
      maxPieces = Math.max(maxPieces, n);
      if (n === 0) empty++;
      if (unk[w]) unknownWords++;
      if (n > 1) {
        split++;
        const known = seen.get(word);
        if (known) known.count++;
        else seen.set(word, { word, subTokens: pieces[w], count: 1 });
      }
    });
    batch.inputIds[b].forEach((id, i) => {
      if (id === unkId && batch.wordIds[b][i] !== null) unknownTokens++;
    });
    if (batch.lengths[b] > longest.length) longest = { index: b, length: batch.lengths[b] };
  });

  const examples = [...seen.values()]
    .map((e, order) => ({ e, order }))
    .sort((a, z) => z.e.count - a.e.count || a.order - z.order)
    .slice(0, options.examples ?? 10)
    .map(({ e }) => e);

  return {
    sentences: sentences.length,
    words,
    subTokens,
    subTokensPerWord: words > 0 ? subTokens / words : 0,
    splitWordShare: words > 0 ? split / words : 0,
    unknownTokenRate: subTokens > 0 ? unknownTokens / subTokens : 0,
    unknownWordShare: words > 0 ? unknownWords / words : 0,
    wordsWithoutSubTokens: empty,
    maxSubTokensPerWord: maxPieces,
    longestSequence: longest,
    examples,
  };
}

/** The report as Markdown: a summary list and a word → sub-tokens table. */
export function formatTokenizationReport(report: TokenizationReport): string {
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `- sentences: ${report.sentences}, words: ${report.words}, sub-tokens: ${report.subTokens}`,
    `- sub-tokens per word: ${report.subTokensPerWord.toFixed(2)} (max ${report.maxSubTokensPerWord})`,
    `- words split into several sub-tokens: ${pct(report.splitWordShare)}`,
    `- unknown sub-tokens: ${pct(report.unknownTokenRate)} (words with one: ${pct(report.unknownWordShare)})`,
    `- words without sub-tokens: ${report.wordsWithoutSubTokens}`,
    `- longest sequence: ${report.longestSequence.length} sub-tokens with specials (sentence ${report.longestSequence.index})`,
    '',
    '| word | sub-tokens | count |',
    '| --- | --- | --- |',
    ...report.examples.map((e) => `| ${e.word.replace(/\|/g, '\\|')} | ${e.subTokens.join(' ').replace(/\|/g, '\\|')} | ${e.count} |`),
  ];
  return lines.join('\n');
}
