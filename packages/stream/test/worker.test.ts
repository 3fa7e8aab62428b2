import { OptionsError, runWorker, type WorkerStats } from '../src';
import { fakeEngine, tagOne, tweet } from './fake-engine';
import { entry, memoryTransport } from './memory-transport';

const str = (v: string | Uint8Array | undefined): string => (typeof v === 'string' ? v : Buffer.from(v ?? []).toString('utf8'));

/** Runs the worker until `done(stats)` holds, then stops it. */
async function runUntil(options: Parameters<typeof runWorker>[0], done: (s: WorkerStats) => boolean) {
  const ac = new AbortController();
  return runWorker({
    ...options,
    signal: ac.signal,
    blockMs: 5,
    onProgress: (s) => {
      if (done(s)) ac.abort();
    },
  });
}

describe('runWorker', () => {
  it('writes one output per input with its id, entities and passed-through fields, acking after writing', async () => {
    const input = Array.from({ length: 25 }, (_, i) => entry(`1-${i}`, { text: tweet(i), lang: 'en' }));
    const t = memoryTransport(input);
    const stats = await runUntil({ transport: t, engine: fakeEngine(), batch: 10 }, (s) => s.tagged === 25);
    expect(stats).toMatchObject({ tagged: 25, deadLettered: 0, batches: 3 });
    expect(t.outputs.map((o) => str(o.fields.id))).toEqual(input.map((e) => e.id));
    t.outputs.forEach((o, i) => {
      expect(JSON.parse(str(o.fields.entities))).toEqual(tagOne(tweet(i)));
      expect(str(o.fields.lang)).toBe('en');
      expect(str(o.fields.text)).toBe(tweet(i));
    });
    // Every ack comes right after the write of the same batch.
    const commits = t.log.filter((l) => l.startsWith('write') || l.startsWith('ack'));
    expect(commits).toEqual(['write:10', 'ack:10', 'write:10', 'ack:10', 'write:5', 'ack:5']);
    expect(t.log[0]).toBe('open');
    expect(t.log.at(-1)).toBe('close');
  });

  it('sends entries it cannot tag to the dead-letter stream with the reason', async () => {
    const input = [
      entry('1-0', { text: 'Hello Paris' }),
      entry('1-1', { body: 'no text field' }),
      entry('1-2', { text: Buffer.from([0x66, 0xff, 0xfe, 0x6f]) }),
      entry('1-3', { text: 'x'.repeat(101) }),
      entry('1-4', { text: 'Bad BOOM text' }),
      entry('1-5', { text: 'Good Berlin' }),
    ];
    const t = memoryTransport(input);
    const stats = await runUntil({ transport: t, engine: fakeEngine({ poison: 'BOOM' }), maxTextBytes: 100 }, (s) => s.tagged + s.deadLettered === 6);
    expect(stats).toMatchObject({ tagged: 2, deadLettered: 4 });
    expect(t.outputs.map((o) => str(o.fields.id))).toEqual(['1-0', '1-5']);
    expect(t.deadLetters.map((d) => [str(d.fields.id), str(d.fields.reason)])).toEqual([
      ['1-1', 'missing-text'],
      ['1-2', 'invalid-utf8'],
      ['1-3', 'text-too-long'],
      ['1-4', 'engine-error'],
    ]);
    // The dead letter keeps the original bytes, so nothing of the entry is lost.
    expect(Buffer.from(t.deadLetters[1].fields.text as Uint8Array)).toEqual(Buffer.from([0x66, 0xff, 0xfe, 0x6f]));
    expect(str(t.deadLetters[2].fields.detail)).toContain('101 bytes, over the limit of 100');
    expect(t.acked.sort()).toEqual(input.map((e) => e.id).sort());
  });

  it('after a failed commit reads its pending entries again, so nothing is lost', async () => {
    const input = Array.from({ length: 30 }, (_, i) => entry(`1-${i}`, { text: tweet(i) }));
    const t = memoryTransport(input);
    t.failCommits(2);
    const errors: unknown[] = [];
    const stats = await runUntil({ transport: t, engine: fakeEngine(), batch: 10, maxBackoffMs: 5, onError: (e) => errors.push(e) }, (s) => s.tagged === 30);
    expect(stats.retries).toBe(2);
    expect(errors).toHaveLength(2);
    expect(new Set(t.outputs.map((o) => str(o.fields.id)))).toEqual(new Set(input.map((e) => e.id)));
    expect(t.outputs).toHaveLength(30);
    expect(t.log.filter((l) => l.startsWith('pending')).length).toBeGreaterThanOrEqual(3);
  });

  it('handles entries left pending by an earlier run of the same consumer first', async () => {
    const old = [entry('0-1', { text: 'Old London' })];
    const t = memoryTransport([entry('1-0', { text: 'New Paris' })], old);
    await runUntil({ transport: t, engine: fakeEngine() }, (s) => s.tagged === 2);
    expect(t.outputs.map((o) => str(o.fields.id))).toEqual(['0-1', '1-0']);
  });

  it('records tagged mentions in the trend sink', async () => {
    const seen: { type: string; text: string }[] = [];
    const t = memoryTransport([entry('1-0', { text: 'Taylor Swift in Paris' })]);
    await runUntil({ transport: t, engine: fakeEngine(), trends: { record: (m) => void seen.push(...m), query: () => null } }, (s) => s.tagged === 1);
    expect(seen).toEqual([
      { type: 'person', text: 'Taylor Swift' },
      { type: 'geo-loc', text: 'Paris' },
    ]);
  });

  it('puts the read of the next batch on the wire before the engine tags the current one', async () => {
    // Like node-redis, this transport writes a command from a setImmediate: a synchronous engine
    // called right after the read was issued would hold it back until the batch is tagged.
    const input = Array.from({ length: 40 }, (_, i) => entry(`1-${i}`, { text: tweet(i) }));
    const t = memoryTransport(input);
    const events: string[] = [];
    const read = t.read.bind(t);
    t.read = (count, blockMs) => {
      events.push('read');
      return new Promise((resolve, reject) => setImmediate(() => {
        events.push('sent');
        read(count, blockMs).then(resolve, reject);
      }));
    };
    const fake = fakeEngine();
    const engine = { tagBatch: (texts: readonly string[]) => (events.push('tag'), fake.tagBatch(texts)) };
    await runUntil({ transport: t, engine, batch: 10 }, (s) => s.tagged === 40);
    const tags = events.flatMap((e, i) => (e === 'tag' ? [i] : []));
    expect(tags).toHaveLength(4);
    tags.forEach((at, j) => {
      const before = events.slice(0, at);
      // The read of this batch and the one of the next were both issued, and both are on the wire.
      expect(before.filter((e) => e === 'read')).toHaveLength(j + 2);
      expect(before.filter((e) => e === 'sent')).toHaveLength(j + 2);
    });
  });

  it('refuses unknown options', async () => {
    await expect(runWorker({ transport: memoryTransport([]), engine: fakeEngine(), batchSize: 3 } as never)).rejects.toThrow(OptionsError);
  });
});
