import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, RESP_TYPES } from 'redis';
import { describeRedis, RedisServer } from '../../stream/test/redis-server';

// `twner worker` through the built CLI, with the bundled model, on a real redis-server on a free
// loopback port (skipped loudly without redis-server, failed under CI).
const cli = join(__dirname, '..', 'dist', 'cli.js');
type Client = ReturnType<typeof createClient>;
interface Entity {
  type: string;
  text: string;
  start: number;
  end: number;
  score: number;
}

const SWIFT = 'Taylor Swift played at Madison Square Garden last night';
const texts = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => (i % 3 === 0 ? SWIFT : `tweet ${from + i} : nothing to see here lol`));

interface Worker {
  proc: ChildProcess;
  stderr: () => string;
  /** Resolves once the model is loaded and the worker announced its streams. */
  started: Promise<void>;
  exited: Promise<number | null>;
}

function startWorker(url: string, consumer: string): Worker {
  const proc = spawn(
    process.execPath,
    [cli, 'worker', '--redis', url, '--stream', 'in', '--group', 'g', '--output', 'out', '--dead-letter', 'dead', '--consumer', consumer, '--batch', '8', '--trends-prefix', 'test:trends'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const started = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${err}`)), 100_000);
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes(`twner worker ${consumer}: in → out (group g)`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited ${code} before it started: ${err}`));
    });
  });
  started.catch(() => undefined);
  return { proc, stderr: () => err, started, exited };
}

async function push(client: Client, list: string[]): Promise<string[]> {
  const multi = client.multi();
  list.forEach((text, i) => multi.xAdd('in', '*', { text, user: `u${i}` }));
  return (await multi.exec()) as unknown as string[];
}

async function waitFor(what: string, cond: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const pending = async (client: Client): Promise<number> => Number((await client.xPending('in', 'g')).pending);

/** The totals a worker prints when it stops: `twner worker <name>: stopped ({...})`. */
function stoppedStats(stderr: string): { tagged: number; deadLettered: number } {
  const m = /: stopped \((\{.*\})\)/.exec(stderr);
  if (!m) throw new Error(`no "stopped" line in: ${stderr}`);
  return JSON.parse(m[1]) as { tagged: number; deadLettered: number };
}

describeRedis('twner worker', () => {
  let redis: RedisServer;
  let client: Client;
  const workers: Worker[] = [];

  beforeAll(async () => {
    expect(existsSync(cli)).toBe(true);
    redis = await RedisServer.start();
    client = createClient({ url: redis.url });
    await client.connect();
  });
  afterAll(async () => {
    for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGKILL');
    await client?.close();
    await redis?.stop();
  });

  it('tags entries into the output stream, dead-letters malformed ones with their reasons, and stops on SIGTERM with nothing pending', async () => {
    // Entries written before the worker starts (the group is created at the stream's start) …
    const early = await push(client, texts(12));
    const bin = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    const bad = [
      await client.xAdd('in', '*', { body: 'no text field' }),
      (await bin.xAdd('in', '*', { text: Buffer.from([0x66, 0xff, 0x6f]) })).toString(),
      await client.xAdd('in', '*', { text: 'a'.repeat(9000) }),
    ];
    const a = startWorker(redis.url, 'a');
    workers.push(a);
    await a.started;
    // … and after.
    const late = await push(client, texts(9, 12));
    const good = [...early, ...late];
    const goodTexts = [...texts(12), ...texts(9, 12)];
    await waitFor('21 outputs and 3 dead letters', async () => (await client.xLen('out')) === good.length && (await client.xLen('dead')) === 3);

    const out = await client.xRange('out', '-', '+');
    expect(out.map((e) => e.message.id)).toEqual(good); // one worker: in input order
    out.forEach((e, i) => {
      expect(e.message.text).toBe(goodTexts[i]);
      expect(e.message.user).toBe(`u${i < 12 ? i : i - 12}`); // other fields pass through
      const entities = JSON.parse(e.message.entities as string) as Entity[];
      for (const en of entities) {
        expect(Object.keys(en)).toEqual(['type', 'text', 'start', 'end', 'score']);
        expect(goodTexts[i].slice(en.start, en.end)).toBe(en.text);
        expect(en.score).toBeGreaterThan(0);
        expect(en.score).toBeLessThanOrEqual(1);
      }
      if (goodTexts[i] === SWIFT) expect(entities.map((en) => [en.type, en.text])).toEqual([['musicartist', 'Taylor Swift'], ['facility', 'Madison Square Garden']]);
    });
    const dead = await client.xRange('dead', '-', '+');
    expect(dead.map((e) => [e.message.id, e.message.reason])).toEqual([
      [bad[0], 'missing-text'],
      [bad[1], 'invalid-utf8'],
      [bad[2], 'text-too-long'],
    ]);
    expect(dead[0].message.detail).toMatch(/no `text` field \(fields: body\)/);
    expect(dead[2].message.detail).toMatch(/9000 bytes, over the limit of 8192/);
    expect(await pending(client)).toBe(0);
    // The mentions are counted for `twner serve --redis` (trends are on by default).
    expect((await client.keys('test:trends*')).length).toBeGreaterThan(0);

    // SIGTERM while a long backlog is being tagged: the batch in hand is finished and acknowledged.
    const backlog = await push(client, texts(5000, 100));
    await waitFor('the backlog to start', async () => (await client.xLen('out')) > good.length);
    a.proc.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    const stats = stoppedStats(a.stderr());
    expect(stats.deadLettered).toBe(3);
    const tagged = await client.xLen('out');
    expect(stats.tagged).toBe(tagged);
    expect(await pending(client)).toBe(0);
    // It stopped part-way (5,000 tweets take seconds; the signal came after the first batch).
    expect(tagged).toBeLessThan(good.length + backlog.length);

    // A second worker tags the rest: every entry is output exactly once (a clean stop duplicates nothing).
    const b = startWorker(redis.url, 'b');
    workers.push(b);
    await b.started;
    await waitFor('the whole backlog', async () => (await client.xLen('out')) >= good.length + backlog.length && (await pending(client)) === 0);
    b.proc.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    const ids: string[] = [];
    for (let start = '-'; ; ) {
      const page = await client.xRange('out', start, '+', { COUNT: 2000 });
      const rows = start === '-' ? page : page.slice(1);
      if (rows.length === 0) break;
      ids.push(...rows.map((r) => r.message.id as string));
      start = page[page.length - 1].id;
    }
    expect(ids).toEqual([...good, ...backlog]);
    expect(stoppedStats(b.stderr()).tagged).toBe(good.length + backlog.length - tagged);
  });
});
