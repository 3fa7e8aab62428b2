#!/usr/bin/env node
// Per-type test F1 of the shipped model against the random-vector model it replaced:
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
const old = JSON.parse(readFileSync(join(here, 'docs', 'card-random-vectors.json'), 'utf8'));
const now = JSON.parse(readFileSync(join(here, 'model', 'card.json'), 'utf8'));
const label = (card, name) => `${name} (${card.test.microF1.toFixed(4)})`;
const values = Object.keys(now.test.perType).flatMap((type) => [
  { type, vectors: label(old, 'random'), f1: old.test.perType[type].f1 },
  { type, vectors: label(now, 'GloVe 6B'), f1: now.test.perType[type].f1 },
]);
const spec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: `Test F1 per entity type, shipped model (seed ${now.seed}), random vs pretrained word vectors`,
  width: 520, height: 260, data: { values }, mark: 'bar',
  encoding: {
    x: { field: 'type', type: 'nominal', title: null, axis: { labelAngle: -30 } },
    xOffset: { field: 'vectors' },
    y: { field: 'f1', type: 'quantitative', title: 'F1 (seqeval default)', scale: { domain: [0, 0.7] } },
    color: { field: 'vectors', type: 'nominal', title: 'word vectors', legend: { orient: 'top', labelLimit: 300 } },
  },
};
const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
const svg = await view.toSVG();
const out = join(here, 'docs', 'per-type-f1');
writeFileSync(`${out}.svg`, svg);
writeFileSync(`${out}.png`, new Resvg(svg, { background: 'white', fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true } }).render().asPng());
console.log(`${out}.svg, ${out}.png`);
