// Throughput of @twner/stream: `pnpm --filter @twner/stream bench` (timings live here, never in tests).
// With the same fake engine (capitalised-word tagger, `--work` SHA-256 rounds per tweet, default 20):
//   1. the direct engine, batches of 256;
//   2. `serve` in its own process under autocannon (32 connections, 4 tweets per request):
//      the most it sustains, and p50/p99 latency at 5,000 tweets/s offered;
//   3. 1 and 2 worker processes draining a 50,000-tweet Redis stream (first XADD → last output),
//      redis-server with --appendonly yes --appendfsync everysec.
// `--smoke` (or TWNER_BENCH_SMOKE=1) runs every part on small sizes in a few seconds (CI runs it
// once); `--work N` sets the engine's cost, `--tweets N` the stream's length, `--pin` pins processes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { createClient } from 'redis';
import { fakeEngine, tweet } from '../test/fake-engine';
import { RedisServer, redisServerAvailable } from '../test/redis-server';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke') || process.env.TWNER_BENCH_SMOKE === '1';
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const WORK = flag('--work', 20);
const STREAM_N = flag('--tweets', smoke ? 4000 : 50000);
const DIRECT_N = smoke ? 4000 : 50000;
const LOAD_S = smoke ? 1 : 5;
const TEXTS_PER_REQUEST = 4;
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures');

// `--pin` (taskset, ≥ 2 CPUs): this process (direct engine, load generator, producer) and Redis on
// CPU 1, serve and the first worker on CPU 0, so the part measured has a core as the direct engine has.
const PIN = args.includes('--pin') && os.cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;
function pin(pid: number | undefined, cpu: number): void {
  if (PIN && pid !== undefined) spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}
pin(process.pid, 1);

function direct(): number {
  const engine = fakeEngine({ work: WORK });
  // Through JSON like the texts serve and the workers see: flat strings, not template-literal ropes.
  const texts: string[] = JSON.parse(JSON.stringify(Array.from({ length: DIRECT_N }, (_, i) => tweet(i))));
  engine.tagBatch(texts.slice(0, 512)); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < texts.length; i += 256) engine.tagBatch(texts.slice(i, i + 256));
  return texts.length / ((performance.now() - t0) / 1000);
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

async function serve(): Promise<{ max: number; p50: number; p99: number; offered: number; achieved: number; maxP99: number }> {
  const { proc, match } = await spawnFixture('serve-main.ts', [String(WORK)], /listening (\d+)\n/, 0);
  const url = `http://127.0.0.1:${match[1]}/v1/tag`;
  // 256 different bodies, cycled by every connection, so the texts vary as in the other parts.
  const requests = Array.from({ length: 256 }, (_, r) => ({
    body: JSON.stringify({ texts: Array.from({ length: TEXTS_PER_REQUEST }, (_, i) => tweet(r * TEXTS_PER_REQUEST + i)) }),
  }));
  const common = { url, method: 'POST', headers: { 'content-type': 'application/json' }, requests, connections: 32 };
  if (!smoke) await autocannon({ ...common, duration: 1 }); // warm-up
  const flat = await autocannon({ ...common, duration: LOAD_S });
  const offered = 5000;
  const paced = await autocannon({ ...common, duration: LOAD_S, overallRate: offered / TEXTS_PER_REQUEST });
  proc.kill('SIGTERM');
  await new Promise((r) => proc.once('exit', r));
  if (flat.errors + flat.non2xx + paced.errors + paced.non2xx > 0) throw new Error('serve answered errors under load');
  return {
    max: (flat['2xx'] * TEXTS_PER_REQUEST) / flat.duration,
    maxP99: flat.latency.p99,
    offered,
    achieved: (paced['2xx'] * TEXTS_PER_REQUEST) / paced.duration,
    p50: paced.latency.p50,
    p99: paced.latency.p99,
  };
}

async function drain(redis: RedisServer, workers: number): Promise<number> {
  const client = createClient({ url: redis.url });
  await client.connect();
  await client.flushAll();
  const procs: ChildProcess[] = [];
  for (let w = 0; w < workers; w++) procs.push((await spawnFixture('worker-main.ts', [redis.url, `w${w}`, '256', '30000', String(WORK)], /ready\n/, w % 2 === 0 ? 0 : 1)).proc);
  let firstId: string | undefined;
  for (let start = 0; start < STREAM_N; start += 1000) {
    const multi = client.multi();
    for (let i = start; i < Math.min(STREAM_N, start + 1000); i++) multi.xAdd('tweets', '*', { text: tweet(i) });
    const ids = (await multi.exec()) as unknown as string[];
    firstId ??= ids[0];
  }
  while ((await client.xLen('tweets:entities')) < STREAM_N) await new Promise((r) => setTimeout(r, 20));
  const last = await client.xRevRange('tweets:entities', '+', '-', { COUNT: 1 });
  // Stream ids start with Redis' clock in ms: first input XADD → last output XADD.
  const ms = Number(last[0].id.split('-')[0]) - Number(firstId!.split('-')[0]);
  for (const p of procs) p.kill('SIGTERM');
  await Promise.all(procs.map((p) => new Promise((r) => p.once('exit', r))));
  await client.close();
  return STREAM_N / (ms / 1000);
}

async function main(): Promise<void> {
  console.log(`@twner/stream bench${smoke ? ' (smoke)' : ''}: fake engine work=${WORK}, ${os.cpus().length} CPUs, node ${process.version}${PIN ? ', pinned (see bench/stream.ts)' : ''}`);
  // The 2 cores are shared, so the direct rate is measured again right before each part.
  let engineRate = direct();
  console.log(`direct engine           ${engineRate.toFixed(0).padStart(8)} tweets/s`);
  const s = await serve();
  console.log(`serve, 32 connections   ${s.max.toFixed(0).padStart(8)} tweets/s (${((100 * s.max) / engineRate).toFixed(0)}% of direct), p99 ${s.maxP99} ms`);
  console.log(`serve at ${s.offered} offered  ${s.achieved.toFixed(0).padStart(8)} tweets/s, p50 ${s.p50} ms, p99 ${s.p99} ms`);
  if (!redisServerAvailable()) {
    console.log('workers: SKIPPED, redis-server not found');
    return;
  }
  // Redis' own default fsync policy for the append-only file (the tests use `always`).
  const redis = await RedisServer.start({ fsync: 'everysec' });
  pin(redis.pid, 1);
  try {
    for (const n of [1, 2]) {
      engineRate = direct();
      console.log(`direct engine           ${engineRate.toFixed(0).padStart(8)} tweets/s`);
      const rate = await drain(redis, n);
      console.log(`${n} worker${n > 1 ? 's' : ' '}, ${STREAM_N} tweets ${rate.toFixed(0).padStart(8)} tweets/s (${((100 * rate) / engineRate).toFixed(0)}% of direct)`);
    }
  } finally {
    await redis.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
