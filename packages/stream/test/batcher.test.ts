import { MicroBatcher, QueueFullError, ClosedError, EngineError } from '../src';
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
