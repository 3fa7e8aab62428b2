import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { datasetStats, formatStats, type ConllSentence, type DatasetStats } from '@twner/conll';
import { writeChart } from '../charts/render';
import { barChart, groupedBars, lengthHistogram } from '../charts/specs';
import type { Sentence } from '@twner/tagger';
import { loadSplits, type Splits } from '@twner/tagger';
import { commonOptions, runAction, type CommonOptions } from './common';
import { checkOutputFolder } from '../output-folder';

const SPLITS = ['train', 'dev', 'test'] as const;

function toConll(sentences: readonly Sentence[]): ConllSentence[] {
  return sentences.map((s) => ({ tokens: s.tokens.map((text, i) => ({ text, tag: s.tags[i], columns: [] })) }));
}

export interface EdaResult {
  stats: Record<string, DatasetStats>;
  files: string[];
}

/** Notebook §4.4–4.7: statistics table per split, tag/length/entity charts as SVG + PNG. */
export async function runEda(splits: Splits, outDir: string, log: (line: string) => void): Promise<EdaResult> {
  await mkdir(outDir, { recursive: true });
  const stats: Record<string, DatasetStats> = {};
  const tables: string[] = [];
  for (const name of SPLITS) {
    stats[name] = datasetStats(toConll(splits[name]));
    tables.push(formatStats(stats[name], name));
  }
  const table = tables.join('\n\n');
  log(table);
  const files = [join(outDir, 'stats.txt'), join(outDir, 'stats.json')];
  await writeFile(files[0], `${table}\n`);
  await writeFile(files[1], `${JSON.stringify(stats, null, 2)}\n`);
  const trainTags = Object.entries(stats.train.tagCounts).map(([name, count]) => ({ name, count }));
  files.push(...(await writeChart(barChart('Tag distribution (train)', trainTags, 'tokens'), join(outDir, 'tags'))));
  files.push(
    ...(await writeChart(
      barChart('Tag distribution without O (train)', trainTags.filter((r) => r.name !== 'O'), 'tokens'),
      join(outDir, 'tags-without-o'),
    )),
  );
  const lengths = SPLITS.flatMap((split) => splits[split].map((s) => ({ split, length: s.tokens.length })));
  files.push(...(await writeChart(lengthHistogram(lengths), join(outDir, 'sentence-lengths'))));
  const entities = Object.entries(stats).flatMap(([series, st]) =>
    Object.entries(st.entityCounts).map(([name, value]) => ({ name, series, value })),
  );
  files.push(...(await writeChart(groupedBars('Entities per type', entities, 'entities'), join(outDir, 'entities-per-type'))));
  log(`EDA charts and tables written to ${outDir}`);
  return { stats, files };
}

export function registerEdaCommand(program: Command): void {
  commonOptions(
    program
      .command('eda')
      .description('Exploratory statistics of WNUT16: table per split and charts (SVG + PNG)')
      .option('--out <dir>', 'output folder', join('runs', 'eda'))
      .option('--force', 'write into --out even when it holds files (those of the same name are replaced)'),
  ).action(
    runAction(async (opts: CommonOptions & { out: string; force?: boolean }) => {
      checkOutputFolder(opts.out, '--out', opts.force === true);
      const splits = await loadSplits(opts, console.log);
      await runEda(splits, opts.out, console.log);
    }),
  );
}
