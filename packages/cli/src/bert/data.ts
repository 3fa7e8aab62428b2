/**
 * The WNUT16 splits for the BERT experiment, located with the CLI's data lookup and read with
 * `@twner/conll`.
 */
import { join } from 'node:path';
import { ConllParseError, corpusSentences, readConllCorpus } from '@twner/conll';
import { locateDataset, wnut16Spec } from '@twner/tagger';
import { TaggerError, EXIT_USAGE } from '@twner/tagger';

/** One tweet: words and gold IOB2 tags. */
export interface TaggedTweet {
  words: string[];
  tags: string[];
}

export interface Wnut16 {
  dir: string;
  train: TaggedTweet[];
  dev: TaggedTweet[];
  test: TaggedTweet[];
  /** Label set of the FULL training split (so that `limitTrain` never drops a type). */
  labels: string[];
}

const SPLITS = ['train', 'dev', 'test'] as const;

/**
 * Where the three `<split>.conll` files are, found like every other twner command does
 * (`--data-dir`, `TWNER_DATA_DIR`, `../shared/data/wnut16`, the cache, else a checked download).
 */
export async function locateWnut16(dataDir: string | undefined, log?: (line: string) => void): Promise<string> {
  return (await locateDataset(wnut16Spec(), { dir: dataDir, log })).dir;
}

/** Reads one CoNLL file into tweets (a missing tag counts as `O`). */
export async function readTweets(file: string): Promise<TaggedTweet[]> {
  try {
    const corpus = await readConllCorpus(file);
    return corpusSentences(corpus).map((s) => ({
      words: s.tokens.map((t) => t.text),
      tags: s.tokens.map((t) => t.tag ?? 'O'),
    }));
  } catch (error) {
    if (error instanceof ConllParseError) throw new TaggerError(error.message, EXIT_USAGE, { cause: error });
    throw error;
  }
}

/** Reads train, dev and test; `limitTrain` / `limitEval` keep the first N tweets (0 = all). */
export async function loadWnut16(
  dataDir: string | undefined,
  limits: { limitTrain?: number; limitEval?: number } = {},
  log?: (line: string) => void,
): Promise<Wnut16> {
  const dir = await locateWnut16(dataDir, log);
  const [train, dev, test] = await Promise.all(SPLITS.map((s) => readTweets(join(dir, `${s}.conll`))));
  const cut = (xs: TaggedTweet[], n = 0): TaggedTweet[] => (n > 0 ? xs.slice(0, n) : xs);
  return { dir, train: cut(train, limits.limitTrain), dev: cut(dev, limits.limitEval), test: cut(test, limits.limitEval), labels: labelListOf(train) };
}

/** `O`, then `B-`/`I-` of every type in sorted order: the label set of a model trained on `tweets`. */
export function labelListOf(tweets: readonly TaggedTweet[]): string[] {
  const types = new Set<string>();
  for (const t of tweets) for (const tag of t.tags) if (tag !== 'O') types.add(tag.replace(/^[BI]-/, ''));
  return ['O', ...[...types].sort().flatMap((type) => [`B-${type}`, `I-${type}`])];
}
