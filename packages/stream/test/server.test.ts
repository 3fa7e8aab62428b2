import { createServer, OptionsError, parseTrendQuery, type TrendQuery } from '../src';
import { fakeEngine, tagOne, tweet } from './fake-engine';
import { parsePrometheus, sampleValue } from './prometheus';

const post = (texts: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST' as const,
  url: '/v1/tag',
  headers: { 'content-type': 'application/json', ...headers },
  payload: typeof texts === 'string' ? texts : JSON.stringify(texts),
});

describe('createServer', () => {
  it('POST /v1/tag answers one result per text with the engine entities', async () => {
    const app = createServer({ engine: fakeEngine() });
    const texts = ['I saw Taylor Swift in New York', 'nothing here', 'Berlin calling'];
    const res = await app.inject(post({ texts }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ results: texts.map((t) => ({ entities: tagOne(t) })) });
    expect(res.json().results[0].entities[0]).toEqual({ type: 'person', text: 'Taylor Swift', start: 6, end: 18, score: 0.7 });
    await app.close();
  });

  it.each([
    ['malformed JSON', 400, '{"texts": [', 'not valid JSON'],
    ['texts missing', 400, { text: 'x' }, 'texts'],
    ['a non-string text', 400, { texts: ['ok', 5] }, 'body.texts.1 must be string'],
    ['texts not an array', 400, { texts: 'hello' }, 'must be array'],
    ['too many texts', 400, { texts: ['a', 'b', 'c', 'd'] }, 'must NOT have more than 3 items'],
    ['a text too long', 400, { texts: ['x'.repeat(41)] }, 'must NOT have more than 40 characters'],
    ['an oversize body', 413, { texts: ['y'.repeat(39), 'y'.repeat(39), 'y'.repeat(39)] }, 'larger than the limit of 100 bytes'],
  ])('answers %s with HTTP %d', async (_what, status, body, message) => {
    const app = createServer({ engine: fakeEngine(), maxTexts: 3, maxTextLength: 40, bodyLimit: 100 });
    const res = await app.inject(post(body));
    expect(res.statusCode).toBe(status);
    expect(res.json().error.message).toContain(message);
    await app.close();
  });

  it('answers 503 with Retry-After when the queue is full, and counts it', async () => {
    // An async engine that holds its batch until released, so the queue fills behind it.
    let release: () => void = () => undefined;
    const engine = {
      tagBatch: (texts: readonly string[]) => new Promise<{ entities: [] }[]>((resolve) => (release = () => resolve(texts.map(() => ({ entities: [] }))))),
    };
    const app = createServer({ engine, maxBatch: 2, maxWaitMs: 0, maxQueue: 4, maxTexts: 4 });
    const first = app.inject(post({ texts: ['a', 'b'] }));
    await new Promise((r) => setTimeout(r, 20)); // first batch is now in the engine
    const queued = app.inject(post({ texts: ['c', 'd', 'e'] }));
    await new Promise((r) => setTimeout(r, 20));
    const refused = await app.inject(post({ texts: ['f', 'g'] }));
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json().error.code).toBe('ERR_STREAM_QUEUE_FULL');
    const timer = setInterval(() => release(), 5);
    expect((await first).statusCode).toBe(200);
    expect((await queued).json().results).toHaveLength(3);
    clearInterval(timer);
    const { samples } = parsePrometheus((await app.inject({ method: 'GET', url: '/metrics' })).body);
    expect(sampleValue(samples, 'twner_queue_rejections_total')).toBe(1);
    await app.close();
  });

  it('cuts batches at 256 texts by default, at 32 for an engine that runs calls side by side, at maxBatch when given', async () => {
    const texts = Array.from({ length: 300 }, (_, i) => tweet(i));
    const callsOf = async (concurrency: number | undefined, maxBatch?: number): Promise<number[]> => {
      const engine = fakeEngine();
      const app = createServer({ engine: concurrency === undefined ? engine : { tagBatch: engine.tagBatch, concurrency }, ...(maxBatch ? { maxBatch } : {}), maxWaitMs: 0 });
      const res = await app.inject(post({ texts }));
      expect(res.json().results).toEqual(texts.map((t) => ({ entities: tagOne(t) })));
      await app.close();
      return engine.calls;
    };
    expect(await callsOf(undefined)).toEqual([256, 44]);
    expect(await callsOf(1)).toEqual([256, 44]);
    expect(await callsOf(2)).toEqual([...new Array<number>(9).fill(32), 12]);
    expect(await callsOf(2, 100)).toEqual([100, 100, 100]);
  });

  it('GET /metrics counts requests, tweets and batch sizes as the traffic sent', async () => {
    const engine = fakeEngine();
    const app = createServer({ engine, maxBatch: 5, maxWaitMs: 1 });
    for (let r = 0; r < 6; r++) await app.inject(post({ texts: Array.from({ length: r + 1 }, (_, i) => tweet(i)) }));
    await app.inject(post('not json'));
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.headers['content-type']).toContain('text/plain; version=0.0.4');
    const { samples, types } = parsePrometheus(res.body);
    expect(types).toMatchObject({ twner_http_requests_total: 'counter', twner_request_duration_seconds: 'histogram', twner_queue_depth: 'gauge', twner_batch_size: 'histogram' });
    expect(sampleValue(samples, 'twner_http_requests_total', { route: '/v1/tag', code: '200' })).toBe(6);
    expect(sampleValue(samples, 'twner_http_requests_total', { route: '/v1/tag', code: '400' })).toBe(1);
    expect(sampleValue(samples, 'twner_tweets_tagged_total')).toBe(21);
    // Batches: as many as the engine saw, each of at most 5 texts; the histogram agrees with the engine's calls.
    expect(sampleValue(samples, 'twner_batch_size_count')).toBe(engine.calls.length);
    expect(sampleValue(samples, 'twner_batch_size_sum')).toBe(21);
    expect(sampleValue(samples, 'twner_batch_size_bucket', { le: '4' })).toBe(engine.calls.filter((c) => c <= 4).length);
    expect(sampleValue(samples, 'twner_request_duration_seconds_count')).toBe(6);
    expect(sampleValue(samples, 'twner_queue_depth')).toBe(0);
    await app.close();
  });

  it('GET /healthz answers ok', async () => {
    const app = createServer({ engine: fakeEngine() });
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('ok');
    await app.close();
  });

  it('records every tagged mention in the trend sink and serves its queries', async () => {
    const recorded: { type: string; text: string }[] = [];
    const queries: TrendQuery[] = [];
    const trends = {
      record: (mentions: readonly { type: string; text: string }[]) => void recorded.push(...mentions),
      query: (q: TrendQuery) => {
        queries.push(q);
        return { entities: [{ text: 'Taylor Swift', count: 1 }] };
      },
    };
    const app = createServer({ engine: fakeEngine(), trends, dashboardHtml: () => '<h1>twner</h1>' });
    const texts = ['Taylor Swift in Paris', 'Obama'];
    await app.inject(post({ texts }));
    expect(recorded).toEqual(texts.flatMap(tagOne).map((e) => ({ type: e.type, text: e.text })));
    const res = await app.inject({ method: 'GET', url: '/v1/trends?window=300&type=person&view=rising&limit=20' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ entities: [{ text: 'Taylor Swift', count: 1 }] });
    expect(queries).toEqual([{ window: 300, types: ['person'], view: 'rising', limit: 20 }]);
    for (const bad of ['window=0', 'window=abc', 'view=hot', 'limit=5000', 'type=per%20son', 'color=red', 'limit=1&limit=2']) {
      const r = await app.inject({ method: 'GET', url: `/v1/trends?${bad}` });
      expect([bad, r.statusCode]).toEqual([bad, 400]);
    }
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toBe('<h1>twner</h1>');
    await app.close();
  });

  it('has no trends or dashboard routes without those options', async () => {
    const app = createServer({ engine: fakeEngine() });
    expect((await app.inject({ method: 'GET', url: '/v1/trends' })).statusCode).toBe(404);
    const missing = await app.inject({ method: 'GET', url: '/?x=1' });
    expect(missing.statusCode).toBe(404);
    // the error shape of every other refusal, naming the routes there are
    expect(missing.json()).toEqual({ error: { code: 'ERR_NOT_FOUND', message: 'no route GET /; the service answers POST /v1/tag, GET /healthz, GET /metrics' } });
    await app.close();
  });

  it('says to send JSON when the body comes as text/plain (415), and tags it as JSON', async () => {
    const app = createServer({ engine: fakeEngine() });
    const body = JSON.stringify({ texts: ['hello'] });
    const plain = await app.inject({ method: 'POST', url: '/v1/tag', headers: { 'content-type': 'text/plain' }, payload: body });
    expect(plain.statusCode).toBe(415);
    expect(plain.json().error.code).toBe('ERR_UNSUPPORTED_MEDIA_TYPE');
    expect(plain.json().error.message).toContain('send JSON ({"texts": ["…"]}) with content-type: application/json');
    const json = await app.inject({ method: 'POST', url: '/v1/tag', headers: { 'content-type': 'application/json' }, payload: body });
    expect(json.statusCode).toBe(200);
    await app.close();
  });

  it('refuses unknown and out-of-range options with OptionsError', () => {
    expect(() => createServer({ engine: fakeEngine(), maxBatc: 3 } as never)).toThrow(OptionsError);
    expect(() => createServer({ engine: fakeEngine(), maxBatc: 3 } as never)).toThrow('createServer: option `maxBatc` is not an option');
    expect(() => createServer({ engine: fakeEngine(), maxBatch: 0 })).toThrow('option `maxBatch` must be an integer ≥ 1, got 0');
  });

  it('parseTrendQuery fills the defaults', () => {
    expect(parseTrendQuery({})).toEqual({ window: 300, view: 'top', limit: 20 });
    expect(parseTrendQuery({ type: ['person', 'geo-loc,company'] }).types).toEqual(['person', 'geo-loc', 'company']);
  });
});
