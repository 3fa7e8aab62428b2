import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { Option } from 'commander';
import { getEntities } from '@twner/metrics-seqeval';
import { findLexicon } from '../data/lexicon';
import { tokenizeTweet } from '../features/tokenize';
import { loadBundle, type LoadedTagger, type SavedConfig } from '../run-folder/bundle';
import { loadServing, servingSupport } from '../serving';
import { CliError, EXIT_USAGE } from '../errors';
import { announceBackend, numberOption, runAction } from './common';
import { isBertRun, predictBertCommand } from '../bert/predict';
import type { BackendName } from '../backend';

export interface TaggedText {
  text: string;
  tokens: string[];
  tags: string[];
  entities: { type: string; text: string; start: number; end: number }[];
}

/** What tags tokenised tweets: the serving path or the tfjs `LoadedTagger`. */
export type SentenceTagger = Pick<LoadedTagger, 'tag'>;

export function tagTexts(tagger: SentenceTagger, texts: readonly string[]): TaggedText[] {
  const tokens = texts.map(tokenizeTweet);
  const tags = tagger.tag(tokens);
  return texts.map((text, i) => ({
    text,
    tokens: tokens[i],
    tags: tags[i],
    // seqeval's spans end inclusive; ours are end-exclusive.
    entities: getEntities(tags[i]).map(([type, start, last]) => ({ type, start, end: last + 1, text: tokens[i].slice(start, last + 1).join(' ') })),
  }));
}

/** A token/tag table followed by the entity spans. */
export function formatTagged(t: TaggedText): string {
  const width = Math.max(5, ...t.tokens.map((x) => x.length));
  const rows = t.tokens.map((tok, i) => `  ${tok.padEnd(width)}  ${t.tags[i]}`);
  const spans = t.entities.length === 0 ? '  (no entities)' : t.entities.map((e) => `  [${e.type}] ${e.text}  (tokens ${e.start}–${e.end})`).join('\n');
  return [`> ${t.text}`, `  ${'token'.padEnd(width)}  tag`, ...rows, '  entities:', spans, ''].join('\n');
}

interface PredictOptions {
  model: string;
  file?: string;
  lexiconDir?: string;
  backend: BackendName;
  format: 'table' | 'json' | 'conll';
  engine: 'auto' | 'serving' | 'tfjs';
  threads: '1' | '2';
  batchLines: number;
  flushMs: number;
}

function emit(t: TaggedText, format: PredictOptions['format']): void {
  if (format === 'json') process.stdout.write(`${JSON.stringify(t)}\n`);
  else if (format === 'conll') process.stdout.write(`${t.tokens.map((tok, i) => `${tok}\t${t.tags[i]}`).join('\n')}\n\n`);
  else process.stdout.write(`${formatTagged(t)}\n`);
}

/**
 * Tags a stream line by line in micro-batches: a batch is tagged when it holds `batchLines`
 * lines, when `flushMs` have passed since its first line arrived, or at the end of the input.
 * Tagging is synchronous, so the output keeps the input order.
 */
async function streamLines(input: NodeJS.ReadableStream, tagger: SentenceTagger, opts: PredictOptions): Promise<void> {
  let pending: string[] = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    for (const t of tagTexts(tagger, batch)) emit(t, opts.format);
  };
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    pending.push(line);
    if (pending.length >= opts.batchLines) flush();
    else if (timer === null) timer = setTimeout(flush, opts.flushMs);
  }
  flush();
}

export function registerPredictCommand(program: Command): void {
  program
    .command('predict')
    .description('Tag tweets with a trained run: text arguments, --file (one tweet per line) or - (stdin, streaming)')
    .argument('[text...]', 'tweets to tag; "-" reads stdin line by line')
    .requiredOption('--model <runDir>', 'a run folder written by `twner run` (runs/<timestamp>-bilstm-crf)')
    .option('--file <path>', 'a file with one tweet per line')
    .option('--lexicon-dir <dir>', 'gazetteer folder (else $TWNER_LEXICON_DIR, ../shared/data/wnut16-lexicon, cache, download)')
    .addOption(new Option('--format <format>', 'output').choices(['table', 'json', 'conll']).default('table'))
    .addOption(
      new Option('--engine <engine>', 'serving: InferenceBiLstm + CRFDecoder, no tfjs (notebook arch); tfjs: model.predict; auto: serving where the arch allows')
        .choices(['auto', 'serving', 'tfjs'])
        .default('auto'),
    )
    .addOption(new Option('--threads <n>', 'threads of the serving engine').choices(['1', '2']).default('1'))
    .option('--batch-lines <n>', 'streaming: tag at most this many lines at once', numberOption('--batch-lines', true, 1), 64)
    .option('--flush-ms <ms>', 'streaming: tag what has arrived after this many milliseconds', numberOption('--flush-ms', false, 0), 20)
    .addOption(new Option('--backend <name>', 'tfjs backend (--engine tfjs)').choices(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'))
    .action(
      runAction(async (texts: string[], opts: PredictOptions) => {
        const fromStdin = texts.length === 1 && texts[0] === '-';
        if (!fromStdin && texts.length === 0 && !opts.file) {
          throw new CliError('nothing to tag: give text, --file <path> or - for stdin', EXIT_USAGE);
        }
        if (await isBertRun(opts.model)) {
          await announceBackend(opts.backend, (l) => process.stderr.write(`${l}\n`));
          return predictBertCommand(opts.model, texts, opts);
        }
        const { readFile } = await import('node:fs/promises');
        const cfg = JSON.parse(await readFile(`${opts.model}/config.json`, 'utf8').catch(() => {
          throw new CliError(`${opts.model} is not a twner run folder: config.json is missing`, EXIT_USAGE);
        })) as SavedConfig;
        const support = servingSupport(cfg);
        let tagger: SentenceTagger & { dispose(): unknown };
        if (opts.engine === 'serving' || (opts.engine === 'auto' && support.ok)) {
          const threads = opts.threads === '2' ? 2 : 1;
          const serving = await loadServing(opts.model, { threads });
          process.stderr.write(`Engine: serving (InferenceBiLstm on ${serving.net.kernels} kernels, ${threads} thread${threads > 1 ? 's' : ''}, CRFDecoder; no tfjs)\n`);
          tagger = serving;
        } else {
          await announceBackend(opts.backend, (l) => process.stderr.write(`${l}\n`));
          process.stderr.write(`Engine: tfjs (model.predict + CRFDecoder)${support.ok ? '' : ` — ${support.reason}`}\n`);
          const gaz = (cfg.gazetteerLists ?? []).length > 0
            ? (await findLexicon(opts.lexiconDir, { names: cfg.gazetteerLists })).gazetteer
            : null;
          tagger = await loadBundle(opts.model, gaz);
        }
        if (fromStdin || opts.file) {
          const input = fromStdin ? process.stdin : createReadStream(opts.file!);
          input.on('error', (e: Error) => {
            process.stderr.write(`twner: cannot read ${opts.file}: ${e.message}\n`);
            process.exit(EXIT_USAGE);
          });
          await streamLines(input, tagger, opts);
        } else {
          for (const t of tagTexts(tagger, texts)) emit(t, opts.format);
        }
        await tagger.dispose();
      }),
    );
}
