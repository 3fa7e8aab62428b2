// Short throughput check of the stores: `pnpm --filter @twner/trends bench` (a few seconds).
// Records a skewed day of mentions, then times 5-min, 1-h and 24-h reads in both views.
// With redis-server on the PATH the same runs against a throw-away Redis on 127.0.0.1.
// TWNER_BENCH_SMOKE=1 (CI): 2,000 mentions (BENCH_MENTIONS still wins).
import { createClient } from 'redis';
import { memoryTrendStore, redisTrendStore, type TrendStore } from '../src';
import { haveRedisServer, startRedisServer } from '../test/redis-server';
import { rng } from '../test/synthetic';

const MENTIONS = Number(process.env.BENCH_MENTIONS ?? (process.env.TWNER_BENCH_SMOKE === '1' ? 2_000 : 200_000));
const T0 = Date.UTC(2026, 0, 15);
const DAY = 86_400_000;

function stream(): { at: number; type: string; text: string }[] {
  const random = rng(1);
  const types = ['person', 'geo-loc', 'company', 'product', 'other'];
  return Array.from({ length: MENTIONS }, (_, i) => ({
    at: T0 + Math.floor((i / MENTIONS) * DAY),
    type: types[i % types.length],
    text: `entity ${Math.floor(1 / (random() * 0.999 + 0.001))}`,
  }));
}

async function run(name: string, store: TrendStore, batch: number): Promise<void> {
  const mentions = stream();
  let t = performance.now();
  for (let i = 0; i < mentions.length; i += batch) {
    const chunk = mentions.slice(i, i + batch);
    await store.record(chunk, chunk[0].at);
  }
  const recordS = (performance.now() - t) / 1000;
  const line = [`${name}: record ${MENTIONS} mentions (batches of ${batch}) ${recordS.toFixed(2)} s = ${Math.round(MENTIONS / recordS)} /s`];
  for (const window of [300, 3600, 86400]) {
    for (const view of ['top', 'rising'] as const) {
      t = performance.now();
      await store.query({ window, view, limit: 20, now: T0 + DAY - 1 });
      line.push(`${view} ${window} s ${(performance.now() - t).toFixed(1)} ms`);
    }
  }
  console.log(line.join('; '));
}

async function main(): Promise<void> {
  await run('memory', memoryTrendStore(), 16);
  if (!haveRedisServer()) return;
  const server = await startRedisServer();
  const client = createClient({ url: server.url });
  await client.connect();
  try {
    await run('redis', redisTrendStore({ client, clock: () => T0 + DAY }), 16);
  } finally {
    await client.close();
    await server.stop();
  }
}

void main();
