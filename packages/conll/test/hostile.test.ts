// Hostile input (issue 16): every case gives the right result or a typed error that names the
// place (file, line, column where there is one), the problem and the fix; never a silent wrong result.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import {
  convertScheme,
  datasetStats,
  detectScheme,
  encodeSpans,
  getSpans,
  oovRate,
  padSequences,
  parseTag,
  repairIob2,
  schemePrefixes,
  TokenVocabulary,
  ConllParseError,
  ConllUsageError,
  ConllWriteError,
  corpusSentences,
  readConll,
  readConllCorpus,
  readConllItems,
  readConllString,
  writeConll,
  type ConllFormat,
  type ConllReadOptions,
  type ConllRepair,
  type ConllSentence,
  type ConllSource,
} from '../src';

const words = (sentences: ConllSentence[]): string[][] => sentences.map((s) => s.tokens.map((t) => `${t.text}/${t.tag}`));

function caught(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

async function rejected(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

function chunked(data: Uint8Array, size: number): Readable {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += size) chunks.push(data.subarray(i, i + size));
  return Readable.from(chunks);
}

async function collect(source: ConllSource, options?: ConllReadOptions): Promise<ConllSentence[]> {
  const out: ConllSentence[] = [];
  for await (const sentence of readConll(source, options)) out.push(sentence);
  return out;
}

describe('line endings', () => {
  const crOnly = 'hello\tO\rworld\tB-x\r\rbye\tO\r';

  it('reads CR-only line endings as line breaks and writes them back byte for byte', () => {
    const corpus = readConllString(crOnly);
    expect(words(corpusSentences(corpus))).toEqual([['hello/O', 'world/B-x'], ['bye/O']]);
    expect(corpus.format.eol).toBe('\r');
    expect(writeConll(corpus)).toBe(crOnly);
  });

  test.each([1, 2, 3, 8, 1000])('reads CR-only bytes in chunks of %i like the string reader', async (size) => {
    const data = Buffer.from(crOnly);
    expect(await collect(chunked(data, size))).toEqual(corpusSentences(readConllString(crOnly)));
    expect(writeConll(await readConllCorpus(chunked(data, size)))).toBe(crOnly);
  });

  test.each([1, 2, 5, 1000])('reads CRLF split between chunks (%i bytes) as one line break', async (size) => {
    const text = 'a\tO\r\nb\tO\r\n\r\nc\tO\r\n';
    const corpus = await readConllCorpus(chunked(Buffer.from(text), size));
    expect(words(corpusSentences(corpus))).toEqual([['a/O', 'b/O'], ['c/O']]);
    expect(corpus.format.lineCount).toBe(4);
    expect(writeConll(corpus)).toBe(text);
  });

  it('reads mixed endings as line breaks and records the first one', () => {
    const corpus = readConllString('a\tO\r\nb\tO\rc\tO\n\nd\tO');
    expect(words(corpusSentences(corpus))).toEqual([['a/O', 'b/O', 'c/O'], ['d/O']]);
    expect(corpus.format.eol).toBe('\r\n');
    expect(writeConll(corpus)).toBe('a\tO\r\nb\tO\r\nc\tO\r\n\r\nd\tO');
  });

  it('counts CR-only lines in error places', () => {
    expect(caught(() => readConllString('a\tO\rb\tO\rc\r', { file: 'cr.conll' }))).toMatchObject({ code: 'MISSING_TAG', line: 3, column: 2 });
  });

  it('counts CR-only lines in the place of invalid UTF-8', async () => {
    const data = Buffer.concat([Buffer.from('a\tO\rb\tO\rc'), Buffer.from([0xff]), Buffer.from('\tO\r')]);
    await expect(collect(chunked(data, 4))).rejects.toMatchObject({ code: 'INVALID_UTF8', line: 3, column: 2 });
  });
});

describe('separator', () => {
  it('splits a file whose first token line holds a tab on tabs only, so tokens keep their spaces', () => {
    const corpus = readConllString('New York\tB-geo-loc\nis\tO\n');
    expect(corpusSentences(corpus)[0].tokens[0]).toEqual({ text: 'New York', tag: 'B-geo-loc', columns: [] });
    expect(corpus.format.separator).toBe('\t');
    expect(writeConll(corpus)).toBe('New York\tB-geo-loc\nis\tO\n');
  });

  it('decides from the first token line, not from -DOCSTART- or blank lines', () => {
    const corpus = readConllString('-DOCSTART- -X- O\n\nNew York\tB-geo-loc\n');
    expect(corpusSentences(corpus)[0].tokens[0].text).toBe('New York');
  });

  it('says why a space-only line of a tab-separated file has no tag', () => {
    const error = caught(() => readConllString('New York\tB-geo-loc\nis O\n', { file: 'tab.conll' }));
    expect(error).toMatchObject({ code: 'MISSING_TAG', file: 'tab.conll', line: 2, column: 5 });
    expect(error.message).toContain("tab-separated because line 1 holds a tab");
    expect(error.message).toContain("separator: 'whitespace'");
  });

  it('refuses a tab in a file its first token line made space-separated, with the place and the fix', () => {
    const error = caught(() => readConllString('a O\nNew York\tB-geo-loc\n', { file: 'space.conll' }));
    expect(error).toBeInstanceOf(ConllParseError);
    expect(error).toMatchObject({ code: 'MIXED_SEPARATOR', line: 2, column: 9 });
    expect(error.message).toMatch(/^space\.conll:2:9: line holds a tab, but the first token line \(line 1\) has none/);
    expect(error.message).toContain("Pass separator: 'tab'");
  });

  it('refuses it on the fast path too (one separator character per line)', () => {
    expect(caught(() => readConllString('a O\nb O\nc\tO\n'))).toMatchObject({ code: 'MIXED_SEPARATOR', line: 3, column: 2 });
  });

  it('splits on spaces and tabs alike in lenient mode, reporting it', () => {
    const repairs: ConllRepair[] = [];
    const corpus = readConllString('a O\nb\tO\n', { mode: 'lenient', onRepair: (r) => repairs.push(r) });
    expect(words(corpusSentences(corpus))).toEqual([['a/O', 'b/O']]);
    expect(repairs.map((r) => [r.code, r.line, r.column])).toEqual([['MIXED_SEPARATOR', 2, 2]]);
  });

  it('does not decide from a whitespace-only line before the first token line', () => {
    const repairs: ConllRepair[] = [];
    const corpus = readConllString(' \t\nNew York\tB-geo-loc\n', { mode: 'lenient', onRepair: (r) => repairs.push(r) });
    expect(words(corpusSentences(corpus))).toEqual([['New York/B-geo-loc']]);
    expect(repairs.map((r) => r.code)).toEqual(['BLANKISH_LINE']);
  });

  it("keeps separator: 'whitespace' mixing spaces and tabs and separator: 'tab' splitting on tabs", () => {
    expect(words(corpusSentences(readConllString('a O\nb\tO\n', { separator: 'whitespace' })))).toEqual([['a/O', 'b/O']]);
    expect(words(corpusSentences(readConllString('a b\tO\n', { separator: 'tab' })))).toEqual([['a b/O']]);
  });
});

describe('tags without a type', () => {
  test.each([
    ['two columns, tab', 'a\tO\nb\tB-\n', 2, 3],
    ['two columns, space', 'a O\nbb I-\n', 2, 4],
    ['middle columns', 'a\tNN\tO\nb\tNN\tB-\n', 2, 6],
    ['a run of dashes', 'a\tI--\n', 1, 3],
    ['the first line', 'ab\tS-\n', 1, 4],
  ])('refuses a prefix without a type (%s) with file:line:column', (_, text, line, column) => {
    const error = caught(() => readConllString(text, { file: 'in.conll' }));
    expect(error).toBeInstanceOf(ConllParseError);
    expect(error).toMatchObject({ code: 'EMPTY_TAG_TYPE', file: 'in.conll', line, column });
    expect(error.message).toMatch(new RegExp(`^in\\.conll:${line}:${column}: tag ".-+" has the prefix . but no entity type; expected a tag such as`));
  });

  it('refuses it in lenient mode too (there is no safe repair)', () => {
    expect(caught(() => readConllString('a\tB-\n', { mode: 'lenient' }))).toMatchObject({ code: 'EMPTY_TAG_TYPE' });
  });

  it('refuses it after more distinct tags than the reader shares', () => {
    const many = Array.from({ length: 80 }, (_, i) => `w\tB-t${i}\n`).join('');
    expect(caught(() => readConllString(`${many}w\tB-\n`))).toMatchObject({ code: 'EMPTY_TAG_TYPE', line: 81, column: 3 });
  });

  it('accepts POS-like tags that merely contain dashes', () => {
    expect(words(corpusSentences(readConllString('(\t-LRB-\nx\t-NONE-\ny\tB-x-\n')))).toEqual([['(/-LRB-', 'x/-NONE-', 'y/B-x-']]);
  });

  it('is refused by the writer as well, which keeps writer and reader in step', () => {
    const error = caught(() => writeConll([{ tokens: [{ text: 'a', tag: 'B-', columns: [] }] }]));
    expect(error).toMatchObject({ name: 'ConllWriteError', code: 'UNWRITABLE_FIELD' });
    expect(error.message).toContain('document 0, sentence 0, token 0: tag "B-" has the prefix B but no entity type');
  });
});

describe('files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'conll-hostile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['readConll', (p: string) => collect(p)],
    ['readConllItems', async (p: string) => {
      for await (const _ of readConllItems(p)) { /* drain */ }
    }],
    ['readConllCorpus', (p: string) => readConllCorpus(p)],
  ])('%s names a directory passed as a file', async (_, read) => {
    const error = await rejected(() => read(dir));
    expect(error).toBeInstanceOf(ConllParseError);
    expect(error).toMatchObject({ code: 'NOT_A_FILE', file: dir, line: 0, column: 0 });
    expect(error.message).toBe(`${dir}: is a directory; expected a CoNLL file (pass a file inside it, such as ${path.join(dir, 'train.conll')})`);
  });

  it('names a missing file', async () => {
    const missing = path.join(dir, 'nope.conll');
    const error = await rejected(() => readConllCorpus(missing));
    expect(error).toMatchObject({ name: 'ConllParseError', code: 'FILE_NOT_FOUND', file: missing });
    expect(error.message.startsWith(`${missing}: no such file; expected the path of a CoNLL file`)).toBe(true);
  });

  it('reads a real file and names it in parse errors', async () => {
    const file = path.join(dir, 'bad.conll');
    writeFileSync(file, 'a\tO\nb\n');
    await expect(readConllCorpus(file)).rejects.toMatchObject({ code: 'MISSING_TAG', file, line: 2 });
  });

  it('closes the file when the caller stops early', async () => {
    const file = path.join(dir, 'many.conll');
    writeFileSync(file, 'a\tO\n\n'.repeat(10));
    for await (const _ of readConll(file)) break;
  });
});

describe('encodings and odd characters', () => {
  const utf16le = Buffer.from('\uFEFFa\tO\n', 'utf16le');
  const utf16be = Buffer.from(utf16le).swap16();

  test.each([
    ['little-endian', utf16le, 'FF FE, little-endian'],
    ['big-endian', utf16be, 'FE FF, big-endian'],
  ])('refuses UTF-16 (%s) by its byte order mark, saying to convert it', async (_, data, order) => {
    for (const size of [1, 2, 1000]) {
      const error = await rejected(() => readConllCorpus(chunked(data, size), { file: 'u16.conll' }));
      expect(error).toMatchObject({ name: 'ConllParseError', code: 'UTF16_INPUT', file: 'u16.conll', line: 0 });
      expect(error.message).toBe(
        `u16.conll: this file is UTF-16 (byte order mark ${order}); expected UTF-8. Convert it to UTF-8, e.g. \`iconv -f UTF-16 -t UTF-8 in.conll > out.conll\``,
      );
    }
  });

  it('refuses UTF-16 without a byte order mark by its NUL bytes', async () => {
    const error = await rejected(() => readConllCorpus(Buffer.from('a\tO\n', 'utf16le')));
    expect(error).toMatchObject({ code: 'NUL_BYTE', line: 1, column: 2 });
    expect(error.message).toContain('convert it to UTF-8');
  });

  test.each<[string, ConllReadOptions]>([
    ['strict', {}],
    ['lenient', { mode: 'lenient' }],
  ])('refuses a NUL character (%s mode) with its place', async (_, options) => {
    expect(caught(() => readConllString('a\tO\nb\0c\tO\n', { ...options, file: 'nul.conll' }))).toMatchObject({ code: 'NUL_BYTE', file: 'nul.conll', line: 2, column: 2 });
    await expect(readConllCorpus(Buffer.from('a\tO\r\rb\0\tO\n'), options)).rejects.toMatchObject({ code: 'NUL_BYTE', line: 3, column: 2 });
  });

  it('refuses a lone surrogate in a string with its place, and replaces it in lenient mode', () => {
    expect(caught(() => readConllString('a\tO\nb\uD800\tO\n'))).toMatchObject({ code: 'INVALID_UTF16', line: 2, column: 2 });
    const repairs: ConllRepair[] = [];
    const corpus = readConllString('a\uDC00\tO\n', { mode: 'lenient', onRepair: (r) => repairs.push(r) });
    expect(corpusSentences(corpus)[0].tokens[0].text).toBe('a\uFFFD');
    expect(repairs.map((r) => [r.code, r.line, r.column])).toEqual([['INVALID_UTF16', 1, 2]]);
  });

  it('keeps surrogate pairs (emoji) as they are', () => {
    expect(corpusSentences(readConllString('😀\tO\n'))[0].tokens[0].text).toBe('😀');
  });

  it('refuses a lone surrogate in a string chunk of a stream', async () => {
    await expect(readConllCorpus(Readable.from(['a\tO\n', 'b\uD800\tO\n']))).rejects.toMatchObject({ code: 'INVALID_UTF16' });
  });

  it('refuses NUL and lone surrogates in the writer', () => {
    for (const text of ['a\0b', 'a\uD800']) {
      expect(caught(() => writeConll([{ tokens: [{ text, tag: 'O', columns: [] }] }]))).toMatchObject({ code: 'UNWRITABLE_FIELD' });
    }
  });

  it('refuses a first token starting with U+FEFF unless a BOM is written before it', () => {
    const sentences = [{ tokens: [{ text: '\uFEFFa', tag: 'O', columns: [] }] }];
    expect(caught(() => writeConll(sentences))).toMatchObject({ code: 'UNWRITABLE_FIELD' });
    const text = writeConll(sentences, { format: { bom: true } });
    expect(corpusSentences(readConllString(text))[0].tokens[0].text).toBe('\uFEFFa');
  });
});

describe('size', () => {
  it('cuts a 1 MB line in a message to 80 characters', () => {
    const line = 'x'.repeat(1 << 20);
    const error = caught(() => readConllString(`a\tO\n${line}\n`, { file: 'big.conll' }));
    expect(error).toMatchObject({ code: 'MISSING_TAG', line: 2, column: line.length + 1 });
    expect(error.message.length).toBeLessThan(300);
    expect(error.message).toContain(`received "${'x'.repeat(80)}"… (${line.length} characters)`);
  });

  it('reads a 4 MB line streamed in 1 KB chunks', async () => {
    const token = 'y'.repeat(4 << 20);
    const sentences = await collect(chunked(Buffer.from(`${token}\tO`), 1024));
    expect(sentences).toHaveLength(1);
    expect(sentences[0].tokens[0].text.length).toBe(token.length);
  });

  test.each<[string, ConllSource]>([
    ['an empty string path source', Buffer.alloc(0)],
    ['a stream of no chunks', Readable.from([])],
    ['a stream of empty chunks', Readable.from([Buffer.alloc(0), Buffer.alloc(0)])],
  ])('reads %s as no sentences', async (_, source) => {
    const corpus = await readConllCorpus(source);
    expect(corpus.documents).toEqual([]);
    expect(writeConll(corpus)).toBe('');
  });

  test.each(['', '\n', '\n\n\n', '\r\r', '\uFEFF'])('reads %j as no sentences and writes it back byte for byte', (text) => {
    const corpus = readConllString(text);
    expect(corpusSentences(corpus)).toEqual([]);
    expect(writeConll(corpus)).toBe(text);
  });
});

describe('wrong types and options through the JS API', () => {
  it('reads a Buffer (or any Uint8Array) as the bytes of a file', async () => {
    const data = Buffer.from('a\tO\n\nb\tB-x\n');
    expect(words(await collect(data))).toEqual([['a/O'], ['b/B-x']]);
    expect(words(corpusSentences(await readConllCorpus(new Uint8Array(data))))).toEqual([['a/O'], ['b/B-x']]);
    await expect(collect(Buffer.from('a\n'))).rejects.toMatchObject({ code: 'MISSING_TAG', file: '<bytes>' });
  });

  it('refuses a Buffer passed to readConllString, pointing to readConllCorpus', () => {
    const error = caught(() => readConllString(Buffer.from('a O') as unknown as string));
    expect(error).toBeInstanceOf(ConllUsageError);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', option: 'text' });
    expect(error.message).toBe(
      'readConllString: text must be a string, received a Buffer; for bytes (a Buffer or Uint8Array) call readConllCorpus(bytes), which decodes and checks UTF-8',
    );
  });

  test.each<[string, unknown]>([
    ['a number', 42],
    ['null', null],
    ['a plain object', { path: 'x' }],
    ['an empty path', ''],
  ])('refuses %s as a source, at the call', (_, source) => {
    const error = caught(() => readConll(source as ConllSource));
    expect(error).toBeInstanceOf(ConllUsageError);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', option: 'source' });
    expect(error.message).toContain('a file path, a Uint8Array (or Buffer), a Node Readable or an async iterable of Uint8Array chunks');
  });

  it('refuses a stream chunk that is not bytes or text', async () => {
    await expect(readConllCorpus(Readable.from([1, 2], { objectMode: true }))).rejects.toMatchObject({ name: 'ConllUsageError', code: 'INVALID_ARGUMENT' });
  });

  test.each<[string, unknown, string, string]>([
    ['an unknown key', { sep: 'tab' }, 'UNKNOWN_OPTION', 'readConllString: unknown option "sep"; accepted options are separator, tagged, scheme, mode, onRepair, file'],
    ['a bad separator', { separator: 'comma' }, 'INVALID_OPTION', "readConllString: option separator must be one of 'auto', 'tab', 'whitespace', received the string \"comma\""],
    ['a bad scheme', { scheme: 'BOGUS' }, 'INVALID_OPTION', "readConllString: option scheme must be one of 'IO', 'IOB1', 'IOB2', 'IOE1', 'IOE2', 'IOBES', 'BILOU', received the string \"BOGUS\""],
    ['a bad mode', { mode: 'loose' }, 'INVALID_OPTION', "readConllString: option mode must be one of 'strict', 'lenient', received the string \"loose\""],
    ['a bad tagged', { tagged: 'yes' }, 'INVALID_OPTION', 'readConllString: option tagged must be true or false, received the string "yes"'],
    ['a bad onRepair', { onRepair: 1 }, 'INVALID_OPTION', 'readConllString: option onRepair must be a function, received a number (1)'],
    ['an empty file name', { file: '' }, 'INVALID_OPTION', 'readConllString: option file must be a non-empty string, received the string ""'],
    ['options that are not an object', 'tab', 'INVALID_ARGUMENT', 'readConllString: options must be an object, received the string "tab"'],
  ])('refuses %s with a typed error listing what is accepted', (_, options, code, message) => {
    const error = caught(() => readConllString('a\tO\n', options as ConllReadOptions));
    expect(error).toBeInstanceOf(ConllUsageError);
    expect(error).toMatchObject({ code, message });
  });

  it('refuses bad options in the streaming readers at the call', async () => {
    expect(caught(() => readConll(Buffer.from(''), { separator: 'comma' } as unknown as ConllReadOptions))).toMatchObject({ code: 'INVALID_OPTION', option: 'separator' });
    expect(caught(() => readConllItems(Buffer.from(''), { zero: 1 } as unknown as ConllReadOptions))).toMatchObject({ code: 'UNKNOWN_OPTION', option: 'zero' });
    await expect(readConllCorpus(Buffer.from(''), { scheme: 'BOGUS' } as unknown as ConllReadOptions)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  test.each<[string, unknown, string]>([
    ['an unknown option', { fmt: {} }, 'writeConll: unknown option "fmt"; accepted options are format'],
    ['an unknown format key', { format: { newline: '\n' } }, 'writeConll format: unknown option "newline"; accepted options are bom, eol, separator, finalNewline, lineCount'],
    ['a bad eol', { format: { eol: '\n\n' } }, "writeConll format: option eol must be one of '\n', '\r\n', '\r', received the string \"\\n\\n\""],
    ['a comma separator', { format: { separator: ',' } }, "writeConll format: option separator must be '\\t', a run of spaces (' ') or '' for the default tab, received the string \",\""],
    ['a negative lineCount', { format: { lineCount: -1 } }, 'writeConll format: option lineCount must be a non-negative integer, received a number (-1)'],
  ])('writeConll refuses %s', (_, options, message) => {
    const error = caught(() => writeConll([], options as object));
    expect(error).toBeInstanceOf(ConllUsageError);
    expect(error.message).toBe(message);
  });

  test.each<[string, unknown, string]>([
    ['a number token', [{ tokens: [{ text: 5, tag: 'O', columns: [] }] }], 'document 0, sentence 0, token 0: token must be a string, received a number (5)'],
    ['a null tag', [{ tokens: [{ text: 'a', tag: null, columns: [] }] }], 'document 0, sentence 0, token 0: tag must be a string, received null'],
    ['columns that are not an array', [{ tokens: [{ text: 'a', tag: 'O', columns: 'NN' }] }], 'document 0, sentence 0, token 0: columns must be an array of strings, received the string "NN"'],
    ['a null token', [{ tokens: [null] }], 'document 0, sentence 0, token 0: expected a token { text, tag, columns }, received null'],
    ['a sentence without tokens array', [{}], 'document 0, sentence 0: expected a sentence { tokens: [...] }, received an object'],
    ['a far-away line number', [{ tokens: [{ text: 'a', tag: 'O', columns: [] }], line: 1e12 }], 'document 0, sentence 0: line 1000000000000 would put 999999999999 blank lines before it; expected the line the reader gave, or no line'],
    ['a fractional line number', [{ tokens: [{ text: 'a', tag: 'O', columns: [] }], line: 1.5 }], 'document 0, sentence 0: line must be a positive integer (the 1-based line the reader gave) or absent, received a number (1.5)'],
    ['a docstart that is not one', { documents: [{ docstart: 'hello', sentences: [] }], format: undefined }, 'document 0: docstart must be a "-DOCSTART-" line (optionally followed by columns) on one line, received the string "hello"'],
  ])('writeConll refuses %s with ConllWriteError', (_, input, message) => {
    const error = caught(() => writeConll(input as ConllSentence[]));
    expect(error).toBeInstanceOf(ConllWriteError);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message });
  });

  test.each<[string, unknown]>([
    ['a string', 'a\tO'],
    ['null', null],
    ['a corpus without documents', { format: {} }],
  ])('writeConll refuses %s as input', (_, input) => {
    expect(caught(() => writeConll(input as ConllSentence[]))).toMatchObject({ name: 'ConllUsageError', code: 'INVALID_ARGUMENT', option: 'input' });
  });

  it('corpusSentences refuses what is not a corpus', () => {
    expect(caught(() => corpusSentences(null as never))).toMatchObject({ name: 'ConllUsageError', code: 'INVALID_ARGUMENT' });
  });
});

describe('empty sentences', () => {
  it('are refused by the writer instead of silently dropped', () => {
    const sentences: ConllSentence[] = [{ tokens: [{ text: 'a', tag: 'O', columns: [] }] }, { tokens: [] }];
    const error = caught(() => writeConll(sentences));
    expect(error).toBeInstanceOf(ConllWriteError);
    expect(error).toMatchObject({ code: 'EMPTY_SENTENCE' });
    expect(error.message).toBe('document 0, sentence 1 has no tokens; a CoNLL sentence is one or more token lines, so an empty one would vanish on reading. Drop it or give it tokens');
  });

  it('in a document are refused too; an empty document keeps its -DOCSTART- line', () => {
    expect(caught(() => writeConll({ documents: [{ docstart: '-DOCSTART-', sentences: [{ tokens: [] }] }], format: readConllString('').format }))).toMatchObject({ code: 'EMPTY_SENTENCE' });
    const corpus = readConllString('-DOCSTART-\n\n-DOCSTART-\n\na\tO\n');
    expect(corpus.documents.map((d) => d.sentences.length)).toEqual([0, 1]);
    expect(writeConll(corpus)).toBe('-DOCSTART-\n\n-DOCSTART-\n\na\tO\n');
  });
});

describe('writer and reader round trip', () => {
  // Any text at all, weighted towards the characters that matter to CoNLL.
  const nasty = fc.constantFrom('\t', ' ', '\n', '\r', '\0', '\uFEFF', '\uD800', '\uDC00', '-', 'B', 'I', 'O', 'é', '😀', '\u00A0', '\u2028');
  const char = fc.oneof({ weight: 3, arbitrary: nasty }, { weight: 1, arbitrary: fc.fullUnicode() });
  const field = fc.oneof(
    fc.stringOf(char, { maxLength: 6 }),
    fc.constantFrom('-DOCSTART-', 'B-', 'I--', 'B-x', 'O', '-LRB-'),
  );
  const token = fc.record({ text: field, tag: field, columns: fc.array(field, { maxLength: 2 }) });
  const sentence = fc.record({ tokens: fc.array(token, { maxLength: 4 }) });
  const format: fc.Arbitrary<Partial<ConllFormat>> = fc.record({
    bom: fc.boolean(),
    eol: fc.constantFrom('\n' as const, '\r\n' as const, '\r' as const),
    separator: fc.constantFrom('\t', ' ', '  ', ''),
    finalNewline: fc.boolean(),
  });

  it('reads back, byte for byte, every document the writer accepts; the writer refuses the rest with ConllWriteError', async () => {
    let written = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(sentence, { maxLength: 4 }), format, fc.integer({ min: 1, max: 9 }), async (sentences, fmt, chunk) => {
        let text: string;
        try {
          text = writeConll(sentences, { format: fmt });
        } catch (error) {
          expect(error).toBeInstanceOf(ConllWriteError);
          return;
        }
        written++;
        const tokens = sentences.map((s) => s.tokens);
        const fromString = readConllString(text);
        expect(corpusSentences(fromString).map((s) => s.tokens)).toEqual(tokens);
        expect(writeConll(fromString)).toBe(text);
        const fromBytes = await readConllCorpus(chunked(Buffer.from(text, 'utf8'), chunk));
        expect(corpusSentences(fromBytes).map((s) => s.tokens)).toEqual(tokens);
        expect(writeConll(fromBytes)).toBe(text);
      }),
      { numRuns: 400 },
    );
    // The property must not hold vacuously: a good share of the generated documents is written.
    expect(written).toBeGreaterThan(20);
  });

  it('reads back tag-less sentences with tagged: false and the separator they were written with', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ tokens: fc.array(fc.record({ text: field, tag: fc.constant(undefined), columns: fc.array(field, { maxLength: 2 }) }), { minLength: 1, maxLength: 3 }) }), { maxLength: 3 }), fc.constantFrom('\t', ' '), (sentences, separator) => {
        let text: string;
        try {
          text = writeConll(sentences, { format: { separator } });
        } catch (error) {
          expect(error).toBeInstanceOf(ConllWriteError);
          return;
        }
        const corpus = readConllString(text, { tagged: false, separator: separator === '\t' ? 'tab' : 'whitespace' });
        expect(corpusSentences(corpus).map((s) => s.tokens)).toEqual(sentences.map((s) => s.tokens));
        expect(writeConll(corpus)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('wrong types through the tag and dataset helpers', () => {
  test.each<[string, () => unknown, string, string]>([
    ['getSpans(null)', () => getSpans(null as never, 'IOB2'), 'tags', 'getSpans: tags must be an array of tag strings, received null'],
    ['getSpans with a number tag', () => getSpans(['O', 5] as never, 'IOB2'), 'tags', "getSpans: tags[1] must be a tag string such as 'B-person' or 'O', received a number (5)"],
    ['getSpans with an unknown scheme', () => getSpans(['O'], 'BIO' as never), 'scheme', "getSpans: scheme must be one of 'IO', 'IOB1', 'IOB2', 'IOE1', 'IOE2', 'IOBES', 'BILOU', received the string \"BIO\""],
    ['getSpans with an unknown option', () => getSpans(['O'], 'IOB2', { suffx: true } as never), 'suffx', 'getSpans: unknown option "suffx"; accepted options are suffix, delimiter'],
    ['convertScheme to an unknown scheme', () => convertScheme(['O'], 'IOB2', 'X' as never), 'to', "convertScheme: to must be one of 'IO', 'IOB1', 'IOB2', 'IOE1', 'IOE2', 'IOBES', 'BILOU', received the string \"X\""],
    ['convertScheme with a null tag', () => convertScheme([null] as never, 'IOB2', 'IOBES'), 'tags', "getSpans: tags[0] must be a tag string such as 'B-person' or 'O', received null"],
    ['encodeSpans with overlapping spans', () => encodeSpans([{ type: 'x', start: 0, end: 2 }, { type: 'y', start: 1, end: 3 }], 3, 'IOB2'), 'spans', 'encodeSpans: spans[1] must be { type, start, end } with a type, start < end <= length (3), sorted and not overlapping; received "{\\"type\\":\\"y\\",\\"start\\":1,\\"end\\":3}"'],
    ['encodeSpans past the end', () => encodeSpans([{ type: 'x', start: 0, end: 5 }], 3, 'IOB2'), 'spans', 'encodeSpans: spans[0] must be { type, start, end } with a type, start < end <= length (3), sorted and not overlapping; received "{\\"type\\":\\"x\\",\\"start\\":0,\\"end\\":5}"'],
    ['detectScheme with a number tag', () => detectScheme([['O'], [5]] as never), 'sentences[1]', "detectScheme: sentences[1][0] must be a tag string such as 'B-person' or 'O', received a number (5)"],
    ['repairIob2 with a null tag', () => repairIob2(['O', null] as never), 'tags', "repairIob2: tags[1] must be a tag string such as 'B-person' or 'O', received null"],
    ['parseTag of a number', () => parseTag(5 as never), 'tag', "parseTag: tag must be a string such as 'B-person' or 'O', received a number (5)"],
    ['schemePrefixes of an unknown scheme', () => schemePrefixes('BIO' as never), 'scheme', "schemePrefixes: scheme must be one of 'IO', 'IOB1', 'IOB2', 'IOE1', 'IOE2', 'IOBES', 'BILOU', received the string \"BIO\""],
    ['datasetStats(null)', () => datasetStats(null as never), 'sentences', 'datasetStats: sentences must be an array of sentences (corpusSentences(corpus)), received null'],
    ['datasetStats with a bad scheme', () => datasetStats([], { scheme: 'BIO' } as never), 'scheme', "datasetStats: option scheme must be one of 'IO', 'IOB1', 'IOB2', 'IOE1', 'IOE2', 'IOBES', 'BILOU', received the string \"BIO\""],
    ['oovRate with an unknown option', () => oovRate([], [], { lower: true } as never), 'lower', 'oovRate: unknown option "lower"; accepted options are lowercase'],
    ['TokenVocabulary.build with min_frequency', () => TokenVocabulary.build([['a']], { min_frequency: 2 } as never), 'min_frequency', 'TokenVocabulary.build: unknown option "min_frequency"; accepted options are lowercase, minFrequency, maxSize'],
    ['TokenVocabulary.build(null)', () => TokenVocabulary.build(null as never), 'texts', 'TokenVocabulary.build: texts must be an iterable of token-text arrays (string[][]), received null'],
    ['TokenVocabulary.build with a number token', () => TokenVocabulary.build([['a', 1]] as never), 'texts', 'TokenVocabulary.build: every token text must be a string, received a number (1)'],
    ['padSequences with lenght', () => padSequences([[1]], { lenght: 2 } as never), 'lenght', 'padSequences: unknown option "lenght"; accepted options are length, value, padding, truncating'],
    ['padSequences with a bad padding', () => padSequences([[1]], { padding: 'left' } as never), 'padding', "padSequences: option padding must be one of 'pre', 'post', received the string \"left\""],
  ])('%s gives ConllUsageError', (_, call, option, message) => {
    const error = caught(call);
    expect(error).toBeInstanceOf(ConllUsageError);
    expect(error).toMatchObject({ option, message });
  });

  it('keeps seqeval parity in getSpans for a bare prefix (the reader refuses B- in files)', () => {
    expect(getSpans(['B', 'I'], 'IOB2')).toEqual([{ type: '_', start: 0, end: 2 }]);
  });
});

describe('streaming CRLF input whose lines repeat', () => {
  // Found by the round-trip property: two byte chunks with the same text shared a cached `\r` search.
  it('reads identical CRLF lines delivered in separate chunks like one string', async () => {
    const text = 'I--\tB-x\r\nI--\tB-x\r\n\r\nI--\tO\r\nI--\tO\r\n';
    async function* chunks(size: number): AsyncGenerator<Uint8Array> {
      const bytes = Buffer.from(text, 'utf8');
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    }
    const expected = corpusSentences(readConllString(text)).map((s) => s.tokens.map((t) => t.tag));
    expect(expected).toEqual([['B-x', 'B-x'], ['O', 'O']]);
    for (const size of [1, 2, 3, 9, 100]) {
      const got = corpusSentences(await readConllCorpus(chunks(size))).map((s) => s.tokens.map((t) => t.tag));
      expect([size, got]).toEqual([size, expected]);
    }
  });
});
