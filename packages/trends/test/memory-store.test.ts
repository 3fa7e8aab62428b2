import { bucketOf, memoryTrendStore, normaliseMention, risingScore, TrendsOptionsError, TrendsQueryError, type TrendStore } from '../src';
import { plantedBurst, rng, T0 } from './synthetic';

const MIN = 60_000;

async function feed(store: TrendStore, records: { at: number; entities: readonly { type: string; text: string }[] }[]): Promise<void> {
  for (const r of records) await store.record(r.entities, r.at);
}

/** Exact counts straight from the records: the independent truth for window reads. */
function exactCounts(records: ReturnType<typeof plantedBurst>, type: string, fromMs: number, toMs: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of records) {
    if (r.at < fromMs || r.at > toMs) continue;
    for (const e of r.entities) if (e.type === type) m.set(normaliseMention(e.text), (m.get(normaliseMention(e.text)) ?? 0) + 1);
  }
  return m;
}

describe('memoryTrendStore windows', () => {
  it('counts #Yankees, yankees and Yankees as one entity', async () => {
    const store = memoryTrendStore();
    await store.record([{ type: 'sportsteam', text: '#Yankees' }, { type: 'sportsteam', text: 'yankees' }, { type: 'sportsteam', text: 'Yankees' }], T0);
    const r = await store.query({ window: 300, view: 'top', limit: 5, now: T0 + 1000 });
    expect(r.types.sportsteam).toEqual([{ entity: 'yankees', count: 3, score: 4 }]);
    expect(r.generatedAt).toBe(new Date(T0 + 1000).toISOString());
  });

  it('reads the current minute and the whole minutes before it, nothing else', async () => {
    const store = memoryTrendStore();
    const now = T0 + 5 * MIN + 30_000; // 12:05:30
    await store.record([{ type: 'person', text: 'too old' }], T0 + MIN - 1); // 12:00:59.999
    await store.record([{ type: 'person', text: 'first in' }], T0 + MIN); // 12:01:00
    await store.record([{ type: 'person', text: 'last in' }], now);
    await store.record([{ type: 'person', text: 'future' }], T0 + 6 * MIN); // 12:06:00
    const r = await store.query({ window: 300, view: 'top', limit: 10, now });
    expect(r.types.person.map((e) => e.entity).sort()).toEqual(['first in', 'last in']);
  });

  it('agrees with exact counts from the records for 5 min, 1 h and 24 h windows', async () => {
    const records = plantedBurst(180);
    const store = memoryTrendStore();
    await feed(store, records);
    const now = records[records.length - 1].at;
    for (const window of [300, 3600, 86400]) {
      const from = Math.floor(now / MIN) * MIN - (Math.ceil(window / 60) - 1) * MIN;
      for (const type of ['person', 'sportsteam', 'other']) {
        const truth = exactCounts(records, type, from, now);
        const r = await store.query({ window, view: 'top', limit: 100, now, types: [type] });
        expect(new Map(r.types[type].map((e) => [e.entity, e.count]))).toEqual(truth);
        expect(store.errorBound(type, window, now)).toBe(0);
      }
    }
  });

  it('ranks top entities by count, then name', async () => {
    const store = memoryTrendStore();
    await store.record(['b', 'a', 'c', 'c'].map((text) => ({ type: 't', text })), T0);
    const r = await store.query({ window: 60, view: 'top', limit: 2, now: T0 });
    expect(r.types.t.map((e) => [e.entity, e.count])).toEqual([['c', 2], ['a', 1]]);
  });

  it('reports only the types asked for, and an empty list for a type never seen', async () => {
    const store = memoryTrendStore();
    await store.record([{ type: 'person', text: 'x' }, { type: 'geo-loc', text: 'y' }], T0);
    const r = await store.query({ window: 60, view: 'top', limit: 5, now: T0, types: ['person', 'movie'] });
    expect(Object.keys(r.types)).toEqual(['person', 'movie']);
    expect(r.types.movie).toEqual([]);
  });
});

describe('rising score', () => {
  it('is (count + 1) / (expected + 1) with expected from the baseline rate', async () => {
    // 5-minute window 12:26–12:30, baseline 4 windows = the 20 minutes 12:06–12:25.
    const store = memoryTrendStore({ minCount: 1, minScore: 0 });
    const now = T0 + 30 * MIN;
    for (let m = 6; m <= 25; m += 1) await store.record([{ type: 'p', text: 'steady' }], T0 + m * MIN); // 20 in baseline
    for (let m = 26; m <= 30; m += 1) await store.record([{ type: 'p', text: 'steady' }, { type: 'p', text: 'new' }], T0 + m * MIN);
    const r = await store.query({ window: 300, view: 'rising', limit: 10, now });
    const expectedSteady = (20 * 5) / 20; // 5
    expect(r.types.p).toEqual([
      { entity: 'new', count: 5, score: 6 },
      { entity: 'steady', count: 5, score: (5 + 1) / (expectedSteady + 1) },
    ]);
    expect(risingScore(5, 20, 5, 20)).toBe(1);
    expect(risingScore(5, 0, 5, 0)).toBe(6);
  });

  it('finds the planted burst and lists no steady entity as rising', async () => {
    const records = plantedBurst(120, 5);
    const store = memoryTrendStore();
    await feed(store, records);
    const now = T0 + 120 * MIN - 1;
    const r = await store.query({ window: 300, view: 'rising', limit: 10, now });
    const rising = Object.entries(r.types).flatMap(([type, entries]) => entries.map((e) => `${type}/${e.entity}`));
    expect(rising).toEqual(['other/eclipse']);
    expect(r.types.other[0].score).toBeGreaterThan(10);
    // the steady ones are there in top, with scores near 1
    const top = await store.query({ window: 300, view: 'top', limit: 10, now });
    expect(top.types.sportsteam[0].entity).toBe('yankees');
    for (const type of ['sportsteam', 'person', 'geo-loc', 'company']) {
      for (const e of top.types[type]) expect(e.score).toBeLessThan(1.6);
    }
  });

  it('does not call one or two mentions a trend (minCount)', async () => {
    const store = memoryTrendStore();
    await store.record([{ type: 'p', text: 'once' }, { type: 'p', text: 'twice' }, { type: 'p', text: 'twice' }], T0);
    const r = await store.query({ window: 300, view: 'rising', limit: 10, now: T0 });
    expect(r.types.p).toEqual([]);
  });

  it('finds bursts on many seeded streams (property)', async () => {
    for (let seed = 1; seed <= 8; seed += 1) {
      const records = plantedBurst(60, 5, seed);
      const store = memoryTrendStore();
      await feed(store, records);
      const r = await store.query({ window: 300, view: 'rising', limit: 3, now: T0 + 60 * MIN - 1 });
      expect(Object.entries(r.types).filter(([, e]) => e.length > 0).map(([t, e]) => `${t}/${e[0].entity}`)).toEqual(['other/eclipse']);
    }
  });
});

describe('memory bound', () => {
  it('keeps at most topK counters per type and minute, within the documented error of exact counts', async () => {
    const random = rng(11);
    const topK = 8;
    const store = memoryTrendStore({ topK });
    const records: ReturnType<typeof plantedBurst> = [];
    for (let i = 0; i < 6000; i += 1) {
      const rank = Math.floor(1 / (random() * 0.98 + 0.02)); // heavy-tailed: 1..50
      records.push({ at: T0 + Math.floor(random() * 10 * MIN), entities: [{ type: 'p', text: `e${rank}` }] });
    }
    await feed(store, records);
    const now = T0 + 10 * MIN - 1;
    expect(store.stats().counters).toBeLessThanOrEqual(10 * topK);
    const truth = exactCounts(records, 'p', T0, now);
    const bound = store.errorBound('p', 600, now);
    expect(bound).toBeGreaterThan(0);
    expect(bound).toBeLessThanOrEqual(6000 / topK);
    const got = await store.query({ window: 600, view: 'top', limit: 1000, now });
    const est = new Map(got.types.p.map((e) => [e.entity, e.count]));
    for (const [entity, count] of truth) expect(Math.abs((est.get(entity) ?? 0) - count)).toBeLessThanOrEqual(bound);
    // the heavy hitters come out in the right order
    expect(got.types.p.slice(0, 2).map((e) => e.entity)).toEqual(['e1', 'e2']);
  });

  it('drops minutes older than retention behind the newest one', async () => {
    const store = memoryTrendStore({ retention: 600 });
    for (let m = 0; m < 30; m += 1) await store.record([{ type: 'p', text: 'x' }], T0 + m * MIN);
    expect(store.stats().buckets).toBe(10);
    await store.record([{ type: 'p', text: 'late' }], T0);
    expect(store.stats().dropped).toBe(1);
    expect(store.latest()).toBe(T0 + 29 * MIN);
    expect(bucketOf(store.series('p', 'x', 300, T0 + 29 * MIN)[0].at)).toBe(bucketOf(T0 + 25 * MIN));
  });
});

describe('errors', () => {
  it('refuses unknown options and out-of-range values', () => {
    expect(() => memoryTrendStore({ topk: 5 } as never)).toThrow(TrendsOptionsError);
    expect(() => memoryTrendStore({ topk: 5 } as never)).toThrowErrorMatchingInlineSnapshot(
      `"memoryTrendStore: option \`topk\` is not an option; the options are topK, retention, baselineFactor, minCount, minScore"`,
    );
    expect(() => memoryTrendStore({ topK: 0 })).toThrow(/option `topK` must be an integer ≥ 1, got 0/);
  });

  it('refuses bad queries with the field named', async () => {
    const store = memoryTrendStore({ retention: 3600 });
    await expect(store.query({ window: 7200, view: 'top', limit: 5 })).rejects.toMatchObject({ code: 'ERR_TRENDS_QUERY', field: 'window' });
    await expect(store.query({ window: 300, view: 'hot' as never, limit: 5 })).rejects.toThrow(/`view` must be 'top' or 'rising', got "hot"/);
    await expect(store.query({ window: 300, view: 'top', limit: 0 })).rejects.toBeInstanceOf(TrendsQueryError);
    await expect(store.query({ window: 300, view: 'top', limit: 5, typo: 1 } as never)).rejects.toThrow(/`typo` is not a query field/);
  });
});
