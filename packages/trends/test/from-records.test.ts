import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { formatTrendsTable, parseTimestamp, TimestampError, trendsCharts, trendsFromRecords, TrendsOptionsError } from '../src';
import { plantedBurst, T0 } from './synthetic';

/**
 * Renders a Vega-Lite spec to SVG and PNG as the CLI does (vega-lite compile, vega's SVG
 * renderer, resvg). vega is ESM-only and jest runs CJS, so it runs in a child process.
 */
function render(spec: unknown): { svg: string; pngHead: number[] } {
  const code = `
    import { Resvg } from '@resvg/resvg-js';
    import * as vega from 'vega';
    import { compile } from 'vega-lite';
    const spec = JSON.parse(await new Response(process.stdin).text());
    const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
    const svg = await view.toSVG();
    const png = new Resvg(svg).render().asPng();
    process.stdout.write(JSON.stringify({ svg, pngHead: [...png.subarray(0, 4)] }));`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: path.join(__dirname, '..'),
    input: JSON.stringify(spec),
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`rendering failed: ${out.stderr}`);
  return JSON.parse(out.stdout) as { svg: string; pngHead: number[] };
}

async function* asAsync<T>(items: T[]): AsyncIterable<T> {
  for (const item of items) yield item;
}

describe('trendsFromRecords', () => {
  it('reads a file of tweets as of its last tweet: the burst is rising, the steady ones are on top', async () => {
    const records = plantedBurst(120, 5);
    const report = await trendsFromRecords(asAsync(records), { limit: 3 });
    expect(report.records).toBe(records.length);
    expect(report.to).toBe(new Date(records[records.length - 1].at).toISOString());
    const five = report.windows.find((w) => w.window === 300)!;
    expect(Object.entries(five.rising.types).filter(([, e]) => e.length > 0).map(([t, e]) => `${t}/${e[0].entity}`)).toEqual(['other/eclipse']);
    const day = report.windows.find((w) => w.window === 86400)!;
    expect(day.top.types.sportsteam[0].entity).toBe('yankees');
    expect(day.errorBound.sportsteam).toBe(0);
    // the per-minute series of the most mentioned starts at the first tweet's minute and sums to the count
    const yankees = report.series.filter((p) => p.entity === 'yankees');
    expect(yankees[0].at).toBe(new Date(T0).toISOString());
    expect(yankees.reduce((a, p) => a + p.count, 0)).toBe(day.top.types.sportsteam[0].count);
  });

  it('gives the same answer whatever the order of the records', async () => {
    const records = plantedBurst(30, 5, 3);
    const shuffled = [...records].reverse();
    expect(await trendsFromRecords(shuffled)).toEqual(await trendsFromRecords(records));
  });

  it('prints one table per window and view', async () => {
    const report = await trendsFromRecords(plantedBurst(60, 5), { windows: [300], limit: 2 });
    const table = formatTrendsTable(report);
    expect(table).toMatch(/^rising — last 5 min to /m);
    expect(table).toMatch(/^ {2}other\s+1\s+eclipse\s+\d+\s+\d+\.\d\d$/m);
    expect(table.split('\n').filter((l) => /^top — /.test(l))).toHaveLength(1);
  });

  it('makes Vega-Lite charts that render to SVG and PNG with the entities in them', async () => {
    const report = await trendsFromRecords(plantedBurst(60, 5), { windows: [300, 3600] });
    const charts = trendsCharts(report);
    expect(charts.map((c) => c.name)).toEqual(['trends-top', 'trends-rising', 'trends-timeline']);
    for (const chart of charts) {
      const { svg, pngHead } = render(chart.spec);
      expect(svg).toMatch(/^<svg/);
      expect(svg).toContain(chart.name === 'trends-rising' ? 'eclipse (other)' : 'yankees (sportsteam)');
      expect(pngHead).toEqual([0x89, 0x50, 0x4e, 0x47]); // "\x89PNG"
    }
  });

  it('refuses windows longer than retention and unknown options', async () => {
    await expect(trendsFromRecords([], { windows: [7200], retention: 3600 })).rejects.toThrow(/has 7200 s, longer than `retention` \(3600 s\)/);
    await expect(trendsFromRecords([], { window: 300 } as never)).rejects.toBeInstanceOf(TrendsOptionsError);
  });
});

describe('parseTimestamp', () => {
  test.each([
    ['Wed Oct 10 20:19:24 +0000 2018', '2018-10-10T20:19:24.000Z'],
    ['Wed Oct 10 20:19:24 +0200 2018', '2018-10-10T18:19:24.000Z'],
    ['2018-10-10T20:19:24Z', '2018-10-10T20:19:24.000Z'],
    [1539202764, '2018-10-10T20:19:24.000Z'],
    [1539202764000, '2018-10-10T20:19:24.000Z'],
    ['1539202764', '2018-10-10T20:19:24.000Z'],
  ])('reads %j', (value, iso) => {
    expect(new Date(parseTimestamp(value)).toISOString()).toBe(iso);
  });

  it('names the place and the field of an unreadable time', () => {
    expect(() => parseTimestamp('yesterday', 'tweets.jsonl:3', 'created_at')).toThrow(TimestampError);
    expect(() => parseTimestamp(undefined, 'tweets.jsonl:3', 'time')).toThrowErrorMatchingInlineSnapshot(
      `"tweets.jsonl:3: field \`time\` is not a timestamp, received undefined; give epoch milliseconds or seconds, an ISO 8601 string or a Twitter \`created_at\` string, or pick another field"`,
    );
  });
});
