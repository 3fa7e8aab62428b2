/**
 * Charts of the BERT experiment as Vega-Lite specs, rendered headless to SVG (vega) and PNG
 * (resvg): the training history and the per-type F1 of two models side by side.
 */
import { writeFile } from 'node:fs/promises';
import type { TopLevelSpec } from 'vega-lite';
import { writeChart } from '../charts/render';
import type { EpochRecord } from './fine-tune';

/** A Vega-Lite spec as plain JSON (also written beside the chart, so it can be re-rendered). */
export type ChartSpec = Record<string, unknown>;

/** Writes `<base>.svg`, `<base>.png` and `<base>.vl.json`; returns the paths. */
export async function renderChart(spec: ChartSpec, base: string): Promise<string[]> {
  // The builders below write JSON by hand; vega-lite's compiler validates it at run time.
  const paths = await writeChart(spec as unknown as TopLevelSpec, base);
  await writeFile(`${base}.vl.json`, `${JSON.stringify(spec, null, 2)}\n`);
  return [...paths, `${base}.vl.json`];
}

/** Training loss and dev precision/recall/F1 per epoch; the restored epoch is marked. */
export function historySpec(history: readonly EpochRecord[], bestEpoch: number, title: string): ChartSpec {
  const loss = history.map((h) => ({ epoch: h.epoch, value: h.trainLoss, series: 'train loss' }));
  const dev = history.flatMap((h) => [
    { epoch: h.epoch, value: h.f1, series: 'dev F1' },
    { epoch: h.epoch, value: h.precision, series: 'dev precision' },
    { epoch: h.epoch, value: h.recall, series: 'dev recall' },
  ]);
  const line = (values: object[], y: string, scale: ChartSpec): ChartSpec => ({
    width: 280,
    height: 200,
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 }, title: 'epoch' },
          y: { field: 'value', type: 'quantitative', title: y, scale, axis: { format: '.2f' } },
          color: { field: 'series', type: 'nominal', title: null },
        },
      },
      {
        data: { values: [{ epoch: bestEpoch }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
        encoding: { x: { field: 'epoch', type: 'quantitative' } },
      },
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, subtitle: `dashed: epoch ${bestEpoch}, restored (best dev F1)` },
    hconcat: [line(loss, 'training loss', { zero: true }), line(dev, 'entity score (dev)', { domain: [0, 1] })],
    resolve: { scale: { color: 'independent' } },
    config: { font: 'DejaVu Sans' },
  };
}

export interface TypeScore {
  model: string;
  type: string;
  f1: number;
}

/** Grouped bars: per entity type, one bar per model. */
export function perTypeF1Spec(rows: readonly TypeScore[], title: string): ChartSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values: rows.map((r) => ({ ...r })) },
    width: { step: 14 },
    height: 220,
    mark: 'bar',
    encoding: {
      column: { field: 'type', type: 'nominal', title: null, header: { labelAngle: -40, labelAlign: 'right', labelOrient: 'bottom' } },
      x: { field: 'model', type: 'nominal', axis: null },
      y: { field: 'f1', type: 'quantitative', title: 'test F1', scale: { domain: [0, 1] } },
      color: { field: 'model', type: 'nominal', title: 'model' },
      tooltip: [{ field: 'model' }, { field: 'type' }, { field: 'f1', format: '.3f' }],
    },
    config: { font: 'DejaVu Sans', view: { stroke: null } },
  };
}
