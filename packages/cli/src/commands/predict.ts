import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Option, type Command } from 'commander';
import { readConll } from '@twner/conll';
import { EXIT_USAGE, TaggerError, type TaggedText, type Tagger } from '@twner/tagger';
import { loadTagger, type EngineName, type PrecisionName } from '../load-tagger';
import { membersOption, numberOption, precisionOption, runAction } from './common';
import { utf8Lines } from '../text-lines';

/** A token/tag table followed by the entity spans. */
export function formatTagged(t: TaggedText): string {
  const width = Math.max(5, ...t.tokens.map((x) => x.text.length));
  const rows = t.tokens.map((tok, i) => `  ${tok.text.padEnd(width)}  ${t.tags[i]}`);
  const spans = t.entities.length === 0
    ? '  (no entities)'
    : t.entities.map((e) => `  [${e.type}] ${e.text}  (chars ${e.start}–${e.end}, score ${e.score.toFixed(3)})`).join('\n');
  return [`> ${t.text}`, `  ${'token'.padEnd(width)}  tag`, ...rows, '  entities:', spans, ''].join('\n');
}

export interface PredictOptions {
  model?: string;
  file?: string;
  lexiconDir?: string;
  format: 'table' | 'json' | 'conll';
  inputFormat: 'text' | 'jsonl' | 'conll';
  textField: string;
  engine: EngineName;
  threads: '1' | '2';
  precision?: PrecisionName;
  members?: number;
  batchLines: number;
  flushMs: number;
}

/** One input item: its text (or tokens, for CoNLL input), gold tags if any, fields passed through (JSONL). */
interface Item {
  text?: string;
  tokens?: string[];
  gold?: (string | undefined)[];
  extra?: Record<string, unknown>;
  where: string;
}

/** The JSON line of a tagged item: the tagger's shape, plus the JSONL input's other fields. */
function jsonOf(t: TaggedText, item: Item): Record<string, unknown> {
  return { ...(item.extra ?? {}), text: t.text, tokens: t.tokens, tags: t.tags, entities: t.entities };
}

function emit(t: TaggedText, item: Item, format: PredictOptions['format'], write: (s: string) => void): void {
  if (format === 'json') write(`${JSON.stringify(jsonOf(t, item))}\n`);
  else if (format === 'conll') {
    const gold = item.gold;
    write(`${t.tokens.map((tok, i) => (gold && gold[i] !== undefined ? `${tok.text} ${gold[i]} ${t.tags[i]}` : `${tok.text}\t${t.tags[i]}`)).join('\n')}\n\n`);
  } else write(`${formatTagged(t)}\n`);
}

function tagItems(tagger: Tagger, items: readonly Item[]): TaggedText[] {
  const out: TaggedText[] = new Array(items.length);
  const texts = items.map((it, i) => [it, i] as const).filter(([it]) => it.tokens === undefined);
  const tokens = items.map((it, i) => [it, i] as const).filter(([it]) => it.tokens !== undefined);
  tagger.tagBatch(texts.map(([it]) => it.text ?? '')).forEach((t, k) => (out[texts[k][1]] = t));
  tagger.tagTokens(tokens.map(([it]) => it.tokens ?? [])).forEach((t, k) => (out[tokens[k][1]] = t));
  return out;
}

/** A JSONL line as an item: the text field must be a string. */
function jsonlItem(line: string, where: string, field: string): Item {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new TaggerError(`${where}: not valid JSON (${(error as Error).message}): ${JSON.stringify(line.slice(0, 80))}${line.length > 80 ? '…' : ''}`, EXIT_USAGE);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TaggerError(`${where}: expected a JSON object per line`, EXIT_USAGE);
  const text = (value as Record<string, unknown>)[field];
  if (typeof text !== 'string') {
    throw new TaggerError(`${where}: field "${field}" is ${text === undefined ? 'missing' : `not a string (${typeof text})`}; choose the field with --text-field`, EXIT_USAGE);
  }
  return { text, extra: value as Record<string, unknown>, where };
}

/**
 * Tags a stream line by line in micro-batches: a batch is tagged when it holds `batchLines`
 * lines, when `flushMs` have passed since its first line arrived, or at the end of the input.
 * Tagging is synchronous, so the output keeps the input order.
 */
async function streamLines(input: NodeJS.ReadableStream, name: string, tagger: Tagger, opts: PredictOptions, write: (s: string) => void): Promise<void> {
  let pending: Item[] = [];
  let timer: NodeJS.Timeout | null = null;
  let failure: unknown = null;
  const flush = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    try {
      tagItems(tagger, batch).forEach((t, i) => emit(t, batch[i], opts.format, write));
    } catch (error) {
      failure = error;
    }
  };
  for await (const { text: line, n } of utf8Lines(input as Readable, name)) {
    if (failure) throw failure;
    if (line.trim() === '') continue;
    pending.push(opts.inputFormat === 'jsonl' ? jsonlItem(line, `${name}:${n}`, opts.textField) : { text: line, where: `${name}:${n}` });
    if (pending.length >= opts.batchLines) flush();
    else if (timer === null) timer = setTimeout(flush, opts.flushMs);
  }
  flush();
  if (failure) throw failure;
}

/** Whether the first token line of a CoNLL source has a second column (a gold tag). */
async function conllHasTags(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(65536), 0, 65536, 0);
    const first = buffer.subarray(0, bytesRead).toString('utf8').split(/\r\n|\r|\n/).find((l) => l.trim() !== '' && !l.startsWith('-DOCSTART-'));
    return first !== undefined && first.trim().split(/\t| +/).length >= 2;
  } finally {
    await handle.close();
  }
}

async function tagConll(file: string, tagger: Tagger, opts: PredictOptions, write: (s: string) => void): Promise<void> {
  const tagged = await conllHasTags(file);
  let batch: Item[] = [];
  let k = 0;
  const flush = (): void => {
    tagItems(tagger, batch).forEach((t, i) => emit(t, batch[i], opts.format, write));
    batch = [];
  };
  let width = -1;
  for await (const s of readConll(file, { tagged })) {
    k++;
    // every token line as wide as the first: a line with one field more or fewer would shift its tag into a token or out of the output
    s.tokens.forEach((t, i) => {
      const fields = 1 + t.columns.length + (tagged ? 1 : 0);
      if (width < 0) width = fields;
      else if (fields !== width) {
        throw new TaggerError(`${file}: sentence ${k}${s.line !== undefined ? ` (line ${s.line + i})` : ''}, token ${i + 1} (${JSON.stringify(t.text)}): ${fields} fields where the file's first token line has ${width}`, EXIT_USAGE);
      }
    });
    batch.push({ tokens: s.tokens.map((t) => t.text), gold: tagged ? s.tokens.map((t) => t.tag) : undefined, where: `${file}: sentence ${k}` });
    if (batch.length >= 256) flush();
  }
  flush();
}

export async function predictCommand(texts: string[], opts: PredictOptions, write: (s: string) => void = (s) => void process.stdout.write(s)): Promise<void> {
  const fromStdin = texts.length === 1 && texts[0] === '-';
  if (!fromStdin && texts.length === 0 && !opts.file) throw new TaggerError('nothing to tag: give text, --file <path> or - for stdin', EXIT_USAGE);
  // one source of input: nothing given is silently left out
  if (texts.length > 1 && texts.includes('-')) throw new TaggerError('- (read stdin) cannot be mixed with texts to tag: give either texts or -', EXIT_USAGE);
  if (opts.file !== undefined && texts.length > 0) {
    throw new TaggerError(`--file ${opts.file} and ${fromStdin ? '- (stdin)' : 'texts on the command line'} both give input: give one of them`, EXIT_USAGE);
  }
  if (opts.inputFormat === 'conll' && !opts.file) throw new TaggerError('--input-format conll reads a file: give --file <path>', EXIT_USAGE);
  if (opts.model !== undefined) {
    const { isBertRun, predictBertCommand } = await import('../bert/predict');
    if (await isBertRun(opts.model)) {
      if (opts.members !== undefined) throw new TaggerError(`--members chooses networks of a BiLSTM-CRF ensemble; ${opts.model} is a BERT run (one network)`, EXIT_USAGE);
      const { announceBackend } = await import('./common');
      await announceBackend('auto', (l) => process.stderr.write(`${l}\n`));
      return predictBertCommand(opts.model, texts, opts);
    }
  }
  const tagger = await loadTagger(opts.model, {
    engine: opts.engine,
    threads: opts.threads === '2' ? 2 : 1,
    ...(opts.precision ? { precision: opts.precision } : {}),
    ...(opts.members !== undefined ? { members: opts.members } : {}),
    lexiconDir: opts.lexiconDir,
    log: (l) => process.stderr.write(`${l}\n`),
  });
  try {
    if (opts.inputFormat === 'conll') await tagConll(opts.file!, tagger, opts, write);
    else if (fromStdin || opts.file) {
      const input = fromStdin ? process.stdin : createReadStream(opts.file!);
      const failed = new Promise<never>((_, reject) =>
        input.once('error', (e: Error) => reject(new TaggerError(`cannot read ${opts.file}: ${e.message}`, EXIT_USAGE, { cause: e }))),
      );
      await Promise.race([streamLines(input, fromStdin ? '<stdin>' : opts.file!, tagger, opts, write), failed]);
    } else {
      const items: Item[] = texts.map((text, i) => (opts.inputFormat === 'jsonl' ? jsonlItem(text, `argument ${i + 1}`, opts.textField) : { text, where: `argument ${i + 1}` }));
      tagItems(tagger, items).forEach((t, i) => emit(t, items[i], opts.format, write));
    }
  } finally {
    await tagger.dispose();
  }
}

export function registerPredictCommand(program: Command): void {
  program
    .command('predict')
    .description('Tag tweets: text arguments, --file (one tweet per line, JSONL or CoNLL) or - (stdin, streaming); default model: the bundled @twner/model-wnut16')
    .argument('[text...]', 'tweets to tag; "-" reads stdin line by line')
    .option('--model <dir|package>', 'a run folder (runs/<timestamp>-bilstm-crf, a BERT run) or an installed model package (default: @twner/model-wnut16)')
    .option('--file <path>', 'input file')
    .addOption(new Option('--input-format <format>', 'text: one tweet per line; jsonl: one JSON object per line (see --text-field; other fields are passed through); conll: pre-tokenised CoNLL, tokens kept (with a gold column, --format conll writes "token gold pred")').choices(['text', 'jsonl', 'conll']).default('text'))
    .option('--text-field <name>', 'JSONL: the field holding the text', 'text')
    .option('--lexicon-dir <dir>', 'gazetteer folder (default: the model\'s own lexicon/, else $TWNER_LEXICON_DIR, ../shared/data/wnut16-lexicon, cache, download)')
    .addOption(new Option('--format <format>', 'output').choices(['table', 'json', 'conll']).default('table'))
    .addOption(new Option('--engine <engine>', 'serving: the tfjs-free engine; tfjs: model.predict; auto: the same as serving (a model it cannot run is refused with the reason)').choices(['auto', 'serving', 'tfjs']).default('auto'))
    .addOption(new Option('--threads <n>', 'threads of the serving engine').choices(['1', '2']).default('1'))
    .addOption(precisionOption())
    .addOption(membersOption())
    .option('--batch-lines <n>', 'streaming: tag at most this many lines at once', numberOption('--batch-lines', true, 1), 256)
    .option('--flush-ms <ms>', 'streaming: tag what has arrived after this many milliseconds', numberOption('--flush-ms', false, 0), 20)
    .action(runAction(async (texts: string[], opts: PredictOptions) => predictCommand(texts, opts)));
}
