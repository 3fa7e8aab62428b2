import type { TopLevelSpec } from 'vega-lite';

const WIDTH = 520;

/** Horizontal bars of `count` per `name`, largest first. */
export function barChart(title: string, rows: { name: string; count: number }[], xTitle = 'count'): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: WIDTH,
    data: { values: rows },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'name', type: 'nominal', sort: '-x', title: null },
      x: { field: 'count', type: 'quantitative', title: xTitle },
    },
  };
}

/** Histogram of sentence lengths (tokens per tweet) per split. */
export function lengthHistogram(rows: { split: string; length: number }[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Tweet length (tokens)',
    width: WIDTH,
    height: 220,
    data: { values: rows },
    mark: { type: 'bar', opacity: 0.7 },
    encoding: {
      x: { field: 'length', type: 'quantitative', bin: { step: 2 }, title: 'tokens per tweet' },
      y: { aggregate: 'count', type: 'quantitative', title: 'tweets', stack: null },
      color: { field: 'split', type: 'nominal' },
    },
  };
}

/** Grouped bars: value per category and series (e.g. entities per type per split). */
export function groupedBars(
  title: string,
  rows: { name: string; series: string; value: number }[],
  valueTitle: string,
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: WIDTH,
    data: { values: rows },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'name', type: 'nominal', title: null },
      yOffset: { field: 'series', type: 'nominal' },
      x: { field: 'value', type: 'quantitative', title: valueTitle },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

/** Lines of loss and dev scores per epoch; loss on its own panel. */
export function trainingCurves(history: { epoch: number; loss: number; devPrecision: number; devRecall: number; devF1: number }[]): TopLevelSpec {
  const scores = history.flatMap((h) => [
    { epoch: h.epoch, metric: 'dev precision', value: h.devPrecision },
    { epoch: h.epoch, metric: 'dev recall', value: h.devRecall },
    { epoch: h.epoch, metric: 'dev F1', value: h.devF1 },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Training curves',
    hconcat: [
      {
        width: 260,
        height: 200,
        data: { values: history.map((h) => ({ epoch: h.epoch, loss: h.loss })) },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
          y: { field: 'loss', type: 'quantitative', title: 'train loss (CRF NLL)' },
        },
      },
      {
        width: 260,
        height: 200,
        data: { values: scores },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
          y: { field: 'value', type: 'quantitative', title: 'entity score', scale: { domain: [0, 1] } },
          color: { field: 'metric', type: 'nominal', title: null },
        },
      },
    ],
  };
}
