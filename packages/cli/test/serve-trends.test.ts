import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MAX_BATCH, POOL_MAX_BATCH } from '@twner/stream';

// `twner serve` and `twner trends` with the bundled model (no tfjs involved), through the built CLI.
const cli = join(__dirname, '..', 'dist', 'cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'twner-serve-'));
// The bundled model's gazetteers: ../shared beside the repository (the tests' working folder is inside it).
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('twner trends --file', () => {
  it('tags an archive of timestamped tweets, prints the tables and writes the charts', () => {
    const file = join(tmp, 'tweets.jsonl');
    const t0 = Date.parse('2026-11-30T12:00:00Z');
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) {
      lines.push(JSON.stringify({ created_at: new Date(t0 + i * 20_000).toISOString(), text: i % 3 === 0 ? 'Just landed in London , love it' : 'Taylor Swift played at Madison Square Garden last night' }));
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const charts = join(tmp, 'charts');
    const r = spawnSync(process.execPath, [cli, 'trends', '--file', file, '--charts', charts], { encoding: 'utf8', timeout: 110_000 });
    expect(r.stderr).not.toMatch(/twner: /);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/60 tweets/);
    expect(r.stdout).toMatch(/taylor swift/);
    expect(r.stdout).toMatch(/london/);
    expect(r.stderr).toMatch(/charts: .*\.svg/);
    expect(existsSync(charts)).toBe(true);
  });

  it('names the line of a record without a time', () => {
    const file = join(tmp, 'bad.jsonl');
    writeFileSync(file, '{"created_at": "2026-11-30T12:00:00Z", "text": "hi"}\n{"text": "no time"}\n');
    const r = spawnSync(process.execPath, [cli, 'trends', '--file', file, '--charts', ''], { encoding: 'utf8', timeout: 110_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad.jsonl:2/);
  });
});

describe('twner serve', () => {
  // Without --pool or --threads, serve tags on a pool of 2 tagger threads where there are 2 cores or more.
  const defaultEngine = availableParallelism() >= 2 ? /engine: .*in a pool of 2 threads/ : /engine: (?!.*pool)/;
  it.each([
    ['the serving engine on its own thread (--threads 1)', ['--threads', '1'], /engine: (?!.*pool)/],
    ['the default engine', [] as string[], defaultEngine],
  ])('tags over HTTP with the bundled model on %s, counts trends, serves the dashboard, and stops on SIGTERM', async (_name, extra, engine) => {
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 100_000);
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(err);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
    try {
      const res = await fetch(`${url}/v1/tag`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ texts: ['Taylor Swift played at Madison Square Garden last night', 'hello'] }) });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { results: { entities: { type: string; text: string; start: number; end: number; score: number }[] }[] };
      expect(body.results).toHaveLength(2);
      expect(body.results[0].entities.map((e) => [e.type, e.text])).toEqual([['musicartist', 'Taylor Swift'], ['facility', 'Madison Square Garden']]);
      expect(body.results[1].entities).toEqual([]);
      const trends = (await (await fetch(`${url}/v1/trends?window=300&view=top&limit=5`)).json()) as { types: Record<string, { entity: string; count: number }[]> };
      expect(trends.types.musicartist?.[0]).toMatchObject({ entity: 'taylor swift', count: 1 });
      const bad = await fetch(`${url}/v1/tag`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"texts": [1]}' });
      expect(bad.status).toBe(400);
      const page = await fetch(`${url}/`);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(err).toMatch(engine);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it("gives --max-batch's defaults in its help as @twner/stream has them", () => {
    // The CLI loads @twner/stream only when a command runs, so its help spells the defaults out.
    const r = spawnSync(process.execPath, [cli, 'serve', '--help'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(`(default: ${DEFAULT_MAX_BATCH}, or ${POOL_MAX_BATCH} with a pool,`);
  });

  it('refuses --pool with --threads 2', () => {
    const r = spawnSync(process.execPath, [cli, 'serve', '--port', '0', '--pool', '2', '--threads', '2'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--pool and --threads 2 do not go together/);
  });
});
