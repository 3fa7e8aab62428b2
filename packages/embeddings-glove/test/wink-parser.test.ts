import { createHash } from 'node:crypto';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWinkVectors, VectorFormatError, WinkJsonParser, type WordVectors } from '../src';
import { tempDir, winkEntry, winkJson, writeText } from './helpers';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

interface WinkTruth {
  words: string[];
  vectors: Record<string, number[]>;
  dimensions: number;
}

/** Words and float32 rows as JSON.parse reads the file: the independent truth. */
function truth(text: string): { words: string[]; data: Float32Array; dim: number } {
  const parsed = JSON.parse(text) as WinkTruth;
  const dim = parsed.dimensions;
  const words = Object.keys(parsed.vectors);
  const data = new Float32Array(words.length * dim);
  words.forEach((w, i) => data.set(parsed.vectors[w].slice(0, dim), i * dim));
  return { words, data, dim };
}

/** Feeds `bytes` to a parser in chunks of `size` (or of sizes drawn by `sizes`) and collects what it emits. */
function parse(bytes: Buffer, sizes: () => number): { words: string[]; data: number[] } {
  const words: string[] = [];
  const data: number[] = [];
  const parser = new WinkJsonParser({ file: 'mem.json', lenient: false, onVector: (w, row) => {
    words.push(w);
    data.push(...row);
  } });
  for (let i = 0; i < bytes.length; ) {
    const n = Math.max(1, sizes());
    parser.push(bytes.subarray(i, i + n));
    i += n;
  }
  parser.end();
  return { words, data };
}

/** A seeded LCG in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

/** Words with every JSON escape JSON.stringify writes, plus non-ASCII and an astral character. */
const TRICKY = ['the', ',', '"', '\\', 'a"b\\c', 'tab\there', 'new\nline', 'é', '€', '😀', '\u0001', 'x/y', '\u2028'];

function randomVectors(count: number, dim: number, seed: number): Map<string, number[]> {
  const r = rng(seed);
  const shapes = [
    () => Number(((r() - 0.5) * 4).toFixed(6)), // like GloVe's: -1.2345
    () => -Number((r() * 1e-7).toPrecision(3)), // JSON.stringify writes -1.23e-8
    () => Number((r() * 1e25).toPrecision(5)), // 1.2345e+24
    () => Math.round((r() - 0.5) * 100), // integers, -0 included
    () => Number((r() * 1e-30).toPrecision(17)), // long mantissa, tiny exponent
    () => r() * 2 - 1, // 17 significant digits
  ];
  const words = [...TRICKY, ...Array.from({ length: count - TRICKY.length }, (_, i) => `w${i}`)];
  return new Map(words.map((w) => [w, Array.from({ length: dim }, () => shapes[Math.floor(r() * shapes.length)]())]));
}

describe('WinkJsonParser', () => {
  test.each([
    ['compact, as published', 0],
    ['indented (whitespace everywhere JSON allows it)', 2],
  ])('reads the words and float32 rows JSON.parse reads, %s', (_name, indent) => {
    const text = winkJson(randomVectors(200, 7, 1), indent);
    const want = truth(text);
    const got = parse(Buffer.from(text), () => 1 << 20);
    expect(got.words).toEqual(want.words);
    expect(new Float32Array(got.data)).toEqual(want.data);
  });

  it('gives the same result for every chunking, down to one byte at a time', () => {
    const bytes = Buffer.from(winkJson(randomVectors(40, 5, 2)));
    const want = parse(bytes, () => bytes.length);
    const r = rng(3);
    expect(parse(bytes, () => 1)).toEqual(want);
    expect(parse(bytes, () => Math.floor(r() * 64))).toEqual(want);
  });

  it('decodes \\u escapes, surrogate pairs included, as JSON.parse does', () => {
    const v = new Map([
      ['caf\u00e9', [1, 2]],
      ['\ud83d\ude00', [3, 4]],
      ['q"', [5, 6]],
    ]);
    // JSON.stringify leaves these characters raw; write them escaped as other JSON writers do.
    const text = winkJson(v).replace(/é/g, '\\u00e9').replace(/😀/g, '\\ud83d\\ude00').replace(/\\"/g, '\\u0022');
    expect(text).toContain('\\u00e9');
    expect(parse(Buffer.from(text), () => 3).words).toEqual(truth(text).words);
  });

  it('refuses a file that is not the wink shape, naming line and column', () => {
    const text = '{"precision":8,\n"colour":1}';
    expect(() => parse(Buffer.from(text), () => 100)).toThrow(
      'Unknown key "colour" in wink vectors file at mem.json:2:1: expected one of precision, l2NormIndex, wordIndex, size, dimensions, words, vectors, unkVector, received "\\"colour\\":1}"',
    );
  });
});

describe('loadWinkVectors on a small file', () => {
  const vectors = randomVectors(50, 4, 4);
  const text = winkJson(vectors);

  it('loads every word in file order with the values JSON.parse gives, and reports the sha256', async () => {
    const file = writeText(tmp.dir, 'small.json', text);
    const got = await loadWinkVectors({ path: file, cacheDir: false });
    const want = truth(text);
    expect(got.words()).toEqual(want.words);
    expect(got.data).toEqual(want.data);
    expect(got.dim).toBe(4);
    expect(got.report).toMatchObject({ format: 'wink', kept: 50, vectorLines: 50, malformed: 0, duplicates: 0, cache: 'off' });
    expect(got.report.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
  });

  it('writes the binary cache once, reads it back identical, and converts again when the file changes', async () => {
    const file = writeText(tmp.dir, 'cached.json', text);
    const cacheDir = join(tmp.dir, 'cache');
    const progress: number[] = [];
    const first = await loadWinkVectors({ path: file, cacheDir, onProgress: (p) => progress.push(p.bytesRead) });
    expect(first.report.cache).toBe('miss');
    expect(progress[progress.length - 1]).toBe(Buffer.byteLength(text));
    const second = await loadWinkVectors({ path: file, cacheDir });
    expect(second.report.cache).toBe('hit');
    expect(second.words()).toEqual(first.words());
    expect(second.data).toEqual(first.data);
    expect(second.report.sha256).toBe(first.report.sha256);

    const changed = new Map(vectors);
    changed.set('the', [9, 9, 9, 9]);
    writeFileSync(file, winkJson(changed));
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const third: WordVectors = await loadWinkVectors({ path: file, cacheDir });
    expect(third.report.cache).toBe('stale');
    expect(Array.from(third.get('the') ?? [])).toEqual([9, 9, 9, 9]);
  });

  it('keeps only the vocabulary asked for, in file order', async () => {
    const file = writeText(tmp.dir, 'vocab.json', text);
    const got = await loadWinkVectors({ path: file, cacheDir: false, vocabulary: ['w3', 'the', 'missing'] });
    expect(got.words()).toEqual(['the', 'w3']);
    expect(Array.from(got.get('w3') ?? [])).toEqual(Array.from(new Float32Array(vectors.get('w3') as number[])));
    expect(got.report).toMatchObject({ kept: 2, filteredOut: 48 });
  });

  it('checks each entry: its stored norm, its index, and the words list', async () => {
    const good = JSON.parse(text) as { vectors: Record<string, number[]>; words: string[] };
    const damaged = structuredClone(good);
    damaged.vectors.the[0] += 0.001; // one digit changed: the stored norm no longer fits
    const file = writeText(tmp.dir, 'norm.json', JSON.stringify(damaged));
    const error = (await loadWinkVectors({ path: file, cacheDir: false }).catch((e: unknown) => e)) as VectorFormatError;
    expect(error).toBeInstanceOf(VectorFormatError);
    expect(error.what).toBe('L2 norm of "the" differs from its components');
    const lenient = await loadWinkVectors({ path: file, cacheDir: false, lenient: true });
    expect(lenient.has('the')).toBe(false);
    expect(lenient.report).toMatchObject({ kept: 49, malformed: 1 });

    const misindexed = structuredClone(good);
    misindexed.vectors.w0 = winkEntry(misindexed.vectors.w0.slice(0, 4), 7);
    const file2 = writeText(tmp.dir, 'index.json', JSON.stringify(misindexed));
    await expect(loadWinkVectors({ path: file2, cacheDir: false })).rejects.toThrow(/Wrong word index for "w0" at .*index\.json:1:\d+: expected 13 \(its position in "vectors"\), received 7/);
  });
});
