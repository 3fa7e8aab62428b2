import { MicroBatcher, QueueFullError, ClosedError, EngineError, OptionsError } from '../src';
import { fakeEngine, tagOne, tweet } from './fake-engine';

describe('MicroBatcher', () => {
  it('answers each request with its own results, in order, whatever batches form', async () => {
    const engine = fakeEngine();
    const b = new MicroBatcher({ engine, maxBatch: 7, maxWaitMs: 5, maxQueue: 10000 });
    const requests = Array.from({ length: 40 }, (_, r) => Array.from({ length: (r * 5) % 17 }, (_, i) => tweet(r * 100 + i)));
    const answers = await Promise.all(requests.map((texts) => b.submit(texts)));
    answers.forEach((results, r) => {
      expect(results.map((x) => x.entities)).toEqual(requests[r].map(tagOne));
    });
    // Every engine call respects maxBatch and the calls cover every text exactly once.
    expect(Math.max(...engine.calls)).toBeLessThanOrEqual(7);
    expect(engine.calls.reduce((a, c) => a + c, 0)).toBe(requests.flat().length);
  });

  it('fills batches from concurrent requests instead of one call per request', async () => {
    const engine = fakeEngine();
    const b = new MicroBatcher({ engine, maxBatch: 64, maxWaitMs: 20, maxQueue: 10000 });
    await Promise.all(Array.from({ length: 32 }, (_, i) => b.submit([tweet(i), tweet(i + 1)])));
    expect(engine.calls).toEqual([64]);
  });

  it('starts a batch after maxWaitMs when it is not full', async () => {
    const engine = fakeEngine();
    const b = new MicroBatcher({ engine, maxBatch: 1000, maxWaitMs: 1, maxQueue: 10000 });
    await expect(b.submit(['Hello there'])).resolves.toHaveLength(1);
    expect(engine.calls).toEqual([1]);
  });

  it('refuses a request that would overfill the queue, and accepts again once drained', async () => {
    const b = new MicroBatcher({ engine: fakeEngine(), maxBatch: 1000, maxWaitMs: 50, maxQueue: 10 });
    const first = b.submit(Array.from({ length: 8 }, (_, i) => tweet(i)));
    expect(b.depth).toBe(8);
    const err = await b.submit(['a', 'b', 'c']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueFullError);
    expect((err as QueueFullError).code).toBe('ERR_STREAM_QUEUE_FULL');
    await first;
    await expect(b.submit(['a', 'b', 'c'])).resolves.toHaveLength(3);
  });

  it('rejects the requests of a failing batch and keeps serving the others', async () => {
    const b = new MicroBatcher({ engine: fakeEngine({ poison: 'BOOM' }), maxBatch: 2, maxWaitMs: 1, maxQueue: 100 });
    const bad = b.submit(['x BOOM', 'y']);
    const good = b.submit(['Fine text']);
    await expect(bad).rejects.toThrow('poisoned text');
    await expect(good).resolves.toHaveLength(1);
  });

  /** An engine whose calls end when the test says: it records how many run at once. */
  function gatedEngine(concurrency?: number) {
    const open: { texts: readonly string[]; done: () => void }[] = [];
    let running = 0;
    const stats = { most: 0, calls: [] as number[] };
    const engine = {
      ...(concurrency !== undefined ? { concurrency } : {}),
      tagBatch(texts: readonly string[]) {
        running++;
        stats.most = Math.max(stats.most, running);
        stats.calls.push(texts.length);
        return new Promise<{ entities: ReturnType<typeof tagOne> }[]>((resolve) => {
          open.push({ texts, done: () => { running--; resolve(texts.map((t) => ({ entities: tagOne(t) }))); } });
        });
      },
    };
    return { engine, open, stats };
  }
  const settle = async (): Promise<void> => {
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 5));
  };

  it('keeps one engine call at a time for an engine without concurrency', async () => {
    const { engine, open, stats } = gatedEngine();
    const b = new MicroBatcher({ engine, maxBatch: 4, maxWaitMs: 0, maxQueue: 1000 });
    const answers = Promise.all(Array.from({ length: 5 }, (_, r) => b.submit([tweet(4 * r), tweet(4 * r + 1), tweet(4 * r + 2), tweet(4 * r + 3)])));
    for (let i = 0; i < 5; i++) {
      await settle();
      expect(open).toHaveLength(1); // the next batch waits for this one
      open.shift()!.done();
    }
    await answers;
    expect(stats.most).toBe(1);
  });

  it('runs up to the engine\'s concurrency of batches at once, each request answered with its own results in order', async () => {
    const { engine, open, stats } = gatedEngine(3);
    const b = new MicroBatcher({ engine, maxBatch: 4, maxWaitMs: 0, maxQueue: 1000 });
    const requests = Array.from({ length: 9 }, (_, r) => Array.from({ length: 3 + (r % 3) }, (_, i) => tweet(r * 10 + i)));
    const answers = Promise.all(requests.map((texts) => b.submit(texts)));
    await settle();
    expect(open).toHaveLength(3); // three batches in flight, the rest queued
    expect(b.depth).toBe(requests.flat().length - 12);
    // Finish them out of order: the last started first.
    while (open.length > 0) {
      open.pop()!.done();
      await settle();
      expect(open.length).toBeLessThanOrEqual(3);
    }
    const results = await answers;
    results.forEach((rs, r) => expect(rs.map((x) => x.entities)).toEqual(requests[r].map(tagOne)));
    expect(stats.most).toBe(3);
    expect(Math.max(...stats.calls)).toBeLessThanOrEqual(4);
    expect(stats.calls.reduce((a, c) => a + c, 0)).toBe(requests.flat().length);
  });

  it('close() waits for every batch in flight of a concurrent engine', async () => {
    const { engine, open } = gatedEngine(2);
    const b = new MicroBatcher({ engine, maxBatch: 2, maxWaitMs: 0, maxQueue: 1000 });
    const pending = [b.submit(['One', 'Two']), b.submit(['Three', 'Four'])];
    await settle();
    expect(open).toHaveLength(2);
    let closed = false;
    const closing = b.close().then(() => (closed = true));
    await settle();
    expect(closed).toBe(false);
    open.shift()!.done();
    await settle();
    expect(closed).toBe(false);
    open.shift()!.done();
    await closing;
    await expect(Promise.all(pending)).resolves.toHaveLength(2);
  });

  it('refuses a concurrency that is not a positive integer', () => {
    // a StreamError like every other refusal of this package (code ERR_STREAM_OPTIONS), naming the option
    expect(() => new MicroBatcher({ engine: fakeEngine(), maxBatch: 4, maxWaitMs: 0, maxQueue: 10, concurrency: 0 })).toThrow(OptionsError);
    expect(() => new MicroBatcher({ engine: fakeEngine(), maxBatch: 4, maxWaitMs: 0, maxQueue: 10, concurrency: 0 })).toThrow('MicroBatcher: option `concurrency` must be a positive integer, got 0');
    expect(() => new MicroBatcher({ engine: { ...fakeEngine(), concurrency: 1.5 }, maxBatch: 4, maxWaitMs: 0, maxQueue: 10 })).toThrow('option `engine.concurrency` must be a positive integer, got 1.5');
  });

  it('refuses an engine that returns the wrong number of results', async () => {
    const b = new MicroBatcher({ engine: { tagBatch: () => [] }, maxBatch: 2, maxWaitMs: 1, maxQueue: 100 });
    await expect(b.submit(['a'])).rejects.toBeInstanceOf(EngineError);
  });

  it('close() answers every accepted text, then refuses new ones', async () => {
    const b = new MicroBatcher({ engine: fakeEngine(), maxBatch: 1000, maxWaitMs: 10000, maxQueue: 100 });
    const pending = b.submit(['One', 'Two']);
    await b.close();
    await expect(pending).resolves.toHaveLength(2);
    await expect(b.submit(['Three'])).rejects.toBeInstanceOf(ClosedError);
  });
});
