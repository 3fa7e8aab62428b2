#!/usr/bin/env node
// Per-type test F1 of the shipped model (GloVe 6B vectors, lr 0.005) against the models it replaced
// (random vectors; GloVe 6B at lr 0.01), from their cards in docs/:
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
const random = card('docs/card-random-vectors.json');
const lr01 = card('docs/card-glove6b-lr0.01.json');
const now = card('model/card.json');
const label = (c, name) => `${name} (${c.test.microF1.toFixed(4)})`;
const values = Object.keys(now.test.perType).flatMap((type) => [
  { type, vectors: label(random, 'random, lr 0.01'), f1: random.test.perType[type].f1 },
  { type, vectors: label(lr01, 'GloVe 6B, lr 0.01'), f1: lr01.test.perType[type].f1 },
  { type, vectors: label(now, 'GloVe 6B, lr 0.005 (shipped)'), f1: now.test.perType[type].f1 },
]);
const series = [label(random, 'random, lr 0.01'), label(lr01, 'GloVe 6B, lr 0.01'), label(now, 'GloVe 6B, lr 0.005 (shipped)')];
const spec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: `Test F1 per entity type, seed ${now.seed}: random vs pretrained word vectors, two learning rates`,
  width: 520, height: 260, data: { values }, mark: 'bar',
  encoding: {
    x: { field: 'type', type: 'nominal', title: null, axis: { labelAngle: -30 } },
    xOffset: { field: 'vectors', sort: series },
    y: { field: 'f1', type: 'quantitative', title: 'F1 (seqeval default)', scale: { domain: [0, 0.7] } },
    color: { field: 'vectors', type: 'nominal', title: 'word vectors, learning rate', scale: { domain: series }, legend: { orient: 'right', direction: 'vertical', labelLimit: 300, titleLimit: 300 } },
  },
};
const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
const svg = await view.toSVG();
const out = join(here, 'docs', 'per-type-f1');
writeFileSync(`${out}.svg`, svg);
writeFileSync(`${out}.png`, new Resvg(svg, { background: 'white', fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true } }).render().asPng());
console.log(`${out}.svg, ${out}.png`);
