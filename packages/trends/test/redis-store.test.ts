import { createClient } from 'redis';
import { memoryTrendStore, redisTrendStore, TrendsOptionsError, TrendsRedisError, type TrendStore } from '../src';
import { haveRedisServer, startRedisServer, type RedisServer } from './redis-server';
import { plantedBurst, rng, T0 } from './synthetic';

const MIN = 60_000;
const describeRedis = haveRedisServer() ? describe : describe.skip;

async function feed(store: TrendStore, records: ReturnType<typeof plantedBurst>): Promise<void> {
  for (const r of records) await store.record(r.entities, r.at);
}

describeRedis('redisTrendStore (real redis-server)', () => {
  let server: RedisServer;
  let client: ReturnType<typeof createClient>;
  // Keys expire relative to the wall clock; the synthetic streams are in 2026-01, so pretend it is then.
  const clock = (): number => T0 + 3 * 60 * MIN;

  beforeAll(async () => {
    server = await startRedisServer();
    client = createClient({ url: server.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it('answers exactly what the memory store answers, top and rising, on a planted-burst stream', async () => {
    const records = plantedBurst(120, 5);
    const redis = redisTrendStore({ client, prefix: 'same', clock });
    const memory = memoryTrendStore();
    await feed(redis, records);
    await feed(memory, records);
    const now = T0 + 120 * MIN - 1;
    for (const window of [300, 3600, 86400]) {
      for (const view of ['top', 'rising'] as const) {
        const q = { window, view, limit: 10, now };
        expect(await redis.query(q)).toEqual(await memory.query(q));
      }
    }
    const rising = await redis.query({ window: 300, view: 'rising', limit: 10, now });
    expect(rising.types.other.map((e) => e.entity)).toEqual(['eclipse']);
  });

  it('keeps each minute at topK members with the same space-saving counts as the memory store', async () => {
    const random = rng(5);
    const records = Array.from({ length: 3000 }, () => ({
      at: T0 + Math.floor(random() * 3 * MIN),
      entities: [{ type: 'p', text: `e${Math.floor(1 / (random() * 0.97 + 0.03))}` }],
    }));
    const redis = redisTrendStore({ client, prefix: 'bounded', topK: 6, clock });
    const memory = memoryTrendStore({ topK: 6 });
    await feed(redis, records);
    await feed(memory, records);
    for (let m = 0; m < 3; m += 1) {
      expect(await client.zCard(`bounded:p:${Math.floor(T0 / MIN) + m}`)).toBe(6);
    }
    const q = { window: 180, view: 'top' as const, limit: 100, now: T0 + 3 * MIN - 1 };
    expect(await redis.query(q)).toEqual(await memory.query(q));
  });

  it('shares counts between stores (workers record, servers read) and sets expiry on every minute', async () => {
    const a = redisTrendStore({ url: server.url, prefix: 'shared', clock });
    const b = redisTrendStore({ url: server.url, prefix: 'shared', clock });
    await a.record([{ type: 'person', text: '#Obama' }], T0);
    await b.record([{ type: 'person', text: 'obama' }, { type: 'geo-loc', text: 'Paris' }], T0 + 1000);
    const r = await b.query({ window: 300, view: 'top', limit: 5, now: T0 + 2000 });
    expect(r.types).toEqual({ 'geo-loc': [{ entity: 'paris', count: 1, score: 2 }], person: [{ entity: 'obama', count: 2, score: 3 }] });
    const ttl = await client.ttl(`shared:person:${Math.floor(T0 / MIN)}`);
    expect(ttl).toBeGreaterThan(0);
    expect(await client.keys('shared:tmp:*')).toEqual([]);
    await a.close();
    await b.close();
  });

  it('skips minutes already older than retention', async () => {
    const store = redisTrendStore({ client, prefix: 'old', retention: 600, clock });
    await store.record([{ type: 'p', text: 'x' }], T0); // 3 h before the clock
    expect(await client.keys('old:*')).toEqual([]);
  });
});

describe('redisTrendStore errors', () => {
  it('wants exactly one of client and url, and no unknown options', () => {
    expect(() => redisTrendStore({})).toThrow(TrendsOptionsError);
    expect(() => redisTrendStore({ url: 'redis://127.0.0.1:1', prefx: 'x' } as never)).toThrow(/`prefx` is not an option/);
  });

  it('names the URL and the fix when Redis is not there', async () => {
    const store = redisTrendStore({ url: 'redis://127.0.0.1:1' });
    const error = await store.record([{ type: 'p', text: 'x' }], Date.now()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrendsRedisError);
    expect(error).toMatchObject({ code: 'ERR_TRENDS_REDIS', command: 'CONNECT' });
    expect((error as Error).message).toMatch(/redis:\/\/127\.0\.0\.1:1 failed.*start redis-server/);
    await store.close();
  });
});
