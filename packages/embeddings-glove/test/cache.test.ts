import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadVectors } from '../src';
import { asMap, gloveText, makeVectors, tempDir, writeText, writeZip } from './helpers';

const vectors = makeVectors(['the', 'cat', 'sat', 'mat', 'ünï', '<user>'], 4);
const text = gloveText(vectors);

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const cacheFiles = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.twv'));

describe('binary cache', () => {
  it('serves a second load from the cache with identical words, vectors and report counts', async () => {
    const file = writeText(tmp.dir, 'v.txt', text);
    const cacheDir = join(tmp.dir, 'cache');
    const options = { vocabulary: ['cat', 'ünï', '<user>', 'dog'], cacheDir };
    const first = await loadVectors(file, options);
    const second = await loadVectors(file, options);
    expect(first.report.cache).toBe('miss');
    expect(second.report.cache).toBe('hit');
    expect(second.report.cacheFile).toBe(first.report.cacheFile);
    expect(second.words()).toEqual(first.words());
    expect(asMap(second)).toEqual(asMap(first));
    const { cache: _a, ...firstCounts } = first.report;
    const { cache: _b, ...secondCounts } = second.report;
    expect(secondCounts).toEqual(firstCounts);
  });

  it('keeps lenient-mode malformed examples across the cache', async () => {
    const file = writeText(tmp.dir, 'bad.txt', `${text}oops 1 2\n`);
    const cacheDir = join(tmp.dir, 'cache');
    await loadVectors(file, { lenient: true, cacheDir });
    const cached = await loadVectors(file, { lenient: true, cacheDir });
    expect(cached.report.cache).toBe('hit');
    expect(cached.report.malformed).toBe(1);
    expect(cached.report.malformedExamples[0].message).toBe(
      `Ragged vector line for "oops" at ${file}:7: expected 4 numbers after the word, received 2 numbers`,
    );
  });

  it('caches a zip member under the member it read', async () => {
    const file = writeZip(tmp.dir, 'v.zip', { 'v.4d.txt': text, 'v.2d.txt': 'a 1 2\n' });
    const cacheDir = join(tmp.dir, 'cache');
    await loadVectors(file, { dim: 4, cacheDir });
    const again = await loadVectors(file, { dim: 4, cacheDir });
    expect(again.report).toMatchObject({ cache: 'hit', member: 'v.4d.txt' });
    expect(asMap(again)).toEqual(vectors);
  });

  it('misses after the source changes (mtime) and replaces the stale entry', async () => {
    const file = writeText(tmp.dir, 'v.txt', text);
    const cacheDir = join(tmp.dir, 'cache');
    await loadVectors(file, { cacheDir });
    const [before] = cacheFiles(cacheDir);
    writeFileSync(file, text.replace('cat 0.25', 'cat 0.5'));
    utimesSync(file, new Date(2001, 1, 1), new Date(2001, 1, 1));
    const reloaded = await loadVectors(file, { cacheDir });
    expect(reloaded.report.cache).toBe('stale');
    expect(reloaded.get('cat')?.[0]).toBe(0.5);
    expect(cacheFiles(cacheDir)).toHaveLength(1);
    expect(cacheFiles(cacheDir)[0]).not.toBe(before);
    expect((await loadVectors(file, { cacheDir })).report.cache).toBe('hit');
  });

  it('misses when the vocabulary changes', async () => {
    const file = writeText(tmp.dir, 'v.txt', text);
    const cacheDir = join(tmp.dir, 'cache');
    await loadVectors(file, { vocabulary: ['cat'], cacheDir });
    expect((await loadVectors(file, { vocabulary: ['cat'], cacheDir })).report.cache).toBe('hit');
    const other = await loadVectors(file, { vocabulary: ['cat', 'mat'], cacheDir });
    expect(other.report.cache).toBe('stale');
    expect(other.words()).toEqual(['cat', 'mat']);
  });

  it('hits regardless of vocabulary order and repeats', async () => {
    const file = writeText(tmp.dir, 'v.txt', text);
    const cacheDir = join(tmp.dir, 'cache');
    await loadVectors(file, { vocabulary: ['cat', 'mat'], cacheDir });
    expect((await loadVectors(file, { vocabulary: ['mat', 'cat', 'mat'], cacheDir })).report.cache).toBe('hit');
  });

  test.each([
    ['truncated', (b: Buffer) => b.subarray(0, b.length - 3)],
    ['with a wrong magic', (b: Buffer) => Buffer.concat([Buffer.from('XXXXXXXX'), b.subarray(8)])],
    ['with a broken header', (b: Buffer) => Buffer.concat([b.subarray(0, 12), Buffer.from('{{{'), b.subarray(15)])],
  ])('treats a cache file %s as corrupt, reparses and rewrites it', async (_name, damage) => {
    const file = writeText(tmp.dir, 'v.txt', text);
    const cacheDir = join(tmp.dir, 'cache');
    const first = await loadVectors(file, { cacheDir });
    const cacheFile = first.report.cacheFile as string;
    const { readFileSync } = await import('node:fs');
    writeFileSync(cacheFile, damage(readFileSync(cacheFile)));
    const second = await loadVectors(file, { cacheDir });
    expect(second.report.cache).toBe('corrupt');
    expect(asMap(second)).toEqual(vectors);
    expect((await loadVectors(file, { cacheDir })).report.cache).toBe('hit');
  });

  it('does not cache stream sources', async () => {
    const { createReadStream } = await import('node:fs');
    const file = writeText(tmp.dir, 'v.txt', text);
    const cacheDir = join(tmp.dir, 'cache');
    const loaded = await loadVectors(createReadStream(file), { cacheDir });
    expect(loaded.report.cache).toBe('off');
  });
});
