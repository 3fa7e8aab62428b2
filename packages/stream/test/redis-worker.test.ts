import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient, RESP_TYPES } from 'redis';
import { redisStreamsTransport, runWorker } from '../src';
import { fakeEngine, tagOne, tweet } from './fake-engine';
import { describeRedis, RedisServer } from './redis-server';

type Client = ReturnType<typeof createClient>;
// tsx's loader inside the worker's own node process (not the tsx CLI, which would run the
// worker in a grandchild that a SIGKILL of the child leaves running).
const TSX_LOADER = pathToFileURL(require.resolve('tsx')).href;
const WORKER = path.join(__dirname, 'fixtures/worker-main.ts');

async function pushTweets(client: Client, from: number, to: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = from; start < to; start += 1000) {
    const multi = client.multi();
    for (let i = start; i < Math.min(to, start + 1000); i++) multi.xAdd('tweets', '*', { text: tweet(i), n: String(i) });
    ids.push(...((await multi.exec()) as unknown as string[]));
  }
  return ids;
}

/** Every output entry's `id` field, in stream order. */
async function outputIds(client: Client): Promise<string[]> {
  const ids: string[] = [];
  let start = '-';
  for (;;) {
    const page = await client.xRange('tweets:entities', start, '+', { COUNT: 5000 });
    const rows = start === '-' ? page : page.slice(1);
    if (rows.length === 0) return ids;
    for (const r of rows) ids.push(r.message.id as string);
    start = page[page.length - 1].id;
  }
}

async function pendingCount(client: Client): Promise<number> {
  const info = await client.xPending('tweets', 'twner');
  return Number(info.pending);
}

async function waitFor(what: string, cond: () => Promise<boolean>, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function withTimeout<T>(what: string, p: Promise<T>, ms = 20000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

interface Child {
  proc: ChildProcess;
  tagged: () => number;
  ready: Promise<void>;
  exited: Promise<string>;
}

function spawnWorker(url: string, consumer: string, batch: number, claimIdleMs: number, work: number): Child {
  const proc = spawn(process.execPath, ['--import', TSX_LOADER, WORKER, url, consumer, String(batch), String(claimIdleMs), String(work)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let tagged = 0;
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (onReady = r));
  proc.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('ready\n')) onReady();
    for (const m of d.toString().matchAll(/progress (\d+)\n/g)) tagged = Number(m[1]);
  });
  const exited = new Promise<string>((resolve) => proc.on('exit', () => resolve(out)));
  return { proc, tagged: () => tagged, ready, exited };
}

describeRedis('Redis Streams worker', () => {
  let redis: RedisServer;
  let client: Client;
  const children: Child[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  beforeEach(async () => {
    client = createClient({ url: redis.url, socket: { reconnectStrategy: 100 } });
    client.on('error', () => undefined);
    await client.connect();
    await client.flushAll();
  });
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    await client.close().catch(() => undefined);
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('creates the group, tags, dead-letters malformed entries with their reasons, and leaves nothing pending', async () => {
    const ids = await pushTweets(client, 0, 50);
    const bin = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    const badIds = [
      await client.xAdd('tweets', '*', { body: 'no text' }),
      (await bin.xAdd('tweets', '*', { text: Buffer.from([0xc3, 0x28]) })).toString(),
      await client.xAdd('tweets', '*', { text: 'z'.repeat(300) }),
    ];
    const ac = new AbortController();
    const stats = await runWorker({
      transport: redisStreamsTransport({ url: redis.url, stream: 'tweets', group: 'twner', consumer: 'w1', output: 'tweets:entities', deadLetter: 'tweets:dead' }),
      engine: fakeEngine(),
      batch: 16,
      maxTextBytes: 200,
      blockMs: 50,
      signal: ac.signal,
      onProgress: (s) => s.tagged + s.deadLettered === 53 && ac.abort(),
    });
    expect(stats).toMatchObject({ tagged: 50, deadLettered: 3 });
    const out = await client.xRange('tweets:entities', '-', '+');
    expect(out.map((e) => e.message.id)).toEqual(ids);
    out.forEach((e, i) => {
      expect(JSON.parse(e.message.entities as string)).toEqual(tagOne(tweet(i)));
      expect(e.message.n).toBe(String(i)); // other fields pass through
    });
    const dead = await client.xRange('tweets:dead', '-', '+');
    expect(dead.map((e) => [e.message.id, e.message.reason])).toEqual([
      [badIds[0], 'missing-text'],
      [badIds[1], 'invalid-utf8'],
      [badIds[2], 'text-too-long'],
    ]);
    expect(await pendingCount(client)).toBe(0);
  });

  it('passes every field through byte for byte: binary values and a field named __proto__', async () => {
    // Raw commands both ways, so that no client-side object stands between the bytes and the test.
    const BUF = { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } };
    const blob = Buffer.from([0xff, 0x00, 0xfe, 0x0a, 0xc3]);
    const sent: [string, string | Buffer][] = [['text', 'Hello Paris'], ['blob', blob], ['__proto__', 'not a prototype'], ['note', 'naïve café ☕']];
    const id = String(await client.sendCommand(['XADD', 'tweets', '*', ...sent.flat()]));
    const ac = new AbortController();
    await runWorker({
      transport: redisStreamsTransport({ url: redis.url, stream: 'tweets', group: 'twner', consumer: 'w1', output: 'tweets:entities' }),
      engine: fakeEngine(),
      blockMs: 50,
      signal: ac.signal,
      onProgress: (s) => s.tagged === 1 && ac.abort(),
    });
    const reply = (await client.sendCommand(['XRANGE', 'tweets:entities', '-', '+'], BUF)) as [Buffer, Buffer[]][];
    expect(reply).toHaveLength(1);
    const flat = reply[0][1];
    const got = new Map<string, Buffer>();
    for (let i = 0; i < flat.length; i += 2) got.set(flat[i].toString(), flat[i + 1]);
    expect([...got.keys()]).toEqual(['text', 'blob', '__proto__', 'note', 'id', 'entities']);
    for (const [k, v] of sent) expect(got.get(k)).toEqual(Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8'));
    expect(got.get('id')!.toString()).toBe(id);
    expect(JSON.parse(got.get('entities')!.toString())).toEqual(tagOne('Hello Paris'));
  });

  it('two workers, one SIGKILLed mid-batch: the survivor reclaims its entries, every id is output, duplicates ≤ one batch', async () => {
    const N = 20000;
    const batch = 200;
    // work=10 (SHA-256 rounds per tweet) makes a batch take ~10 ms, so the kill lands while a batch is in hand.
    const a = spawnWorker(redis.url, 'a', batch, 1000, 10);
    const b = spawnWorker(redis.url, 'b', batch, 1000, 10);
    children.push(a, b);
    await withTimeout('workers ready', Promise.all([a.ready, b.ready]));
    const ids = await pushTweets(client, 0, N);
    await waitFor('worker a to tag 2000 entries', async () => a.tagged() >= 2000);
    a.proc.kill('SIGKILL');
    await a.exited;
    const heldByA = (await client.xPendingRange('tweets', 'twner', '-', '+', 10000, { consumer: 'a' })).length;
    await waitFor('all entries output and acked', async () => (await client.xLen('tweets:entities')) >= N && (await pendingCount(client)) === 0, 90000);
    const out = await outputIds(client);
    expect(new Set(out)).toEqual(new Set(ids));
    expect(out.length - N).toBeLessThanOrEqual(batch);
    expect(heldByA).toBeGreaterThan(0); // the kill did leave entries behind, which b took over
    b.proc.kill('SIGTERM');
    const stats = JSON.parse((await b.exited).trim().split('\n').at(-1)!);
    expect(stats.claimed).toBeGreaterThanOrEqual(heldByA);
    expect(await pendingCount(client)).toBe(0);
  });

  it('Redis killed and restarted with its data mid-run: the workers resume and nothing is lost', async () => {
    const N = 10000;
    const a = spawnWorker(redis.url, 'a', 100, 1000, 10);
    const b = spawnWorker(redis.url, 'b', 100, 1000, 10);
    children.push(a, b);
    await withTimeout('workers ready', Promise.all([a.ready, b.ready]));
    const ids = await pushTweets(client, 0, N);
    await waitFor('1000 entries tagged', async () => a.tagged() + b.tagged() >= 1000);
    await redis.kill();
    const before = a.tagged() + b.tagged();
    await new Promise((r) => setTimeout(r, 700));
    await redis.launch();
    await waitFor('all entries output and acked', async () => (await client.xLen('tweets:entities')) >= N && (await pendingCount(client)) === 0, 90000);
    expect(a.tagged() + b.tagged()).toBeGreaterThan(before); // they kept going after the restart
    const out = await outputIds(client);
    expect(new Set(out)).toEqual(new Set(ids));
    a.proc.kill('SIGTERM');
    b.proc.kill('SIGTERM');
    await Promise.all([a.exited, b.exited]);
    expect(a.proc.exitCode).toBe(0);
    expect(b.proc.exitCode).toBe(0);
  });

  it('SIGTERM: the worker finishes and acks its batch, then exits 0 with nothing pending', async () => {
    const a = spawnWorker(redis.url, 'a', 500, 30000, 20);
    children.push(a);
    await withTimeout('worker ready', a.ready);
    await pushTweets(client, 0, 3000);
    await waitFor('the first batch', async () => a.tagged() > 0);
    a.proc.kill('SIGTERM');
    const out = await a.exited;
    expect(a.proc.exitCode).toBe(0);
    const stats = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(stats.tagged).toBeGreaterThan(0);
    expect(await client.xLen('tweets:entities')).toBe(stats.tagged);
    expect(await pendingCount(client)).toBe(0);
  });
});
