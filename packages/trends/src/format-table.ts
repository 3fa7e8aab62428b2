import type { TrendsReport } from './from-records';

/** `300` → `5 min`, `3600` → `1 h`, `86400` → `24 h`, else seconds. */
export function formatWindow(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/**
 * The report as plain-text tables, one per window and view: type, rank, entity, count and rising
 * score, with a header line giving the tweets read and their time span.
 */
export function formatTrendsTable(report: TrendsReport): string {
  const lines: string[] = [
    `${report.records} tweets, ${report.mentions} mentions, ${report.from ?? '-'} … ${report.to ?? '-'}` +
      (report.dropped > 0 ? ` (${report.dropped} mentions older than retention dropped)` : ''),
  ];
  for (const w of report.windows) {
    for (const view of ['top', 'rising'] as const) {
      const rows: string[][] = [];
      for (const [type, entries] of Object.entries(w[view].types)) {
        entries.forEach((e, i) => rows.push([type, String(i + 1), e.entity, String(e.count), e.score.toFixed(2)]));
      }
      lines.push('', `${view} — last ${formatWindow(w.window)} to ${w[view].generatedAt}`);
      if (rows.length === 0) {
        lines.push('  (none)');
        continue;
      }
      const header = ['type', '#', 'entity', 'count', 'score'];
      const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
      const right = [false, true, false, true, true];
      const fmt = (r: string[]): string =>
        '  ' + r.map((cell, c) => (right[c] ? cell.padStart(widths[c]) : pad(cell, widths[c]))).join('  ').trimEnd();
      lines.push(fmt(header), ...rows.map(fmt));
    }
  }
  return lines.join('\n') + '\n';
}
