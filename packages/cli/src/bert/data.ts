/**
 * The WNUT16 splits for the BERT experiment, located with the CLI's data lookup and read with
 * `@twner/conll`.
 */
import { join } from 'node:path';
import { ConllParseError, corpusSentences, readConllCorpus } from '@twner/conll';
import { locateDataset, wnut16Spec } from '@twner/tagger';
import { checkIob2, EXIT_USAGE, labelsFromData, TaggerError, TrainingError } from '@twner/tagger';

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
  const out = { dir, train: cut(train, limits.limitTrain), dev: cut(dev, limits.limitEval), test: cut(test, limits.limitEval) };
  // Bad training data fails here, with its place, before any model is loaded.
  if (out.train.length === 0) throw new TrainingError(`${join(dir, 'train.conll')} holds no sentences: nothing to train on`);
  checkIob2(out.train.map((t) => ({ tokens: t.words, tags: t.tags })), 'training');
  checkIob2(out.dev.map((t) => ({ tokens: t.words, tags: t.tags })), 'dev');
  return { ...out, labels: labelListOf(train) };
}

/** `O`, then `B-`/`I-` of every type in sorted order: the label set of a model trained on `tweets`. */
export function labelListOf(tweets: readonly TaggedTweet[]): string[] {
  return labelsFromData(tweets.map((t) => t.tags));
}
