/**
 * The WNUT16 splits for the BERT experiment: found on disk (flag, `TWNER_DATA_DIR`, or a
 * `shared/data/wnut16` folder above the working directory) and read with `@twner/conll`.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConllParseError, corpusSentences, readConllCorpus } from '@twner/conll';
import { CliError, DataNotFoundError, EXIT_USAGE } from '../errors';

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

function holdsSplits(dir: string): boolean {
  return SPLITS.every((s) => existsSync(join(dir, `${s}.conll`)));
}

/** Where the three `<split>.conll` files are; throws a usage error naming what was tried. */
export function locateWnut16(dataDir: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const tried: string[] = [];
  const explicit = dataDir ?? env.TWNER_DATA_DIR;
  if (explicit !== undefined) {
    const dir = resolve(cwd, explicit);
    if (holdsSplits(dir)) return dir;
    throw new DataNotFoundError(
      `${dataDir !== undefined ? '--data-dir' : 'TWNER_DATA_DIR'} ${explicit}: expected train.conll, dev.conll and test.conll in it`,
    );
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const candidate of [join(dir, 'shared', 'data', 'wnut16'), join(dir, 'data', 'wnut16')]) {
      tried.push(candidate);
      if (holdsSplits(candidate)) return candidate;
    }
    if (dirname(dir) === dir) break;
  }
  throw new DataNotFoundError(
    `WNUT16 not found: pass --data-dir <dir> (or set TWNER_DATA_DIR) to a folder with train.conll, dev.conll and test.conll; looked in ${tried.slice(0, 4).join(', ')}, …`,
  );
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
    if (error instanceof ConllParseError) throw new CliError(error.message, EXIT_USAGE, { cause: error });
    throw error;
  }
}

/** Reads train, dev and test; `limitTrain` / `limitEval` keep the first N tweets (0 = all). */
export async function loadWnut16(dataDir: string | undefined, limits: { limitTrain?: number; limitEval?: number } = {}): Promise<Wnut16> {
  const dir = locateWnut16(dataDir);
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
