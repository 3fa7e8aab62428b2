import { writeFile } from 'node:fs/promises';
import type { TopLevelSpec } from 'vega-lite';

/** Renders a Vega-Lite spec to SVG (Vega's server-side renderer) and to PNG (resvg). */
export async function renderChart(spec: TopLevelSpec): Promise<{ svg: string; png: Uint8Array }> {
  // Loaded on first use: the commands that draw nothing start without them.
  const [vega, { compile }, { Resvg }] = await Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, { background: 'white', fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true } })
    .render()
    .asPng();
  return { svg, png };
}

/** Writes `<base>.svg` and `<base>.png`; returns both paths. */
export async function writeChart(spec: TopLevelSpec, base: string): Promise<string[]> {
  const { svg, png } = await renderChart(spec);
  await writeFile(`${base}.svg`, svg);
  await writeFile(`${base}.png`, png);
  return [`${base}.svg`, `${base}.png`];
}
