import { Readable } from 'node:stream';
import fc from 'fast-check';
import {
  ConllParseError,
  ConllWriteError,
  corpusSentences,
  readConll,
  readConllCorpus,
  readConllItems,
  readConllString,
  writeConll,
  writeConlleval,
  type ConllReadOptions,
  type ConllRepair,
  type ConllSentence,
} from '../src';

const tokens = (sentence: ConllSentence): string[] => sentence.tokens.map((t) => `${t.text}/${t.tag}`);
const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

async function readBytes(data: Uint8Array, options: ConllReadOptions = {}, chunkSize = 3): Promise<ConllSentence[]> {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += chunkSize) chunks.push(data.subarray(i, i + chunkSize));
  const out: ConllSentence[] = [];
  for await (const sentence of readConll(Readable.from(chunks), options)) out.push(sentence);
  return out;
}

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('readConllString', () => {
  test.each([
    ['LF', 'a\tO\nb\tB-x\n\nc\tO\n'],
    ['CRLF', 'a\tO\r\nb\tB-x\r\n\r\nc\tO\r\n'],
    ['a BOM', '\uFEFFa\tO\nb\tB-x\n\nc\tO\n'],
    ['several blank lines', '\n\na\tO\nb\tB-x\n\n\n\nc\tO\n\n\n'],
    ['no final newline', 'a\tO\nb\tB-x\n\nc\tO'],
    ['spaces', 'a O\nb B-x\n\nc O\n'],
  ])('reads input with %s and writes it back byte for byte', (_, text) => {
    const corpus = readConllString(text);
    expect(corpusSentences(corpus).map(tokens)).toEqual([['a/O', 'b/B-x'], ['c/O']]);
    expect(writeConll(corpus)).toBe(text);
  });

  it('keeps middle columns and -DOCSTART- documents', () => {
    const text = '-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\n-DOCSTART- -X- -X- O\n\nPeter NNP B-NP B-PER\n';
    const corpus = readConllString(text);
    expect(corpus.documents.map((d) => [d.docstart, d.sentences.length])).toEqual([
      ['-DOCSTART- -X- -X- O', 1],
      ['-DOCSTART- -X- -X- O', 1],
    ]);
    expect(corpus.documents[0].sentences[0].tokens[0]).toEqual({ text: 'EU', tag: 'B-ORG', columns: ['NNP', 'B-NP'] });
    expect(writeConll(corpus)).toBe(text);
  });

  it('reads tokens only when tagged is false', () => {
    const corpus = readConllString('hello\nworld\n\nagain\n', { tagged: false });
    expect(corpusSentences(corpus).map((s) => s.tokens.map((t) => [t.text, t.tag]))).toEqual([
      [['hello', undefined], ['world', undefined]],
      [['again', undefined]],
    ]);
  });

  it('keeps spaces inside tokens with the tab separator', () => {
    const corpus = readConllString('New York\tB-loc\n', { separator: 'tab' });
    expect(corpusSentences(corpus)[0].tokens[0]).toEqual({ text: 'New York', tag: 'B-loc', columns: [] });
  });

  test.each<[string, string, ConllReadOptions, string, number, number]>([
    ['a line with one field', 'a\tO\nb\n', {}, 'MISSING_TAG', 2, 2],
    ['an empty token (tab)', 'a\tO\n\tO\n', { separator: 'tab' }, 'EMPTY_FIELD', 2, 1],
    ['an empty tag (tab)', 'a\t\n', { separator: 'tab' }, 'EMPTY_FIELD', 1, 3],
    ['leading whitespace', ' a O\n', {}, 'EMPTY_FIELD', 1, 1],
    ['trailing whitespace', 'a O \n', {}, 'EMPTY_FIELD', 1, 4],
    ['a whitespace-only line', 'a O\n  \nb O\n', {}, 'EMPTY_FIELD', 2, 1],
    ['I- after O with IOB2 validation', 'a\tO\nb\tI-x\n', { scheme: 'IOB2' }, 'INVALID_SCHEME_TAG', 2, 3],
    ['E- in IOB2', 'a\tE-x\n', { scheme: 'IOB2' }, 'INVALID_SCHEME_TAG', 1, 3],
    ['an unclosed IOBES chunk', 'ab\tB-x\n', { scheme: 'IOBES' }, 'INVALID_SCHEME_TAG', 1, 4],
  ])('rejects %s in strict mode with its place', (_, text, options, code, line, column) => {
    const error = caught(() => readConllString(text, { ...options, file: 'in.conll' }));
    expect(error).toBeInstanceOf(ConllParseError);
    expect(error).toMatchObject({ code, file: 'in.conll', line, column });
    expect((error as Error).message.startsWith(`in.conll:${line}:${column}: `)).toBe(true);
  });

  it('writes a plain message for a missing tag', () => {
    expect(() => readConllString('a\tO\nb\n', { file: 'x.conll' })).toThrowErrorMatchingInlineSnapshot(
      `"x.conll:2:2: token line has one field where a tag is required; expected "token<separator>tag", received "b" (lenient mode tags it O)"`,
    );
  });

  it('repairs in lenient mode, reports every repair and keeps every token', () => {
    const repairs: ConllRepair[] = [];
    const text = 'a O\nb\n  \n c I-x\nd I-x \n';
    const corpus = readConllString(text, { mode: 'lenient', scheme: 'IOB2', onRepair: (r) => repairs.push(r) });
    expect(corpusSentences(corpus).map(tokens)).toEqual([['a/O', 'b/O'], ['c/B-x', 'd/I-x']]);
    expect(repairs.map((r) => [r.code, r.line, r.column])).toEqual([
      ['MISSING_TAG', 2, 2],
      ['BLANKISH_LINE', 3, 1],
      ['EMPTY_FIELD', 4, 1],
      ['EMPTY_FIELD', 5, 6],
      // Tag columns are computed from the kept fields, so the stripped leading space is not counted.
      ['INVALID_SCHEME_TAG', 4, 3],
    ]);
  });

  it('still refuses in lenient mode a scheme error it has no rule for', () => {
    expect(() => readConllString('a E-x\n', { mode: 'lenient', scheme: 'IOB2' })).toThrow(ConllParseError);
  });
});

describe('whitespace separator', () => {
  it('splits on a single tab or a single space alike, after the first line set the separator', () => {
    const corpus = readConllString('a\tB-x\nb I-x\nc d\tO\n', { separator: 'whitespace' });
    expect(corpusSentences(corpus).map(tokens)).toEqual([['a/B-x', 'b/I-x', 'c/O']]);
    expect(corpusSentences(corpus)[0].tokens[2].columns).toEqual(['d']);
    expect(corpus.format.separator).toBe('\t');
  });
});

describe('streaming readers', () => {
  test.each([1, 2, 3, 7, 1000])('give the same sentences as the string reader for chunks of %i bytes', async (size) => {
    const text = '\uFEFFé\tO\r\nß\tB-x\r\n\r\n-DOCSTART-\r\n\r\n😀\tO';
    const fromString = corpusSentences(readConllString(text));
    expect(await readBytes(Buffer.from(text, 'utf8'), {}, size)).toEqual(fromString);
  });

  it('yields a sentence before the source has given its next chunk', async () => {
    let requested = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (;;) {
        requested++;
        yield Buffer.from('tok O\n\n');
      }
    }
    const iterator = readConll(source());
    const first = await iterator.next();
    expect(first.value?.tokens[0].text).toBe('tok');
    expect(requested).toBe(1);
    await iterator.return(undefined);
  });

  it('reports -DOCSTART- lines as items', async () => {
    const items = [];
    for await (const item of readConllItems(Readable.from([Buffer.from('a O\n-DOCSTART-\nb O\n')]))) items.push(item.kind);
    expect(items).toEqual(['sentence', 'docstart', 'sentence']);
  });

  test.each([
    ['a lone continuation byte', bytes('a\tO\nb', [0x80], '\tO\n'), 2, 2],
    ['a truncated sequence at the end', bytes('a\tO\n\nab', [0xe2, 0x82]), 3, 3],
    ['an overlong encoding', bytes('a\tO\n', [0xc0, 0xaf], '\tO\n'), 2, 1],
    ['a surrogate', bytes([0xed, 0xa0, 0x80], '\tO\n'), 1, 1],
  ])('rejects %s as invalid UTF-8 with its line and byte column', async (_, data, line, column) => {
    await expect(readBytes(data)).rejects.toMatchObject({ name: 'ConllParseError', code: 'INVALID_UTF8', file: '<stream>', line, column });
  });

  it('finds invalid UTF-8 after a line carried over from the previous chunk, with its line and byte column', async () => {
    const chunks = [bytes('a\tO\nb'), bytes('c\tO\nd\tO\nx', [0xff], '\tO\n')];
    await expect(readConll(Readable.from(chunks)).next()).rejects.toMatchObject({ code: 'INVALID_UTF8', line: 4, column: 2 });
    const repairs: ConllRepair[] = [];
    const sentences: ConllSentence[] = [];
    for await (const sentence of readConll(Readable.from(chunks), { mode: 'lenient', onRepair: (r) => repairs.push(r) })) sentences.push(sentence);
    expect(sentences.map(tokens)).toEqual([['a/O', 'bc/O', 'd/O', 'x\uFFFD/O']]);
    expect(repairs.map((r) => [r.code, r.line, r.column])).toEqual([['INVALID_UTF8', 4, 2]]);
  });

  it('hands on each sentence of a chunk before parsing the next one', async () => {
    const iterator = readConll(Readable.from([Buffer.from('a O\n\nb\n')]));
    expect((await iterator.next()).value?.tokens[0].text).toBe('a');
    await expect(iterator.next()).rejects.toMatchObject({ code: 'MISSING_TAG', line: 3 });
  });

  it('replaces invalid UTF-8 in lenient mode and reports it', async () => {
    const repairs: ConllRepair[] = [];
    const sentences = await readBytes(bytes('a', [0xff], '\tO\n'), { mode: 'lenient', onRepair: (r) => repairs.push(r) });
    expect(sentences[0].tokens[0].text).toBe('a\uFFFD');
    expect(repairs.map((r) => [r.code, r.line, r.column])).toEqual([['INVALID_UTF8', 1, 2]]);
  });

  it('reads a corpus from a stream and writes it back byte for byte', async () => {
    const text = '\uFEFF\r\na O\r\n\r\n\r\nb B-x\r\nc I-x\r\n\r\n';
    const corpus = await readConllCorpus(Readable.from([Buffer.from(text, 'utf8')]));
    expect(writeConll(corpus)).toBe(text);
  });
});

describe('writeConll', () => {
  it('writes user-built sentences tab-separated with one blank line between them', () => {
    const sentences: ConllSentence[] = [
      { tokens: [{ text: 'a', tag: 'O', columns: [] }, { text: 'b', tag: 'B-x', columns: ['NN'] }] },
      { tokens: [{ text: 'c', tag: undefined, columns: [] }] },
    ];
    expect(writeConll(sentences)).toBe('a\tO\nb\tNN\tB-x\n\nc\n');
  });

  test.each([
    ['a tab in a token', 'a\tb'],
    ['a newline in a token', 'a\nb'],
    ['an empty token', ''],
    ['a -DOCSTART- token', '-DOCSTART-'],
  ])('refuses %s', (_, text) => {
    expect(() => writeConll([{ tokens: [{ text, tag: 'O', columns: [] }] }])).toThrow(ConllWriteError);
  });
});

describe('writeConlleval', () => {
  it('writes token, gold and predicted tag per line', () => {
    const sentences = corpusSentences(readConllString('Obama\tB-person\nrules\tO\n'));
    expect(writeConlleval(sentences, [['B-person', 'B-other']])).toBe('Obama B-person B-person\nrules O B-other\n\n');
  });

  test.each([
    ['sentences', [] as string[][]],
    ['tags', [['O', 'O']]],
  ])('refuses a different number of %s', (_, predictions) => {
    const sentences = corpusSentences(readConllString('a\tO\n'));
    expect(() => writeConlleval(sentences, predictions)).toThrow(expect.objectContaining({ code: 'LENGTH_MISMATCH' }));
  });
});

describe('properties', () => {
  // Array.from keeps 😀 whole: split('') would cut it into two lone surrogates, which no UTF-8 file holds.
  const field = (chars: string) => fc.stringOf(fc.constantFrom(...Array.from(chars)), { minLength: 1, maxLength: 5 });
  const token = fc.record({
    text: field('abé😀.#@-').filter((t) => !t.startsWith('-DOCSTART-')),
    tag: fc.constantFrom('O', 'B-x', 'I-x', 'B-geo-loc'),
    columns: fc.array(field('NVP'), { maxLength: 2 }),
  });
  const sentence = fc.record({ tokens: fc.array(token, { minLength: 1, maxLength: 5 }) });
  const format = fc.record({
    bom: fc.boolean(),
    eol: fc.constantFrom('\n' as const, '\r\n' as const),
    separator: fc.constantFrom('\t', ' '),
    finalNewline: fc.boolean(),
    lineCount: fc.constant(0),
  });

  it('random valid documents survive write then read unchanged', () => {
    fc.assert(fc.property(fc.array(sentence, { maxLength: 5 }), format, (sentences, fmt) => {
      const columns = sentences[0]?.tokens[0].columns.length ?? 0;
      const uniform = sentences.map((s) => ({ tokens: s.tokens.map((t) => ({ ...t, columns: t.columns.slice(0, columns) })) }));
      const text = writeConll(uniform, { format: fmt });
      const corpus = readConllString(text);
      expect(corpusSentences(corpus).map((s) => s.tokens)).toEqual(uniform.map((s) => s.tokens));
      expect(writeConll(corpus)).toBe(text);
    }));
  });

  it('random garbage only ever yields ConllParseError', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 60 }), fc.constantFrom('tab' as const, 'whitespace' as const), async (data, separator) => {
      for (const options of [{ separator }, { separator, scheme: 'IOBES' as const }, { separator, mode: 'lenient' as const, scheme: 'IOB2' as const }]) {
        try {
          await readBytes(data, options, 7);
        } catch (error) {
          expect(error).toBeInstanceOf(ConllParseError);
        }
        try {
          readConllString(Buffer.from(data).toString('latin1'), options);
        } catch (error) {
          expect(error).toBeInstanceOf(ConllParseError);
        }
      }
    }), { numRuns: 300 });
  });
});
