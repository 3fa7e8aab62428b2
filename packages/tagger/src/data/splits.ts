import { join } from 'node:path';
import { locateDataset, wnut16Spec } from './locate';
import { EXIT_USAGE, TaggerError } from '../errors';
import { readConllFile, type Sentence } from './sentences';

export interface Splits {
  train: Sentence[];
  dev: Sentence[];
  test: Sentence[];
}

export interface SplitOptions {
  dataDir?: string;
  limitTrain?: number;
  limitDev?: number;
  limitTest?: number;
}

/** Finds WNUT16 (see `locate.ts`), prints where from, reads the three splits (optionally cut). */
export async function loadSplits(opts: SplitOptions, log: (line: string) => void): Promise<Splits & { dir: string }> {
  const found = await locateDataset(wnut16Spec(), { dir: opts.dataDir, log });
  log(`Data: ${found.dir} (${found.source})`);
  const cut = (s: Sentence[], n?: number): Sentence[] => (n === undefined ? s : s.slice(0, n));
  const [train, dev, test] = await Promise.all(
    ['train', 'dev', 'test'].map((name) => readConllFile(join(found.dir, `${name}.conll`))),
  );
  for (const [name, split] of [['train', train], ['dev', dev], ['test', test]] as const) {
    if (split.length === 0) throw new TaggerError(`${join(found.dir, `${name}.conll`)}: no sentences (an empty or truncated file?)`, EXIT_USAGE);
  }
  return { dir: found.dir, train: cut(train, opts.limitTrain), dev: cut(dev, opts.limitDev), test: cut(test, opts.limitTest) };
}
