// The shipped model tagged with a second thread (each batch shared: the worker takes pieces from
// the front, this thread from the back, as fast as each goes) gives exactly what one thread gives.
import * as fs from 'node:fs';
import { parseConll } from '../src/data/sentences';
import { haveData, LEXICON, MODEL, TEST } from './shipped-data';
import { loadTagger } from '../src/load';


(haveData ? describe : describe.skip)('the serving engine with threads: 2', () => {
  it('tags the test tweets exactly as one thread does, whatever share the worker takes', async () => {
    const tweets = parseConll(fs.readFileSync(TEST, 'utf8'), TEST).map((s) => s.tokens.join(' ')).slice(0, 1200);
    const one = await loadTagger(MODEL, { lexiconDir: LEXICON, threads: 1 });
    const two = await loadTagger(MODEL, { lexiconDir: LEXICON, threads: 2 });
    expect(two.engine.emissionsOnWorker).toBeDefined();
    // batches of several sizes: below the split threshold, odd sizes, a full 256
    const sizes = [1, 15, 16, 17, 100, 256, 300];
    let at = 0;
    let k = 0;
    while (at < tweets.length) {
      const batch = tweets.slice(at, at + sizes[k++ % sizes.length]);
      at += batch.length;
      const want = one.tagBatch(batch);
      const got = two.tagBatch(batch);
      expect(got).toEqual(want);
    }
    await one.dispose();
    await two.dispose();
  }, 120_000);
});
