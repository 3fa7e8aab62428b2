// A pool of taggers in worker threads (loadTaggerPool) tags exactly as one tagger does, runs
// calls side by side, and carries errors back with their names and codes. The threads run the
// package's build (dist/pool-worker.js): `pnpm test` builds first.
import * as fs from 'node:fs';
import { parseConll } from '../src/data/sentences';
import { haveData, LEXICON, MODEL, TEST } from './shipped-data';
import { EXIT_USAGE, TaggerError } from '../src/errors';
import { loadTagger } from '../src/load';
import { loadTaggerPool, type TaggerPool } from '../src/serving/tagger-pool';


(haveData ? describe : describe.skip)('loadTaggerPool', () => {
  let pool: TaggerPool;
  beforeAll(async () => {
    pool = await loadTaggerPool(MODEL, { lexiconDir: LEXICON, threads: 2 });
  });
  afterAll(async () => {
    await pool?.dispose();
  });

  it('tags the test tweets exactly as loadTagger does: one call cut over both threads, and calls side by side', async () => {
    const tweets = parseConll(fs.readFileSync(TEST, 'utf8'), TEST).map((s) => s.tokens.join(' ')).slice(0, 700);
    const one = await loadTagger(MODEL, { lexiconDir: LEXICON });
    const want = one.tagBatch(tweets);
    expect(pool.threads).toBe(2);
    expect(pool.labels).toEqual(one.labels);
    expect(pool.description).toContain('in a pool of 2 threads');
    // One call of 700 texts: cut into pieces of at most 256, spread over the threads.
    const whole = pool.tagBatch(tweets);
    expect(pool.pending).toBeGreaterThanOrEqual(3);
    expect(await whole).toEqual(want);
    // Calls of several sizes at once, answered in their own order.
    const sizes = [1, 17, 64, 130, 256, 232];
    const calls: { from: number; to: number }[] = [];
    for (let at = 0, k = 0; at < tweets.length; k++) {
      const to = Math.min(tweets.length, at + sizes[k % sizes.length]);
      calls.push({ from: at, to });
      at = to;
    }
    const answers = await Promise.all(calls.map(({ from, to }) => pool.tagBatch(tweets.slice(from, to))));
    answers.forEach((got, i) => expect(got).toEqual(want.slice(calls[i].from, calls[i].to)));
    expect(pool.pending).toBe(0);
    await one.dispose();
  });

  it('rejects a tweet over the token limit with the engine\'s error, and keeps tagging', async () => {
    const err = await pool.tagBatch(['a fine tweet', 'x '.repeat(70_000)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaggerError);
    expect((err as Error).name).toBe('InputTooLongError');
    expect((err as Error).message).toMatch(/70000 tokens, more than the limit of 65536/);
    const [ok] = await pool.tagBatch(['Taylor Swift played at Madison Square Garden last night']);
    expect(ok.entities.map((e) => e.text)).toContain('Madison Square Garden');
  });

  it('refuses texts that are not strings here, without a trip to a thread', async () => {
    const err = await pool.tagBatch(['ok', 3 as unknown as string]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaggerError);
    expect((err as TaggerError).exitCode).toBe(EXIT_USAGE);
    expect((err as Error).message).toBe('tagBatch: texts[1] is number, expected a string');
    await expect(pool.tagBatch([])).resolves.toEqual([]);
  });

  it('refuses a thread count that is not a positive integer, and the gazetteer option', async () => {
    await expect(loadTaggerPool(MODEL, { threads: 0 })).rejects.toThrow('threads must be a positive integer');
    await expect(loadTaggerPool(MODEL, { gazetteer: null } as never)).rejects.toThrow('give lexiconDir instead');
  });

  it('lets running calls finish on dispose, then refuses new ones', async () => {
    const other = await loadTaggerPool(MODEL, { lexiconDir: LEXICON, threads: 1 });
    const running = other.tagBatch(['Watching the Yankees at Fenway', 'Going to Paris']);
    const disposed = other.dispose();
    await expect(running).resolves.toHaveLength(2);
    await disposed;
    await expect(other.tagBatch(['again'])).rejects.toThrow('the tagger pool is disposed');
  });
});
