#!/usr/bin/env node
// Per-type test F1 of the shipped model (GloVe 6B vectors, lr 0.005, batches of 64) against the models
// it replaced (random vectors; GloVe 6B at lr 0.01; at lr 0.005 with batches of 32), from their cards in docs/:
// `node packages/model-wnut16/scripts/per-type-chart.mjs` (after `pnpm build`) writes docs/per-type-f1.{svg,png}.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
// vega, vega-lite and resvg are the CLI's chart dependencies.
const need = createRequire(join(here, '..', 'cli', 'package.json'));
const vega = await import(need.resolve('vega'));
const { compile } = await import(need.resolve('vega-lite'));
const { Resvg } = await import(need.resolve('@resvg/resvg-js'));
const card = (file) => JSON.parse(readFileSync(join(here, file), 'utf8'));
const models = [
  [card('docs/card-random-vectors.json'), 'random, lr 0.01, batch 32'],
  [card('docs/card-glove6b-lr0.01.json'), 'GloVe 6B, lr 0.01, batch 32'],
  [card('docs/card-glove6b-lr0.005-bs32.json'), 'GloVe 6B, lr 0.005, batch 32'],
  [card('model/card.json'), 'GloVe 6B, lr 0.005, batch 64 (shipped)'],
];
const now = models[models.length - 1][0];
const series = models.map(([c, name]) => `${name} (${c.test.microF1.toFixed(4)})`);
const values = Object.keys(now.test.perType).flatMap((type) => models.map(([c], i) => ({ type, vectors: series[i], f1: c.test.perType[type].f1 })));
const spec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: `Test F1 per entity type, seed ${now.seed}: random vs pretrained word vectors, learning rates and batch sizes`,
  width: 520, height: 260, data: { values }, mark: 'bar',
  encoding: {
    x: { field: 'type', type: 'nominal', title: null, axis: { labelAngle: -30 } },
    xOffset: { field: 'vectors', sort: series },
    y: { field: 'f1', type: 'quantitative', title: 'F1 (seqeval default)', scale: { domain: [0, 0.7] } },
    color: { field: 'vectors', type: 'nominal', title: 'word vectors, learning rate, batch size', scale: { domain: series }, legend: { orient: 'right', direction: 'vertical', labelLimit: 300, titleLimit: 300 } },
  },
};
const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
const svg = await view.toSVG();
const out = join(here, 'docs', 'per-type-f1');
writeFileSync(`${out}.svg`, svg);
writeFileSync(`${out}.png`, new Resvg(svg, { background: 'white', fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true } }).render().asPng());
console.log(`${out}.svg, ${out}.png`);
