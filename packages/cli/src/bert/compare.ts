/**
 * `twner compare`: two trained models on the same test tweets and the same own sentences:
 * overall and per-type precision/recall/F1 side by side, tagging speed, and what each one
 * tags in the sentences.
 */
import { writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { TaggerError, EXIT_USAGE } from '@twner/tagger';
import { perTypeF1Spec, renderChart } from './charts';
import { loadWnut16, type TaggedTweet } from './data';
import { splitWords } from './entities';
import type { RunLoader, RunTagger } from './run-tagger';
import { runDirFor, writeJson } from './run-dir';
import { type EntityScores, scoreTags } from './scores';

/** The notebook's own example sentence (§10). */
export const NOTEBOOK_SENTENCE = 'apple macbook pro is the best laptop in the world';

export interface CompareSide {
  /** Column name, e.g. `bilstm-crf`. */
  name: string;
  runDir: string;
  /** The kind of run this side must hold (`RunTagger.kind`, e.g. `bert`); absent: any. */
  kind?: string;
}

export interface CompareOptions {
  sides: CompareSide[];
  sentences: string[];
  dataDir: string | undefined;
  limitEval: number;
  outDir: string;
  out?: string;
}

export interface SideResult {
  name: string;
  kind: string;
  runDir: string;
  scores: EntityScores;
  tweets: number;
  seconds: number;
  tweetsPerSecond: number;
  sentences: Array<{ text: string; tokens: string[]; tags: string[] }>;
}

async function loadSide(side: CompareSide, loaders: readonly RunLoader[]): Promise<RunTagger> {
  for (const load of loaders) {
    const tagger = await load(side.runDir);
    if (!tagger) continue;
    if (side.kind !== undefined && tagger.kind !== side.kind) {
      tagger.dispose();
      throw new TaggerError(`--${side.name} ${side.runDir}: is a ${tagger.kind} run, not a ${side.kind} run`, EXIT_USAGE);
    }
    return tagger;
  }
  throw new TaggerError(`--${side.name} ${side.runDir}: no model loader recognises this folder (expected a run folder of \`twner train\` with its run.json)`, EXIT_USAGE);
}

const f = (x: number): string => (100 * x).toFixed(1);

interface Cells {
  precision: number;
  recall: number;
  f1: number;
}

/** Markdown table: overall (micro), macro, then each type; P/R/F1 in % per model, gold support. */
export function formatScoreTable(results: readonly SideResult[]): string {
  const types = [...new Set(results.flatMap((r) => Object.keys(r.scores.perType)))].sort();
  const rows: Array<{ name: string; cells: Array<Cells | undefined>; support: number | undefined }> = [
    { name: '**overall (micro)**', cells: results.map((r) => r.scores.overall), support: results[0]?.scores.overall.support },
    { name: 'macro avg', cells: results.map((r) => r.scores.macro), support: undefined },
    ...types.map((t) => ({
      name: t,
      cells: results.map((r) => r.scores.perType[t]),
      support: results.map((r) => r.scores.perType[t]?.support).find((s) => s !== undefined),
    })),
  ];
  const header = ['type', ...results.flatMap((r) => [`${r.name} P`, `${r.name} R`, `${r.name} F1`]), 'support'];
  const lines = rows.map(({ name, cells, support }) => [
    name,
    ...cells.flatMap((c) => (c ? [f(c.precision), f(c.recall), f(c.f1)] : ['-', '-', '-'])),
    support === undefined ? '' : String(support),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [row(header), `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`, ...lines.map(row)].join('\n');
}

/** Word/tag columns of each model for one sentence. */
export function formatSideBySide(text: string, results: readonly SideResult[], index: number): string {
  const tokens = splitWords(text).map((w) => w.text);
  const width = Math.max(4, ...tokens.map((t) => t.length));
  const colWidths = results.map((r) => Math.max(r.name.length, ...r.sentences[index].tags.map((t) => t.length)));
  const line = (first: string, cells: string[]) => `  ${first.padEnd(width)}  ${cells.map((c, i) => c.padEnd(colWidths[i])).join('  ')}`.trimEnd();
  const head = line('word', results.map((r) => r.name));
  const body = tokens.map((t, w) => line(t, results.map((r) => r.sentences[index].tags[w])));
  return ['```', `"${text}"`, head, ...body, '```'].join('\n');
}

export async function compareRuns(options: CompareOptions, loaders: readonly RunLoader[], log: (line: string) => void): Promise<{ outDir: string; results: SideResult[] }> {
  const data = await loadWnut16(options.dataDir, { limitEval: options.limitEval }, log);
  const test: TaggedTweet[] = data.test;
  log(`test set: ${data.dir}/test.conll, ${test.length} tweets${options.limitEval > 0 ? ` (first ${options.limitEval} only: --limit-eval)` : ''}`);
  const results: SideResult[] = [];
  for (const side of options.sides) {
    const tagger = await loadSide(side, loaders);
    try {
      // One untimed call first, so that one-off set-up (kernels, caches) is not counted.
      await tagger.tagWords(test.slice(0, 8).map((t) => t.words));
      const t0 = performance.now();
      const tags = await tagger.tagWords(test.map((t) => t.words));
      const seconds = (performance.now() - t0) / 1000;
      const own = await tagger.tagWords(options.sentences.map((s) => splitWords(s).map((w) => w.text)));
      results.push({
        name: side.name,
        kind: tagger.kind,
        runDir: resolve(side.runDir),
        scores: scoreTags(test.map((t) => t.tags), tags),
        tweets: test.length,
        seconds,
        tweetsPerSecond: test.length / Math.max(seconds, 1e-9),
        sentences: options.sentences.map((text, i) => ({ text, tokens: splitWords(text).map((w) => w.text), tags: own[i] })),
      });
      log(`${side.name}: ${basename(side.runDir)} (${tagger.kind}) tagged ${test.length} tweets in ${seconds.toFixed(2)} s`);
    } finally {
      tagger.dispose();
    }
  }

  const outDir = await runDirFor(options.out, options.outDir, 'compare');
  const table = formatScoreTable(results);
  const speed = [
    '| model | run | tweets/s | tweets | seconds |',
    '| --- | --- | ---: | ---: | ---: |',
    ...results.map((r) => `| ${r.name} | ${basename(r.runDir)} | ${r.tweetsPerSecond.toFixed(1)} | ${r.tweets} | ${r.seconds.toFixed(2)} |`),
  ].join('\n');
  const sentences = options.sentences.map((s, i) => formatSideBySide(s, results, i)).join('\n\n');
  const text = [
    `Entity-level precision / recall / F1 (%) on the same ${test.length} test tweets (seqeval default mode):`,
    '',
    table,
    '',
    'Tagging speed (whole test set, tokenization included, same backend):',
    '',
    speed,
    '',
    'Own sentences:',
    '',
    sentences,
    '',
  ].join('\n');
  log('');
  log(text.trimEnd());
  const rows = results.flatMap((r) => Object.entries(r.scores.perType).map(([type, s]) => ({ model: r.name, type, f1: s.f1 })));
  const charts = await renderChart(perTypeF1Spec(rows, `Test F1 per entity type (${test.length} tweets)`), join(outDir, 'charts', 'per-type-f1'));
  await writeFile(join(outDir, 'compare.md'), text);
  await writeJson(join(outDir, 'compare.json'), {
    testFile: join(data.dir, 'test.conll'),
    tweets: test.length,
    results: results.map((r) => ({ ...r, scores: { ...r.scores, report: undefined, conlleval: undefined } })),
  });
  log('');
  log(`wrote ${outDir}/: compare.md, compare.json, ${charts.filter((c) => !c.endsWith('.json')).map((c) => c.slice(outDir.length + 1)).join(', ')}`);
  return { outDir, results };
}
