import { createReadStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { EXIT_USAGE, TaggerError } from '@twner/tagger';
import { numberOption, runAction } from './common';
import { parseNumberText } from '../number-text';
import { utf8Lines } from '../text-lines';
import { checkOutputFolder } from '../output-folder';

interface TrendsCliOptions {
  file: string;
  timeField: string;
  textField: string;
  model?: string;
  lexiconDir?: string;
  windows: string;
  limit: number;
  charts: string;
  force?: boolean;
}

interface Pending {
  at: number;
  text?: string;
  entities?: { type: string; text: string }[];
}

/** `twner trends --file tweets.jsonl`: tags an archive (or takes its `entities`), then the trend tables and charts. */
async function trendsCommand(opts: TrendsCliOptions): Promise<void> {
  const [trends, { loadTagger }, { writeChart }] = await Promise.all([import('@twner/trends'), import('@twner/tagger'), import('../charts/render')]);
  const windows = opts.windows.split(',').map((w) => parseNumberText(w, true));
  if (windows.some((w) => !Number.isInteger(w) || w < 1)) throw new TaggerError(`--windows: comma-separated whole seconds, such as 300,3600,86400; received ${JSON.stringify(opts.windows)}`, EXIT_USAGE);
  if (opts.charts !== '') checkOutputFolder(opts.charts, '--charts', opts.force === true);
  const name = opts.file === '-' ? '<stdin>' : opts.file;
  const input = opts.file === '-' ? process.stdin : createReadStream(opts.file);
  const failed = new Promise<never>((_, reject) => input.once('error', (e: Error) => reject(new TaggerError(`cannot read ${name}: ${e.message}`, EXIT_USAGE, { cause: e }))));
  let tagger: Awaited<ReturnType<typeof loadTagger>> | null = null;
  async function* records(): AsyncGenerator<{ at: number; entities: { type: string; text: string }[] }> {
    let batch: Pending[] = [];
    const flush = async function* (): AsyncGenerator<{ at: number; entities: { type: string; text: string }[] }> {
      const toTag = batch.filter((p) => p.entities === undefined);
      if (toTag.length > 0) {
        tagger ??= await loadTagger(opts.model, opts.lexiconDir ? { lexiconDir: opts.lexiconDir } : {});
        tagger.tagBatch(toTag.map((p) => p.text ?? '')).forEach((t, i) => (toTag[i].entities = t.entities.map((e) => ({ type: e.type, text: e.text }))));
      }
      for (const p of batch) yield { at: p.at, entities: p.entities ?? [] };
      batch = [];
    };
    for await (const { text: line, n } of utf8Lines(input as Readable, name)) {
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new TaggerError(`${name}:${n}: not valid JSON (${(error as Error).message})`, EXIT_USAGE);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TaggerError(`${name}:${n}: expected a JSON object per line`, EXIT_USAGE);
      const rec = value as Record<string, unknown>;
      const at = trends.parseTimestamp(rec[opts.timeField], `${name}:${n}`, opts.timeField);
      if (Array.isArray(rec.entities)) batch.push({ at, entities: checkedEntities(rec.entities, `${name}:${n}`) });
      else if (typeof rec[opts.textField] === 'string') batch.push({ at, text: rec[opts.textField] as string });
      else throw new TaggerError(`${name}:${n}: needs a string "${opts.textField}" (or an "entities" array); choose the field with --text-field`, EXIT_USAGE);
      if (batch.length >= 256) yield* flush();
    }
    yield* flush();
  }
  const report = await Promise.race([trends.trendsFromRecords(records(), { windows, limit: opts.limit }), failed]);
  if (tagger) await (tagger as { dispose(): Promise<void> }).dispose();
  process.stdout.write(`${trends.formatTrendsTable(report)}\n`);
  if (opts.charts !== '') {
    await mkdir(opts.charts, { recursive: true });
    const written: string[] = [];
    for (const chart of trends.trendsCharts(report)) written.push(...(await writeChart(chart.spec as never, join(opts.charts, chart.name))));
    process.stderr.write(`charts: ${written.join(', ')}\n`);
  }
}

export function registerTrendsCommand(program: Command): void {
  program
    .command('trends')
    .description('Entity trends of an archive of timestamped tweets (JSONL): top and rising entities per type over windows, with charts (SVG + PNG)')
    .requiredOption('--file <path|->', 'JSONL, one tweet per line with a time field and a text (or an "entities" array, as `twner worker` writes)')
    .option('--time-field <name>', 'field with the time (ISO 8601, epoch seconds or milliseconds, or Twitter\'s created_at format)', 'created_at')
    .option('--text-field <name>', 'field with the text', 'text')
    .option('--model <dir|package>', 'model that tags texts (default: @twner/model-wnut16)')
    .option('--lexicon-dir <dir>', 'gazetteer folder')
    .option('--windows <list>', 'windows in seconds, comma-separated', '300,3600,86400')
    .option('--limit <n>', 'entities per type and view', numberOption('--limit', true, 1), 10)
    .option('--charts <dir>', 'folder for the charts ("" for none)', 'trends-charts')
    .option('--force', 'write the charts into --charts even when it holds files (those of the same name are replaced)')
    .action(runAction(async (opts: TrendsCliOptions) => trendsCommand(opts)));
}

/** A line's `entities`, each an object with a string `type` and `text` (what `twner predict --format json` writes). */
function checkedEntities(list: unknown[], where: string): { type: string; text: string }[] {
  return list.map((e, i) => {
    const rec = typeof e === 'object' && e !== null && !Array.isArray(e) ? (e as Record<string, unknown>) : null;
    if (rec === null || typeof rec.type !== 'string' || typeof rec.text !== 'string' || rec.type === '') {
      throw new TaggerError(`${where}: entities[${i}] must be an object with a string "type" and "text" (as \`twner predict --format json\` writes), got ${JSON.stringify(e)?.slice(0, 80)}`, EXIT_USAGE);
    }
    return { type: rec.type, text: rec.text };
  });
}
