import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { Option } from 'commander';
import { getEntities } from '@twner/metrics-seqeval';
import { locateDataset, lexiconSpec } from '../data/locate';
import { loadLexicon } from '../data/lexicon';
import { tokenizeTweet } from '../features/tokenize';
import { loadBundle, type LoadedTagger } from '../run-folder/bundle';
import { CliError, EXIT_USAGE } from '../errors';
import { announceBackend, runAction } from './common';
import { isBertRun, predictBertCommand } from '../bert/predict';
import type { BackendName } from '../backend';

export interface TaggedText {
  text: string;
  tokens: string[];
  tags: string[];
  entities: { type: string; text: string; start: number; end: number }[];
}

export function tagTexts(tagger: LoadedTagger, texts: readonly string[]): TaggedText[] {
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
}

function emit(t: TaggedText, format: PredictOptions['format']): void {
  if (format === 'json') process.stdout.write(`${JSON.stringify(t)}\n`);
  else if (format === 'conll') process.stdout.write(`${t.tokens.map((tok, i) => `${tok}\t${t.tags[i]}`).join('\n')}\n\n`);
  else process.stdout.write(`${formatTagged(t)}\n`);
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
    .addOption(new Option('--backend <name>', 'tfjs backend').choices(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'))
    .action(
      runAction(async (texts: string[], opts: PredictOptions) => {
        const fromStdin = texts.length === 1 && texts[0] === '-';
        if (!fromStdin && texts.length === 0 && !opts.file) {
          throw new CliError('nothing to tag: give text, --file <path> or - for stdin', EXIT_USAGE);
        }
        await announceBackend(opts.backend, (l) => process.stderr.write(`${l}\n`));
        if (await isBertRun(opts.model)) return predictBertCommand(opts.model, texts, opts);
        const { readFile } = await import('node:fs/promises');
        const cfg = JSON.parse(await readFile(`${opts.model}/config.json`, 'utf8').catch(() => {
          throw new CliError(`${opts.model} is not a twner run folder: config.json is missing`, EXIT_USAGE);
        })) as { gazetteerLists?: string[] };
        const gaz = (cfg.gazetteerLists ?? []).length > 0
          ? await loadLexicon((await locateDataset(lexiconSpec(), { dir: opts.lexiconDir })).dir, cfg.gazetteerLists)
          : null;
        const tagger = await loadBundle(opts.model, gaz);
        if (fromStdin || opts.file) {
          const input = fromStdin ? process.stdin : createReadStream(opts.file!);
          input.on('error', (e: Error) => {
            process.stderr.write(`twner: cannot read ${opts.file}: ${e.message}\n`);
            process.exit(EXIT_USAGE);
          });
          for await (const line of createInterface({ input, crlfDelay: Infinity })) {
            if (line.trim() === '') continue;
            emit(tagTexts(tagger, [line])[0], opts.format);
          }
        } else {
          for (const t of tagTexts(tagger, texts)) emit(t, opts.format);
        }
        tagger.dispose();
      }),
    );
}
