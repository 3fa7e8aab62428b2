/**
 * `twner predict --model runs/…-bert "text"`: the run's model and tokenizer, its aggregation
 * and max length, applied to raw text; entities come back with character offsets and scores.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BertForTokenClassification, BertNerError, BertTokenizer } from '@twner/bert-ner';
export { isBertRun } from './run-dir';
import { TaggerError, EXIT_USAGE } from '@twner/tagger';
import { entitySpans, type EntitySpan, formatEntitySpans, splitWords } from './entities';
import { readBertRun } from './run-dir';
import { BertTagger } from './tagger';

export interface BertPrediction {
  text: string;
  /** Whitespace-separated words of the text. */
  tokens: string[];
  /** One IOB2 tag per word. */
  tags: string[];
  /** Probability of each word's tag. */
  scores: number[];
  entities: EntitySpan[];
}

/** A loaded BERT run, reusable for many calls; `dispose()` frees the weights. */
export interface LoadedBertRun {
  tagger: BertTagger;
  predict(texts: readonly string[]): Promise<BertPrediction[]>;
  dispose(): void;
}

export async function loadBertRun(runDir: string): Promise<LoadedBertRun> {
  const info = await readBertRun(runDir);
  const dir = join(runDir, info.modelDir);
  // A run's model is a local folder: never let a missing one be taken for a Hub id and downloaded.
  if (!existsSync(join(dir, 'config.json'))) {
    throw new TaggerError(`${runDir}: ${join(info.modelDir, 'config.json')} is missing (a damaged or half-copied BERT run; train it again or copy it whole)`, EXIT_USAGE);
  }
  let model: BertForTokenClassification;
  let tokenizer: BertTokenizer;
  try {
    model = await BertForTokenClassification.fromPretrained(dir);
    tokenizer = BertTokenizer.fromPretrained(dir);
  } catch (error) {
    if (error instanceof BertNerError) throw new TaggerError(`${runDir}: cannot load the model in ${dir}: ${error.message}`, EXIT_USAGE, { cause: error });
    throw error;
  }
  const tagger = new BertTagger(model, tokenizer, { aggregation: info.aggregation, maxLength: info.maxLength });
  return {
    tagger,
    async predict(texts) {
      const words = texts.map((t) => splitWords(t));
      const { tags, scores } = await tagger.tagWords(words.map((ws) => ws.map((w) => w.text)));
      return texts.map((text, i) => ({
        text,
        tokens: words[i].map((w) => w.text),
        tags: tags[i],
        scores: scores[i],
        entities: entitySpans(text, words[i], tags[i], scores[i]),
      }));
    },
    dispose: () => model.dispose(),
  };
}

/** Loads the run in `runDir`, tags `texts`, frees the model. */
export async function predictWithBert(runDir: string, texts: readonly string[]): Promise<BertPrediction[]> {
  const run = await loadBertRun(runDir);
  try {
    return await run.predict(texts);
  } finally {
    run.dispose();
  }
}

/** The text, its word/tag pairs, then one line per entity with `[start, end)` and score. */
export function formatBertPrediction(p: BertPrediction): string {
  const pairs = p.tokens.map((t, i) => (p.tags[i] === 'O' ? t : `${t}/${p.tags[i]}`)).join(' ');
  return `${p.text}\n  ${pairs}\n${formatEntitySpans(p.entities)}`;
}

export interface BertPredictCommandOptions {
  /** A file with one tweet per line. */
  file?: string;
  /** `table` (default): words/tags and entity lines; `json`: one object per line; `conll`: word<TAB>tag. */
  format?: 'table' | 'json' | 'conll';
  write?: (text: string) => void;
}

/**
 * What `twner predict --model <bert run>` does: tags the texts (or each non-empty line of
 * `file`, or of stdin when `texts` is `['-']`) and prints them in `format`.
 */
export async function predictBertCommand(runDir: string, texts: readonly string[], options: BertPredictCommandOptions = {}): Promise<void> {
  const write = options.write ?? ((t: string) => process.stdout.write(t));
  const fromStdin = texts.length === 1 && texts[0] === '-';
  if (!fromStdin && texts.length === 0 && !options.file) throw new TaggerError('nothing to tag: give text, --file <path> or - for stdin', EXIT_USAGE);
  const run = await loadBertRun(runDir);
  const emit = (p: BertPrediction): void => {
    if (options.format === 'json') write(`${JSON.stringify(p)}\n`);
    else if (options.format === 'conll') write(`${p.tokens.map((t, i) => `${t}\t${p.tags[i]}`).join('\n')}\n\n`);
    else write(`${formatBertPrediction(p)}\n`);
  };
  try {
    if (fromStdin || options.file) {
      const { createReadStream } = await import('node:fs');
      const { utf8Lines } = await import('../text-lines');
      const input = fromStdin ? process.stdin : createReadStream(options.file ?? '');
      const failed = new Promise<never>((_, reject) =>
        input.once('error', (e: Error) => reject(new TaggerError(`cannot read ${options.file}: ${e.message}`, EXIT_USAGE, { cause: e }))),
      );
      const lines = (async () => {
        for await (const { text: line } of utf8Lines(input, fromStdin ? '<stdin>' : (options.file ?? ''))) {
          if (line.trim() !== '') (await run.predict([line])).forEach(emit);
        }
      })();
      await Promise.race([lines, failed]);
    } else {
      (await run.predict(texts)).forEach(emit);
    }
  } finally {
    run.dispose();
  }
}
