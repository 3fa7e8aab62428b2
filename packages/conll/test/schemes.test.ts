import fc from 'fast-check';
import {
  convertScheme,
  detectScheme,
  encodeSpans,
  getSpans,
  InvalidTagError,
  parseTag,
  repairIob2,
  schemePrefixes,
  SchemeDetectionError,
  TAGGING_SCHEMES,
  type EntitySpan,
  type TaggingScheme,
} from '../src';

const span = (type: string, start: number, end: number): EntitySpan => ({ type, start, end });

describe('parseTag', () => {
  test.each([
    ['B-PER', {}, { prefix: 'B', type: 'PER' }],
    ['I-geo-loc', {}, { prefix: 'I', type: 'geo-loc' }],
    ['O', {}, { prefix: 'O', type: '' }],
    ['B', {}, { prefix: 'B', type: '' }],
    ['PER-B', { suffix: true }, { prefix: 'B', type: 'PER' }],
    ['B_PER', { delimiter: '_' }, { prefix: 'B', type: 'PER' }],
    ['', {}, { prefix: '', type: '' }],
  ])('splits %j with %j into %j', (tag, opts, expected) => {
    expect(parseTag(tag, opts)).toEqual(expected);
  });
});

describe('schemePrefixes', () => {
  test.each<[TaggingScheme, string[]]>([
    ['IO', ['I', 'O']],
    ['IOB2', ['B', 'I', 'O']],
    ['IOE1', ['I', 'E', 'O']],
    ['IOBES', ['B', 'I', 'E', 'S', 'O']],
    ['BILOU', ['B', 'I', 'L', 'U', 'O']],
  ])('lists the prefixes of %s', (scheme, prefixes) => {
    expect([...schemePrefixes(scheme)].sort()).toEqual(prefixes.sort());
  });
});

// Worked out by hand from seqeval 1.2's strict tables (seqeval/scheme.py).
describe('getSpans (seqeval strict mode)', () => {
  test.each<[TaggingScheme, string[], EntitySpan[]]>([
    ['IOB2', ['B-PER', 'I-PER', 'O', 'B-LOC'], [span('PER', 0, 2), span('LOC', 3, 4)]],
    ['IOB2', ['O', 'I-PER', 'I-PER'], []],
    ['IOB2', ['B-PER', 'I-LOC'], [span('PER', 0, 1)]],
    ['IOB2', ['B-PER', 'B-PER'], [span('PER', 0, 1), span('PER', 1, 2)]],
    ['IOB2', ['B', 'I'], [span('_', 0, 2)]],
    ['IOB2', [], []],
    ['IOB1', ['I-PER', 'I-PER', 'B-PER', 'O'], [span('PER', 0, 2), span('PER', 2, 3)]],
    ['IOB1', ['O', 'B-PER'], []],
    ['IOB1', ['I-PER', 'I-LOC'], [span('PER', 0, 1), span('LOC', 1, 2)]],
    ['IOE1', ['I-PER', 'E-PER', 'I-PER', 'O'], [span('PER', 0, 2), span('PER', 2, 3)]],
    ['IOE1', ['I-PER', 'E-PER', 'O'], []],
    ['IOE2', ['I-PER', 'E-PER', 'E-LOC', 'O'], [span('PER', 0, 2), span('LOC', 2, 3)]],
    ['IOE2', ['I-PER', 'I-PER', 'O'], []],
    ['IOBES', ['B-PER', 'I-PER', 'E-PER', 'S-LOC'], [span('PER', 0, 3), span('LOC', 3, 4)]],
    ['IOBES', ['B-PER', 'I-PER', 'O'], []],
    ['IOBES', ['B-PER', 'E-LOC'], []],
    ['BILOU', ['B-PER', 'L-PER', 'U-LOC', 'O'], [span('PER', 0, 2), span('LOC', 2, 3)]],
    ['BILOU', ['B-PER', 'I-PER'], []],
    ['IO', ['I-PER', 'I-PER', 'I-LOC', 'O', 'I-LOC'], [span('PER', 0, 2), span('LOC', 2, 3), span('LOC', 4, 5)]],
  ])('reads %s %j as %j', (scheme, tags, expected) => {
    expect(getSpans(tags, scheme)).toEqual(expected);
  });

  it('keeps seqeval\'s IOE1 gap: a one-token E-x chunk after O is not a chunk start', () => {
    expect(getSpans(['E-PER', 'I-PER', 'O'], 'IOE1')).toEqual([span('PER', 1, 2)]);
  });

  it('reads suffix-style tags the same as prefix-style ones', () => {
    expect(getSpans(['PER-B', 'PER-I', 'O'], 'IOB2', { suffix: true })).toEqual([span('PER', 0, 2)]);
  });

  test.each<[TaggingScheme, string[], number]>([
    ['IOB2', ['B-PER', 'E-PER'], 1],
    ['IOBES', ['O', 'L-PER'], 1],
    ['IO', ['B-PER'], 0],
    ['BILOU', ['S-PER'], 0],
    ['IOB2', ['O', ''], 1],
    ['IOB2', ['O', 'X-PER'], 1],
  ])('rejects a prefix %s does not allow in %j at index %i', (scheme, tags, index) => {
    let caught: unknown;
    try {
      getSpans(tags, scheme);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidTagError);
    expect(caught).toMatchObject({ code: 'INVALID_TAG', index, tag: tags[index], scheme });
  });

  it('says which tag is bad, where and what was allowed', () => {
    expect(() => getSpans(['B-PER', 'E-PER'], 'IOB2')).toThrowErrorMatchingInlineSnapshot(
      `"Invalid IOB2 tag at index 1: expected a tag with prefix B, I, O, received "E-PER""`,
    );
  });

  // A deliberately naive reading of IOB2 strict: B-x followed by the longest run of I-x.
  function naiveIob2(tags: readonly string[]): EntitySpan[] {
    const out: EntitySpan[] = [];
    for (let i = 0; i < tags.length; i++) {
      if (!tags[i].startsWith('B-')) continue;
      const type = tags[i].slice(2);
      let end = i + 1;
      while (end < tags.length && tags[end] === `I-${type}`) end++;
      out.push(span(type, i, end));
    }
    return out;
  }

  it('agrees with a naive IOB2 reader on random tag sequences, valid or not', () => {
    const tag = fc.constantFrom('O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC');
    fc.assert(fc.property(fc.array(tag, { maxLength: 12 }), (tags) => {
      expect(getSpans(tags, 'IOB2')).toEqual(naiveIob2(tags));
    }));
  });
});

/** Random sorted, non-overlapping spans over a sentence of random length. */
describe('getSpans tag cache', () => {
  it('keeps tag formats apart', () => {
    expect(getSpans(['PER-B'], 'IOB2', { suffix: true })).toEqual([span('PER', 0, 1)]);
    expect(() => getSpans(['PER-B'], 'IOB2')).toThrow(InvalidTagError);
    expect(getSpans(['B+x'], 'IOB2', { delimiter: '+' })).toEqual([span('x', 0, 1)]);
    expect(getSpans(['B+x'], 'IOB2')).toEqual([span('+x', 0, 1)]);
  });

  it('finds every span among more distinct tags than it caches', () => {
    const types = Array.from({ length: 5000 }, (_, k) => `t${k}`);
    const tags = types.flatMap((type) => [`B-${type}`, `I-${type}`]);
    const expected = types.map((type, k) => span(type, 2 * k, 2 * k + 2));
    expect(getSpans(tags, 'IOB2')).toEqual(expected);
    expect(getSpans(tags, 'IOB2')).toEqual(expected);
  });
});

const spansArb = fc
  .array(fc.record({ gap: fc.nat(2), length: fc.integer({ min: 1, max: 4 }), type: fc.constantFrom('PER', 'LOC', 'geo-loc') }), { maxLength: 6 })
  .chain((parts) => fc.nat(3).map((tail) => {
    const spans: EntitySpan[] = [];
    let at = 0;
    for (const { gap, length, type } of parts) {
      spans.push(span(type, at + gap, at + gap + length));
      at += gap + length;
    }
    return { spans, length: at + tail };
  }));

describe('encodeSpans and convertScheme', () => {
  test.each(TAGGING_SCHEMES.filter((s) => s !== 'IO' && s !== 'IOE1'))('reads back with getSpans the spans it wrote in %s', (scheme) => {
    fc.assert(fc.property(spansArb, ({ spans, length }) => {
      expect(getSpans(encodeSpans(spans, length, scheme), scheme)).toEqual(spans);
    }));
  });

  it('merges adjacent chunks of one type in IO, and only those', () => {
    const tags = encodeSpans([span('PER', 0, 1), span('PER', 1, 2), span('LOC', 2, 3)], 3, 'IO');
    expect(tags).toEqual(['I-PER', 'I-PER', 'I-LOC']);
    expect(getSpans(tags, 'IO')).toEqual([span('PER', 0, 2), span('LOC', 2, 3)]);
  });

  test.each<[TaggingScheme, string[]]>([
    ['IOB1', ['I-PER', 'B-PER', 'O', 'I-LOC', 'I-LOC', 'I-PER']],
    ['IOB2', ['B-PER', 'B-PER', 'O', 'B-LOC', 'I-LOC', 'B-PER']],
    ['IOE1', ['E-PER', 'I-PER', 'O', 'I-LOC', 'I-LOC', 'I-PER']],
    ['IOE2', ['E-PER', 'E-PER', 'O', 'I-LOC', 'E-LOC', 'E-PER']],
    ['IOBES', ['S-PER', 'S-PER', 'O', 'B-LOC', 'E-LOC', 'S-PER']],
    ['BILOU', ['U-PER', 'U-PER', 'O', 'B-LOC', 'L-LOC', 'U-PER']],
  ])('writes two adjacent PER, then LOC, PER in %s as %j', (scheme, expected) => {
    const spans = [span('PER', 0, 1), span('PER', 1, 2), span('LOC', 3, 5), span('PER', 5, 6)];
    expect(encodeSpans(spans, 6, scheme)).toEqual(expected);
    for (const from of TAGGING_SCHEMES.filter((s) => s !== 'IO')) {
      expect(convertScheme(encodeSpans(spans, 6, from), from, scheme)).toEqual(expected);
    }
  });

  it('converts there and back to the same tags between any two schemes but IO', () => {
    const schemes = TAGGING_SCHEMES.filter((s) => s !== 'IO');
    fc.assert(fc.property(spansArb, fc.constantFrom(...schemes), fc.constantFrom(...schemes), ({ spans, length }, a, b) => {
      const tags = encodeSpans(spans, length, a);
      expect(convertScheme(convertScheme(tags, a, b), b, a)).toEqual(tags);
    }));
  });

  test.each<[TaggingScheme, string[], number]>([
    ['IOB2', ['O', 'I-PER'], 1],
    ['IOB1', ['O', 'B-PER'], 1],
    ['IOBES', ['B-PER', 'I-PER', 'O'], 1],
    ['IOE2', ['I-PER', 'O'], 0],
  ])('refuses %s input %j that is not valid there, at index %i', (scheme, tags, index) => {
    expect(() => convertScheme(tags, scheme, 'IOB2')).toThrow(InvalidTagError);
    try {
      convertScheme(tags, scheme, 'IOB2');
    } catch (error) {
      expect((error as InvalidTagError).index).toBe(index);
    }
  });
});

describe('detectScheme', () => {
  test.each<[string[][], TaggingScheme]>([
    [[['B-PER', 'I-PER', 'O']], 'IOB2'],
    [[['O', 'I-PER', 'O', 'B-LOC']], 'IOB2'],
    [[['I-PER', 'B-PER', 'O']], 'IOB1'],
    [[['I-PER', 'E-PER', 'O']], 'IOE2'],
    [[['E-PER', 'I-PER', 'O']], 'IOE1'],
    [[['B-PER', 'E-PER', 'S-LOC']], 'IOBES'],
    [[['U-LOC'], ['O']], 'BILOU'],
    [[['I-PER', 'O']], 'IO'],
    [[['O'], []], 'IOB2'],
  ])('detects %j as %s', (sentences, scheme) => {
    expect(detectScheme(sentences)).toBe(scheme);
  });

  test.each(TAGGING_SCHEMES.filter((s) => s !== 'IO' && s !== 'IOB1' && s !== 'IOE1'))('detects what encodeSpans writes in %s', (scheme) => {
    const spans = [span('PER', 0, 1), span('LOC', 2, 4)];
    expect(detectScheme([encodeSpans(spans, 5, scheme)])).toBe(scheme);
  });

  test.each([[[['O', 'X-PER']]], [[['U-PER', 'E-PER']]]])('refuses %j', (sentences) => {
    expect(() => detectScheme(sentences)).toThrow(SchemeDetectionError);
  });
});

describe('repairIob2', () => {
  it('turns every I-x that does not continue an x chunk into B-x and reports each change', () => {
    expect(repairIob2(['I-PER', 'I-PER', 'O', 'I-LOC', 'B-PER', 'I-LOC'])).toEqual({
      tags: ['B-PER', 'I-PER', 'O', 'B-LOC', 'B-PER', 'B-LOC'],
      repairs: [
        { index: 0, from: 'I-PER', to: 'B-PER' },
        { index: 3, from: 'I-LOC', to: 'B-LOC' },
        { index: 5, from: 'I-LOC', to: 'B-LOC' },
      ],
    });
  });

  it('leaves valid IOB2 alone and always yields valid IOB2 that keeps every non-O tag as a chunk token', () => {
    const tag = fc.constantFrom('O', 'B-PER', 'I-PER', 'I-LOC');
    fc.assert(fc.property(fc.array(tag, { maxLength: 10 }), (tags) => {
      const { tags: fixed } = repairIob2(tags);
      expect(repairIob2(fixed).repairs).toEqual([]);
      expect(convertScheme(fixed, 'IOB2', 'IOB2')).toEqual(fixed);
      const covered = getSpans(fixed, 'IOB2').reduce((n, s) => n + s.end - s.start, 0);
      expect(covered).toBe(tags.filter((t) => t !== 'O').length);
    }));
  });
});
