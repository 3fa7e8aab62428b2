import { formatWindow } from './format-table';
import type { TrendsReport } from './from-records';

/** A Vega-Lite v5 specification as plain JSON (render it with vega-lite's `compile` and vega's `View.toSVG`). */
export interface VegaLiteSpec {
  $schema: string;
  [key: string]: unknown;
}

/** One chart of a report: `name` is a file stem (`trends-top`), `spec` the Vega-Lite specification. */
export interface TrendChart {
  name: string;
  spec: VegaLiteSpec;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

function bars(title: string, rows: { label: string; type: string; value: number }[], xTitle: string): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    title,
    width: 520,
    data: { values: rows },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: '-x', title: null },
      x: { field: 'value', type: 'quantitative', title: xTitle },
      color: { field: 'type', type: 'nominal', title: 'type' },
    },
  };
}

/**
 * The charts of `twner trends --file`: `trends-top` (most mentioned entities of the longest
 * window), `trends-rising` (rising score, shortest window) and `trends-timeline` (mentions per
 * minute of the report's `series`). Charts with nothing to show are left out.
 */
export function trendsCharts(report: TrendsReport): TrendChart[] {
  const charts: TrendChart[] = [];
  if (report.windows.length === 0) return charts;
  const byWindow = [...report.windows].sort((a, b) => a.window - b.window);
  const longest = byWindow[byWindow.length - 1];
  const shortest = byWindow[0];
  const rows = (types: Record<string, { entity: string; count: number; score: number }[]>, value: 'count' | 'score') =>
    Object.entries(types).flatMap(([type, entries]) => entries.map((e) => ({ label: `${e.entity} (${type})`, type, value: e[value] })));
  const top = rows(longest.top.types, 'count');
  if (top.length > 0) charts.push({ name: 'trends-top', spec: bars(`Most mentioned — last ${formatWindow(longest.window)}`, top, 'mentions') });
  const rising = rows(shortest.rising.types, 'score');
  if (rising.length > 0) {
    charts.push({ name: 'trends-rising', spec: bars(`Rising — last ${formatWindow(shortest.window)}`, rising, 'rising score (count + 1) / (expected + 1)') });
  }
  if (report.series.length > 0) {
    charts.push({
      name: 'trends-timeline',
      spec: {
        $schema: SCHEMA,
        title: 'Mentions per minute',
        width: 520,
        height: 240,
        data: { values: report.series.map((p) => ({ ...p, label: `${p.entity} (${p.type})` })) },
        mark: { type: 'line', point: false, tooltip: true },
        encoding: {
          x: { field: 'at', type: 'temporal', title: null },
          y: { field: 'count', type: 'quantitative', title: 'mentions' },
          color: { field: 'label', type: 'nominal', title: null },
        },
      },
    });
  }
  return charts;
}
