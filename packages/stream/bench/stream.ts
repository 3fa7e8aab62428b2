// Throughput of @twner/stream: `pnpm --filter @twner/stream bench` (timings live here, never in tests).
// For each engine (`--engines fake,model,model2`, the default; smoke mode: fake only):
//   fake:  a capitalised-word tagger plus `--work` SHA-256 rounds per tweet (default 20, ~20,000
//          tweets/s on one core here: much faster than a real tagger, so the fixed costs per
//          request and per entry weigh more than they would);
//   model: the shipped default model, `loadTagger()` of @twner/tagger, on the 3,850 WNUT16 test
//          tweets as text (cycled; `$TWNER_DATA_DIR` or ../shared/data/wnut16), the tweets its
//          speed is quoted on elsewhere (the synthetic tweets of the fake engine are shorter and
//          repeat their words, which flatters a tagger that caches per word);
//   model2: the same model with the serving engine's second thread (`threads: 2`), the engine
//          the serving issue's 6,000 tweets/s is about: direct and serve on 2 threads, then serve
//          on a pool of two tagger threads (`twner serve --pool 2`); the
//          workers as one process of 2 threads, then as 2 processes of 1 thread (one per core,
//          the way workers scale out);
// it measures
//   1. the direct engine, batches of 256, on the same tweets;
//   2. `serve` in its own process: the most it sustains under autocannon (32 connections, 4 tweets
//      per request; then 128 connections, so that its batches can fill), and p50/p99 latency at
//      a steady offered rate (open loop, evenly spaced requests, bench/open-loop.ts; 2 s of the
//      same load first, not counted, so that the figures are the steady state's): 5,000
//      tweets/s for the fake engine; for the model, which cannot take 5,000 on one thread, 80% of
//      the most serve just sustained; for model2 both (5,000 is the issue's figure);
//   3. 1 and 2 worker processes draining a Redis stream (first XADD → last output; 50,000 tweets
//      for each engine), redis-server with --appendonly yes
//      --appendfsync everysec.
// Each ratio comes twice: wall clock (tweets/s over the direct rate) and CPU (the direct engine's
// CPU per tweet over the part's processes', /proc): what the part would reach on a core of its
// own. Every line ends with the load average, since the cores may be shared. Before each part this process
// runs a full GC (`--expose-gc`, as the bench scripts run it). No figure is asserted.
// `--smoke` (or TWNER_BENCH_SMOKE=1) runs the fake engine on small sizes in a few seconds (CI
// runs it once); `--work N` sets the fake engine's cost, `--tweets N` the stream's length, `--pin`
// pins processes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { createClient } from 'redis';
import type { TagEngine } from '../src';
import { tweet } from '../test/fake-engine';
import { engineFromArg } from '../test/fixtures/engine-arg';
import { RedisServer, redisServerAvailable } from '../test/redis-server';
import { openLoop } from './open-loop';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke') || process.env.TWNER_BENCH_SMOKE === '1';
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const WORK = flag('--work', 20);
const ENGINES = (args.includes('--engines') ? args[args.indexOf('--engines') + 1] : smoke ? 'fake' : 'fake,model,model2').split(',');
const LOAD_S = smoke ? 1 : 5;
const TEXTS_PER_REQUEST = 4;
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures');

/**
 * The WNUT16 test tweets as plain text (a tweet's tokens joined by spaces), from `$TWNER_DATA_DIR`
 * or ../shared/data/wnut16, read by @twner/tagger's `parseConll` as its own bench reads them;
 * null where the file is missing.
 */
async function wnut16TestTweets(): Promise<string[] | null> {
  const shared = process.env.TWNER_SHARED_DIR ?? fileURLToPath(new URL('../../../../shared/', import.meta.url));
  const file = path.join(process.env.TWNER_DATA_DIR ?? path.join(shared, 'data/wnut16'), 'test.conll');
  if (!existsSync(file)) return null;
  // Through a variable, as in test/fixtures/engine-arg.ts: type-checking this package does not compile the tagger.
  const taggerPackage = '@twner/tagger';
  const { parseConll } = (await import(taggerPackage)) as { parseConll(text: string, file: string): { tokens: string[] }[] };
  return parseConll(readFileSync(file, 'utf8'), file).map((s) => s.tokens.join(' '));
}

/** What one engine's runs use: the fixture argument, the sizes (the model is ~20× slower) and the tweets. */
interface Mode {
  name: string;
  /** The fixtures' engine argument: SHA-256 rounds, `model` or `model:2`. */
  arg: string;
  /** The engine argument of each of `n` workers (default `arg`) and how the line names them. */
  workers?: (n: number) => { arg: string; label: string };
  /** serve again on this engine argument (a pool of tagger threads), or none. */
  pool?: string;
  /** serve's open-loop rates: tweets/s, or a fraction of the most serve sustained just before. */
  offered: Offered[];
  directN: number;
  streamN: number;
  /** The i-th tweet of every part (direct engine, request bodies, stream entries). */
  text: (i: number) => string;
}
/** Each engine's mode, made when its part runs (the model's reads the WNUT16 tweets then). */
const MODES: Record<string, () => Promise<Mode>> = {
  fake: async () => ({ name: `fake engine (work=${WORK})`, arg: String(WORK), offered: [{ rate: 5000 }], directN: smoke ? 4000 : 50000, streamN: flag('--tweets', smoke ? 4000 : 50000), text: tweet }),
  model: async () => modelMode(1),
  model2: async () => modelMode(2),
};

async function modelMode(threads: 1 | 2): Promise<Mode> {
  const wnut16 = await wnut16TestTweets();
  const engine = threads === 1 ? 'shipped model (loadTagger())' : 'shipped model, 2 threads (loadTagger(undefined, { threads: 2 }))';
  return {
    name: wnut16 ? `${engine}, the ${wnut16.length} WNUT16 test tweets cycled` : `${engine}, synthetic tweets (WNUT16 test split not found: set TWNER_DATA_DIR)`,
    arg: threads === 1 ? 'model' : 'model:2',
    ...(threads === 2 ? { workers: (n: number) => (n === 1 ? { arg: 'model:2', label: '1 worker of 2 threads' } : { arg: 'model', label: `${n} workers of 1 thread` }), pool: 'pool:2' } : {}),
    offered: threads === 1 ? [{ ofMax: 0.8 }] : [{ ofMax: 0.8 }, { rate: 5000 }],
    directN: smoke ? 300 : 3850,
    streamN: flag('--tweets', smoke ? 300 : 50000),
    text: wnut16 ? (i) => wnut16[i % wnut16.length] : tweet,
  };
}

// `--pin` (taskset, ≥ 2 CPUs): this process (direct engine, load generator, producer) and Redis on
// CPU 1, serve and the first worker on CPU 0, so the part measured has a core as the direct engine has.
const PIN = args.includes('--pin') && os.cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;
function pin(pid: number | undefined, cpu: number): void {
  if (PIN && pid !== undefined) spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}
pin(process.pid, 1);

/**
 * CPU seconds a process has used (all its threads), from /proc (Linux; NaN elsewhere). On shared
 * cores wall-clock rates move with the neighbours' load, CPU per tweet much less: the direct
 * engine's CPU per tweet over a part's is the rate that part would reach on a core of its own,
 * provided the engine never waits for I/O (the wall-clock ratio shows whether it does).
 */
const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return NaN;
  }
}

/** `load 1.23 1.10 0.98`: the 1, 5 and 15 minute load averages, as `uptime` prints them. */
const load = (): string => `load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;

/** Tweets per second and CPU seconds per tweet of the engine called directly. */
function direct(engine: TagEngine, mode: Mode): { rate: number; cpu: number } {
  // Through JSON like the texts serve and the workers see: flat strings, not template-literal ropes.
  const texts: string[] = JSON.parse(JSON.stringify(Array.from({ length: mode.directN }, (_, i) => mode.text(i))));
  // Warm-up: one pass over the same tweets, as the serve and worker processes have tagged some
  // thousands before they are timed (a tagger that caches per word is then as warm here).
  for (let i = 0; i < texts.length; i += 256) void engine.tagBatch(texts.slice(i, i + 256));
  collectGarbage();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < texts.length; i += 256) void engine.tagBatch(texts.slice(i, i + 256));
  const c = process.cpuUsage(c0);
  return { rate: texts.length / ((performance.now() - t0) / 1000), cpu: (c.user + c.system) / 1e6 / texts.length };
}

function spawnFixture(file: string, argv: string[], ready: RegExp, cpu: number): Promise<{ proc: ChildProcess; match: RegExpExecArray }> {
  const proc = spawn(process.execPath, ['--import', TSX_LOADER, path.join(FIXTURES, file), ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
  pin(proc.pid, cpu);
  let out = '';
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = ready.exec(out);
      if (match) resolve({ proc, match });
    });
    proc.on('exit', (code) => reject(new Error(`${file} exited (${code}) before it was ready`)));
  });
}

/**
 * A full GC of this process (the load generator, the direct engine, the producer) before a part,
 * where node runs with --expose-gc (the bench scripts): so that garbage of the parts before is not
 * collected during the part timed, where a pause of the load generator would count as latency.
 */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

type Offered = { rate: number } | { ofMax: number };

interface ServeFigures {
  max: number;
  /** serve's CPU seconds per tweet in the autocannon run. */
  cpu: number;
  maxP99: number;
  /** The same with 128 connections (up to 512 tweets in flight, so that batches can fill). */
  deep: { max: number; cpu: number; p99: number };
  /** One open-loop run per rate of `mode.offered`. */
  paced: { offered: number; achieved: number; p50: number; p99: number; failed: number }[];
}

async function serve(mode: Mode): Promise<ServeFigures> {
  const { proc, match } = await spawnFixture('serve-main.ts', [mode.arg], /listening (\d+)\n/, 0);
  const url = `http://127.0.0.1:${match[1]}/v1/tag`;
  // Different bodies (every tweet of the direct part, up to 1,024 bodies), cycled by every connection.
  const bodies = Array.from({ length: Math.min(1024, Math.ceil(mode.directN / TEXTS_PER_REQUEST)) }, (_, r) => JSON.stringify({ texts: Array.from({ length: TEXTS_PER_REQUEST }, (_, i) => mode.text(r * TEXTS_PER_REQUEST + i)) }));
  // One counter for all connections: each request takes the next body, so the requests in flight
  // (and the batches they form) hold different tweets. (With `requests: bodies` every connection
  // walks the list from the start, in step: a batch held 32 copies of the same 4 tweets, which the
  // model tags about 1.4× faster than different tweets.)
  let next = 0;
  const requests = [{ method: 'POST' as const, setupRequest: (req: object) => ({ ...req, body: bodies[next++ % bodies.length] }) }];
  const common = { url, method: 'POST', headers: { 'content-type': 'application/json' }, requests, connections: 32 };
  if (!smoke) await autocannon({ ...common, duration: 1 }); // warm-up
  collectGarbage();
  const cpu0 = cpuSeconds(proc.pid);
  const flat = await autocannon({ ...common, duration: LOAD_S });
  const cpu = (cpuSeconds(proc.pid) - cpu0) / (flat['2xx'] * TEXTS_PER_REQUEST);
  const max = (flat['2xx'] * TEXTS_PER_REQUEST) / flat.duration;
  // 32 connections of 4 tweets keep at most 128 tweets in flight, half a batch of 256: with 128
  // connections serve's batches can fill, which shows what the service can do with more clients.
  collectGarbage();
  const cpuDeep0 = cpuSeconds(proc.pid);
  const deepRun = await autocannon({ ...common, connections: 128, duration: LOAD_S });
  const deep = {
    max: (deepRun['2xx'] * TEXTS_PER_REQUEST) / deepRun.duration,
    cpu: (cpuSeconds(proc.pid) - cpuDeep0) / (deepRun['2xx'] * TEXTS_PER_REQUEST),
    p99: deepRun.latency.p99,
  };
  const paced: ServeFigures['paced'] = [];
  for (const offered of mode.offered) {
    const rate = 'rate' in offered ? offered.rate : Math.max(100, Math.round((offered.ofMax * max) / 100) * 100);
    collectGarbage();
    const run = await openLoop({ url, bodies, rate: rate / TEXTS_PER_REQUEST, durationS: LOAD_S, connections: 64, warmupS: smoke ? 0.25 : 2 });
    paced.push({ offered: rate, achieved: (run.ok * TEXTS_PER_REQUEST) / run.elapsedS, p50: run.p50, p99: run.p99, failed: run.failed });
  }
  proc.kill('SIGTERM');
  await new Promise((r) => proc.once('exit', r));
  if (flat.errors + flat.non2xx + deepRun.errors + deepRun.non2xx > 0) throw new Error('serve answered errors under load');
  return {
    max,
    cpu,
    maxP99: flat.latency.p99,
    deep,
    paced,
  };
}

/** Tweets per second draining the stream, and the workers' CPU seconds per tweet. */
async function drain(redis: RedisServer, mode: Mode, workers: number): Promise<{ rate: number; cpu: number }> {
  const client = createClient({ url: redis.url });
  await client.connect();
  await client.flushAll();
  const procs = await Promise.all(
    Array.from({ length: workers }, async (_, w) => (await spawnFixture('worker-main.ts', [redis.url, `w${w}`, '256', '30000', workersOf(mode, workers).arg], /ready\n/, w % 2 === 0 ? 0 : 1)).proc),
  );
  const cpuOf = (): number => procs.reduce((sum, p) => sum + cpuSeconds(p.pid), 0);
  collectGarbage();
  const cpu0 = cpuOf();
  let firstId: string | undefined;
  for (let start = 0; start < mode.streamN; start += 1000) {
    const multi = client.multi();
    for (let i = start; i < Math.min(mode.streamN, start + 1000); i++) multi.xAdd('tweets', '*', { text: mode.text(i) });
    const ids = (await multi.exec()) as unknown as string[];
    firstId ??= ids[0];
  }
  while ((await client.xLen('tweets:entities')) < mode.streamN) await new Promise((r) => setTimeout(r, 20));
  const last = await client.xRevRange('tweets:entities', '+', '-', { COUNT: 1 });
  // Stream ids start with Redis' clock in ms: first input XADD → last output XADD.
  const ms = Number(last[0].id.split('-')[0]) - Number(firstId!.split('-')[0]);
  const cpu = (cpuOf() - cpu0) / mode.streamN;
  for (const p of procs) p.kill('SIGTERM');
  await Promise.all(procs.map((p) => new Promise((r) => p.once('exit', r))));
  await client.close();
  return { rate: mode.streamN / (ms / 1000), cpu };
}

const workersOf = (mode: Mode, n: number): { arg: string; label: string } => mode.workers?.(n) ?? { arg: mode.arg, label: `${n} worker${n > 1 ? 's' : ''}` };

const num = (x: number): string => x.toFixed(0).padStart(8);
/** `61% of direct, CPU 78%`: the wall-clock ratio, then the direct engine's CPU per tweet over the part's. */
const vs = (rate: number, cpu: number, d: { rate: number; cpu: number }): string =>
  `${((100 * rate) / d.rate).toFixed(0)}% of direct, CPU ${Number.isNaN(cpu) ? 'n/a' : `${((100 * d.cpu) / cpu).toFixed(0)}%`}`;

async function bench(mode: Mode, redis: RedisServer | undefined): Promise<void> {
  const engine = await engineFromArg(mode.arg);
  console.log(`\n${mode.name}`);
  // The cores may be shared, so the direct rate is measured again right before each part.
  let d = direct(engine, mode);
  const showDirect = (): void => console.log(`  direct engine                        ${num(d.rate)} tweets/s, ${(d.cpu * 1e6).toFixed(0)} µs CPU a tweet   ${load()}`);
  showDirect();
  /** serve's lines, each label padded to the same column. */
  const showServe = (name: string, s: ServeFigures): void => {
    const line = (label: string, figures: string): void => console.log(`  ${label.padEnd(37)}${figures}   ${load()}`);
    line(`${name}, 32 connections`, `${num(s.max)} tweets/s (${vs(s.max, s.cpu, d)}), p99 ${s.maxP99} ms`);
    line(`${name}, 128 connections`, `${num(s.deep.max)} tweets/s (${vs(s.deep.max, s.deep.cpu, d)}), p99 ${s.deep.p99} ms`);
    for (const p of s.paced) {
      line(`${name} at ${String(p.offered).padEnd(5)} offered`, `${num(p.achieved)} tweets/s, p50 ${p.p50.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms${p.failed ? `, ${p.failed} failed` : ''}`);
    }
  };
  showServe('serve', await serve(mode));
  // The same service on a pool of tagger threads (`twner serve --pool 2`): its HTTP thread does nothing else.
  if (mode.pool !== undefined) showServe('serve --pool 2', await serve({ ...mode, arg: mode.pool }));
  if (!redis) {
    console.log('  workers: SKIPPED, redis-server not found');
  } else {
    for (const n of [1, 2]) {
      d = direct(engine, mode);
      showDirect();
      const w = await drain(redis, mode, n);
      console.log(`  ${`${workersOf(mode, n).label}, ${mode.streamN} tweets`.padEnd(36)} ${num(w.rate)} tweets/s (${vs(w.rate, w.cpu, d)})   ${load()}`);
    }
  }
  await engine.close?.();
}

async function main(): Promise<void> {
  console.log(`@twner/stream bench${smoke ? ' (smoke)' : ''}: ${ENGINES.join(', ')}; ${os.cpus().length} CPUs, node ${process.version}${PIN ? ', pinned (see bench/stream.ts)' : ''}`);
  // Redis' own default fsync policy for the append-only file (the tests use `always`).
  const redis = redisServerAvailable() ? await RedisServer.start({ fsync: 'everysec' }) : undefined;
  pin(redis?.pid, 1);
  try {
    for (const name of ENGINES) {
      const makeMode = MODES[name];
      if (!makeMode) throw new Error(`--engines: unknown engine "${name}"; the engines are ${Object.keys(MODES).join(', ')}`);
      const mode = await makeMode();
      await bench(mode, redis);
    }
  } finally {
    await redis?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
