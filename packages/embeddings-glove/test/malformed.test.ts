import { loadVectors, VectorFormatError } from '../src';
import { tempDir, writeText } from './helpers';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

const GOOD = 'a 1 2 3\nb 4 5 6\n';

describe('malformed vector files', () => {
  test.each([
    ['a ragged line', `${GOOD}c 7 8\n`, 3, undefined, 'Ragged vector line for "c"', '3 numbers after the word', '2 numbers'],
    ['a long line', `${GOOD}c 7 8 9 10\n`, 3, undefined, 'Ragged vector line for "c"', '3 numbers after the word', '4 numbers'],
    ['a non-numeric value', `${GOOD}c 7 x8 9\n`, 3, 5, 'Non-numeric value in the vector of "c"', 'a decimal number in field 2', '"x8"'],
    ['a number with trailing junk', `${GOOD}c 7 8.5.1 9\n`, 3, 5, 'Non-numeric value in the vector of "c"', 'a decimal number in field 2', '"8.5.1"'],
    ['an exponent without digits', `${GOOD}c 7 1e 9\n`, 3, 5, 'Non-numeric value in the vector of "c"', 'a decimal number in field 2', '"1e"'],
    ['a lone minus sign', `a 1 2 3\nb - 5 6\n`, 2, 3, 'Non-numeric value in the vector of "b"', 'a decimal number in field 1', '"-"'],
    ['a word without numbers', `${GOOD}lonely\n`, 3, undefined, 'Ragged vector line for "lonely"', '3 numbers after the word', '0 numbers'],
    ['a line starting with a space', `${GOOD} 1 2 3\n`, 3, undefined, 'Vector line has an empty word', 'a word before the numbers', '" 1 2 3"'],
  ])('throws a VectorFormatError with file and line (and column of a bad field) for %s', async (_name, content, line, column, what, expected, received) => {
    const file = writeText(tmp.dir, 'bad.txt', content);
    const error = (await loadVectors(file).catch((e: unknown) => e)) as VectorFormatError;
    expect(error).toBeInstanceOf(VectorFormatError);
    expect(error).toMatchObject({ code: 'VECTOR_FORMAT', file, line, what, expected, received });
    expect(error.column).toBe(column);
    const place = column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
    expect(error.message).toBe(`${what} at ${place}: expected ${expected}, received ${received}`);
  });

  it('counts malformed lines in lenient mode, keeps the good ones and reports the first few', async () => {
    const bad = Array.from({ length: 8 }, (_, i) => `bad${i} 1 2\n`).join('');
    const file = writeText(tmp.dir, 'lenient.txt', `${GOOD}${bad}c 7 x 9\nd 7 8 9\n`);
    const vectors = await loadVectors(file, { lenient: true, maxMalformedExamples: 3 });
    expect(vectors.words()).toEqual(['a', 'b', 'd']);
    expect(vectors.report.malformed).toBe(9);
    expect(vectors.report.malformedExamples.map((e) => e.line)).toEqual([3, 4, 5]);
    expect(vectors.report.malformedExamples[0].message).toBe(
      `Ragged vector line for "bad0" at ${file}:3: expected 3 numbers after the word, received 2 numbers`,
    );
  });

  it('checks the dimension asked for against the first line', async () => {
    const file = writeText(tmp.dir, 'dim.txt', GOOD);
    await expect(loadVectors(file, { dim: 4 })).rejects.toThrow(
      `Ragged vector line for "a" at ${file}:1: expected 4 numbers after the word, received 3 numbers`,
    );
  });

  it('checks the word2vec header count against the vectors read', async () => {
    const file = writeText(tmp.dir, 'count.txt', `3 3\n${GOOD}`);
    await expect(loadVectors(file)).rejects.toThrow(
      `word2vec vector count differs from its header at ${file}:3: expected 3 vectors (header line 1), received 2 well-formed vector lines`,
    );
  });

  it('checks the word2vec header dimension against the dim asked for', async () => {
    const file = writeText(tmp.dir, 'hdim.txt', `2 3\n${GOOD}`);
    await expect(loadVectors(file, { dim: 200 })).rejects.toThrow(/word2vec header dimension differs from the requested dim .* expected dimension 200, received header "2 3"/);
  });

  it('asks for a header when format is word2vec and there is none', async () => {
    const file = writeText(tmp.dir, 'nohead.txt', GOOD);
    await expect(loadVectors(file, { format: 'word2vec' })).rejects.toThrow(/Missing word2vec header at .*:1: expected a first line "<count> <dim>", received "a 1 2 3"/);
  });

  it('points at the header when format is glove and the file starts with one', async () => {
    const file = writeText(tmp.dir, 'head.txt', `2 3\n${GOOD}`);
    await expect(loadVectors(file, { format: 'glove' })).rejects.toThrow(/GloVe file starts with what looks like a word2vec header/);
  });

  it('refuses a file without any vector', async () => {
    const file = writeText(tmp.dir, 'empty.txt', '\n\n');
    await expect(loadVectors(file)).rejects.toThrow(`No vectors found at ${file}:2: expected at least one line "<word> <number> <number> …", received an empty file`);
  });

  it('shortens long received text in messages', async () => {
    const file = writeText(tmp.dir, 'longword.txt', `${GOOD}${'w'.repeat(100)} 1 2 x\n`);
    const error = (await loadVectors(file).catch((e: unknown) => e)) as VectorFormatError;
    expect(error.what).toBe(`Non-numeric value in the vector of "${'w'.repeat(40)}"… (100 chars)`);
  });
});
