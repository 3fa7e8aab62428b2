import type { DatasetStats } from './stats';

function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join('\n');
}

/** Dataset statistics as a plain-text table, one `name  value` row per line. */
export function formatStats(stats: DatasetStats, title = 'dataset'): string {
  const length = stats.sentenceLength;
  const rows: [string, string][] = [
    ['sentences', String(stats.sentences)],
    ['tokens', String(stats.tokens)],
    ['vocabulary (cased)', String(stats.vocabularySize)],
    ['vocabulary (lowercased)', String(stats.vocabularySizeLowercased)],
    ['sentence length min/mean/max', `${length.min} / ${length.mean.toFixed(2)} / ${length.max}`],
    ['sentence length p50/p90/p95/p99', `${length.p50} / ${length.p90} / ${length.p95} / ${length.p99}`],
    ...Object.entries(stats.entityCounts).map(([type, n]): [string, string] => [`entities ${type}`, String(n)]),
    ...Object.entries(stats.entityLengths).map(([len, n]): [string, string] => [`entities of length ${len}`, String(n)]),
    ...Object.entries(stats.tagCounts).map(([tag, n]): [string, string] => [`tag ${tag}`, String(n)]),
  ];
  return `${title}\n${table(rows)}`;
}
