import { createReadStream, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { loadVectors, VectorOptionsError, VectorSourceError, type LoadProgress } from '../src';
import {
  asMap,
  chunked,
  gloveText,
  makeVectors,
  tempDir,
  word2vecText,
  writeGz,
  writeText,
  writeZip,
  zipBytes,
} from './helpers';

const WORDS = ['the', 'cat', '<user>', 'café', '😀', 'new-york'];
const DIM = 5;
const expected = makeVectors(WORDS, DIM);
const text = gloveText(expected);

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

describe('loadVectors', () => {
  it('loads a GloVe text file with its dimension detected from the first line', async () => {
    const vectors = await loadVectors(writeText(tmp.dir, 'plain.txt', text));
    expect(vectors.dim).toBe(DIM);
    expect(vectors.size).toBe(WORDS.length);
    expect(vectors.words()).toEqual(WORDS);
    expect(asMap(vectors)).toEqual(expected);
    expect(vectors.has('cat')).toBe(true);
    expect(vectors.has('dog')).toBe(false);
    expect(vectors.get('dog')).toBeUndefined();
    expect(vectors.report).toMatchObject({ format: 'glove', lines: WORDS.length, kept: WORDS.length, malformed: 0 });
  });

  test.each([
    ['a .gz file', () => writeGz(tmp.dir, 'v.txt.gz', text), {}],
    ['a deflated .zip member chosen by dim', () => writeZip(tmp.dir, 'a.zip', { 'v.25d.txt': 'x 1\n', 'v.5d.txt': text }), { dim: 5 }],
    ['a stored .zip member chosen by name', () => writeZip(tmp.dir, 'b.zip', { 'v.5d.txt': text, 'readme.txt': 'hi' }, 0), { member: 'v.5d.txt' }],
    ['a .zip member chosen by base name', () => writeZip(tmp.dir, 'c.zip', { 'glove/v.5d.txt': text }), { member: 'v.5d.txt' }],
    ['a word2vec text file', () => writeText(tmp.dir, 'w2v.txt', word2vecText(expected)), { format: 'word2vec' as const }],
    ['a word2vec text file, format detected', () => writeText(tmp.dir, 'w2v-auto.txt', word2vecText(expected)), {}],
    ['a file with CRLF line ends, trailing spaces and no final newline', () => writeText(tmp.dir, 'crlf.txt', text.trimEnd().split('\n').map((l) => `${l} `).join('\r\n')), {}],
    ['a file with blank lines', () => writeText(tmp.dir, 'blank.txt', `\n${text.split('\n').join('\n\n')}`), {}],
  ])('reads the same vectors from %s', async (_name, make, options) => {
    const vectors = await loadVectors(make(), options);
    expect(asMap(vectors)).toEqual(expected);
  });

  test.each([
    ['plain text', () => Buffer.from(text)],
    ['gzip', () => gzipSync(Buffer.from(text))],
    ['zip', () => zipBytes({ 'v.100d.txt': 'a 1\n', 'v.5d.txt': text })],
  ])('reads a %s stream delivered one byte at a time', async (_name, bytes) => {
    const vectors = await loadVectors(chunked(bytes(), 1), { dim: 5 });
    expect(asMap(vectors)).toEqual(expected);
  });

  it('reads a node Readable stream', async () => {
    const vectors = await loadVectors(createReadStream(writeText(tmp.dir, 'stream.txt', text)));
    expect(vectors.report.source).toBe('<stream>');
    expect(asMap(vectors)).toEqual(expected);
  });

  it('names the zip member it read in the report', async () => {
    const file = writeZip(tmp.dir, 'named.zip', { 'glove.twitter.27B.25d.txt': 'a 1\n', 'glove.twitter.27B.5d.txt': text });
    const vectors = await loadVectors(file, { dim: 5 });
    expect(vectors.report.member).toBe('glove.twitter.27B.5d.txt');
    expect(vectors.report.source).toBe(`${file}:glove.twitter.27B.5d.txt`);
  });

  test.each([
    [{}, /Several members of .*ambiguous\.zip could be meant: expected one, received "v\.5d\.txt", "v\.25d\.txt"; pass dim/],
    [{ dim: 50 }, /No matching member in .*ambiguous\.zip: expected a member named like "\*50d\.txt", received members "v\.5d\.txt", "v\.25d\.txt"/],
    [{ member: 'x.txt' }, /expected a member named "x\.txt", received members/],
  ])('explains why no zip member fits %o', async (options, message) => {
    const file = writeZip(tmp.dir, 'ambiguous.zip', { 'v.5d.txt': text, 'v.25d.txt': 'a 1\n' });
    const error = await loadVectors(file, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VectorSourceError);
    expect((error as Error).message).toMatch(message);
  });

  it('keeps only vocabulary words, in one array sized by what was kept', async () => {
    const vectors = await loadVectors(writeText(tmp.dir, 'filter.txt', text), { vocabulary: ['cat', 'café', 'dog'] });
    expect(vectors.words()).toEqual(['cat', 'café']);
    expect(vectors.get('café')).toEqual(new Float32Array(expected.get('café') ?? []));
    expect(vectors.data.length).toBe(2 * DIM);
    expect(vectors.report).toMatchObject({ kept: 2, filteredOut: WORDS.length - 2, vectorLines: WORDS.length });
  });

  it('holds a 25k-word selection of a 200-d file in one 20 MB Float32Array', async () => {
    const row = Array.from({ length: 200 }, (_, d) => d % 3).join(' ');
    const lines = Array.from({ length: 30_000 }, (_, i) => `w${i} ${row}`).join('\n');
    const file = writeText(tmp.dir, 'big.200d.txt', lines);
    const vocabulary = Array.from({ length: 25_000 }, (_, i) => `w${i}`);
    const vectors = await loadVectors(file, { vocabulary });
    expect(vectors.size).toBe(25_000);
    expect(vectors.data.byteLength).toBe(25_000 * 200 * 4); // 20 MB, far under the 100 MB budget
    expect(vectors.report.filteredOut).toBe(5_000);
  });

  it('keeps the first of repeated words and counts the repeats', async () => {
    const vectors = await loadVectors(writeText(tmp.dir, 'dup.txt', `${text}cat 9 9 9 9 9\n`));
    expect(Array.from(vectors.get('cat') ?? [])).toEqual(expected.get('cat'));
    expect(vectors.report.duplicates).toBe(1);
  });

  it('grows its storage past the initial capacity without losing rows', async () => {
    const many = makeVectors(Array.from({ length: 70_000 }, (_, i) => `w${i}`), 2);
    const vectors = await loadVectors(writeText(tmp.dir, 'many.txt', gloveText(many)));
    expect(vectors.size).toBe(70_000);
    expect(Array.from(vectors.get('w69999') ?? [])).toEqual(many.get('w69999'));
    expect(vectors.data.length).toBe(70_000 * 2);
  });

  it('reports progress as raw bytes read, ending at the total', async () => {
    const file = writeGz(tmp.dir, 'progress.txt.gz', text.repeat(1));
    const seen: LoadProgress[] = [];
    await loadVectors(file, { onProgress: (p) => seen.push(p) });
    const total = readFileSync(file).length;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((p) => p.totalBytes === total)).toBe(true);
    expect(seen[seen.length - 1].bytesRead).toBe(total);
    expect(seen.map((p) => p.bytesRead)).toEqual([...seen.map((p) => p.bytesRead)].sort((a, b) => a - b));
  });

  it('rejects a dim that is not a positive integer', async () => {
    await expect(loadVectors(writeText(tmp.dir, 'd.txt', text), { dim: 0 })).rejects.toThrow(VectorOptionsError);
  });

  it('names the source when a .gz file is truncated', async () => {
    const gz = gzipSync(Buffer.from(text.repeat(50)));
    const file = writeText(tmp.dir, 'cut.txt.gz', '');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, gz.subarray(0, gz.length - 20));
    const error = (await loadVectors(file).catch((e: unknown) => e)) as VectorSourceError;
    expect(error).toBeInstanceOf(VectorSourceError);
    expect(error.message).toMatch(new RegExp(`^Cannot read ${file} after \\d+ bytes \\(line \\d+\\): unexpected end of file`));
  });

  it('fails with the path when the file does not exist', async () => {
    await expect(loadVectors('/nonexistent/glove.txt')).rejects.toThrow(/Cannot open vector file \/nonexistent\/glove\.txt: ENOENT/);
  });
});
