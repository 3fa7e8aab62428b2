import fc from 'fast-check';
import { endOfChunk, getEntities, splitChunkTag, startOfChunk } from '../src/index';

describe('getEntities (seqeval default mode)', () => {
  it('finds the entities of the docstring example with inclusive ends', () => {
    expect(getEntities(['B-PER', 'I-PER', 'O', 'B-LOC'])).toEqual([
      ['PER', 0, 1],
      ['LOC', 3, 3],
    ]);
  });

  it('finds the entities of seqeval test_get_entities, prefix and suffix style', () => {
    const prefix = ['O', 'O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'O', 'B-PER', 'I-PER'];
    const suffix = ['O', 'O', 'O', 'MISC-B', 'MISC-I', 'MISC-I', 'O', 'PER-B', 'PER-I'];
    const expected = [
      ['MISC', 3, 5],
      ['PER', 7, 8],
    ];
    expect(getEntities(prefix)).toEqual(expected);
    expect(getEntities(suffix, { suffix: true })).toEqual(expected);
  });

  // Each row worked out from conlleval's start/end rules (seqeval copies them).
  test.each<[string, string[], Array<[string, number, number]>]>([
    ['I-X after O starts an entity', ['O', 'I-PER', 'I-PER'], [['PER', 1, 2]]],
    ['I-X at the start starts an entity', ['I-PER'], [['PER', 0, 0]]],
    ['a type switch inside I- splits the entity', ['B-PER', 'I-PER', 'I-LOC'], [['PER', 0, 1], ['LOC', 2, 2]]],
    ['B- after I- of the same type starts a new entity', ['I-PER', 'B-PER'], [['PER', 0, 0], ['PER', 1, 1]]],
    ['B-X B-X are two entities', ['B-PER', 'B-PER'], [['PER', 0, 0], ['PER', 1, 1]]],
    ['E- closes the entity', ['B-PER', 'E-PER', 'I-PER'], [['PER', 0, 1], ['PER', 2, 2]]],
    ['E-X E-X are two entities', ['E-PER', 'E-PER'], [['PER', 0, 0], ['PER', 1, 1]]],
    ['S- is a one-token entity', ['S-PER', 'S-PER', 'O', 'S-LOC'], [['PER', 0, 0], ['PER', 1, 1], ['LOC', 3, 3]]],
    ['I- after S- starts a new entity', ['S-PER', 'I-PER'], [['PER', 0, 0], ['PER', 1, 1]]],
    ['B- I- E- is one entity (IOBES)', ['B-LOC', 'I-LOC', 'E-LOC', 'O'], [['LOC', 0, 2]]],
    ['a tag without type gets type _', ['B', 'I', 'O', 'I'], [['_', 0, 1], ['_', 3, 3]]],
    ['a hyphen inside the type is kept', ['B-geo-loc', 'I-geo-loc'], [['geo-loc', 0, 1]]],
    ['an entity running to the end is closed', ['O', 'B-PER', 'I-PER'], [['PER', 1, 2]]],
    ['no tags, no entities', [], []],
  ])('%s', (_title, seq, expected) => {
    expect(getEntities(seq)).toEqual(expected);
  });

  it('joins nested sentences with an O after each, counting positions in the joined sequence', () => {
    // ['B-PER','I-PER'] + 'O' + ['I-PER','O'] + 'O' -> second sentence starts at 3
    expect(getEntities([['B-PER', 'I-PER'], ['I-PER', 'O']])).toEqual([
      ['PER', 0, 1],
      ['PER', 3, 3],
    ]);
  });

  it('never lets an entity cross a sentence break', () => {
    expect(getEntities([['B-PER'], ['I-PER']])).toEqual([
      ['PER', 0, 0],
      ['PER', 2, 2],
    ]);
  });

  test.each([
    ['B-PER', false, { prefix: 'B', type: 'PER' }],
    ['O', false, { prefix: 'O', type: '_' }],
    ['B', false, { prefix: 'B', type: '_' }],
    ['I-ORG-COMPANY', false, { prefix: 'I', type: 'ORG-COMPANY' }],
    ['ORG-COMPANY-I', true, { prefix: 'I', type: 'ORG-COMPANY' }],
    ['PER-B', true, { prefix: 'B', type: 'PER' }],
    ['I-組織', false, { prefix: 'I', type: '組織' }],
  ])('splits %s (suffix %s)', (tag, suffix, expected) => {
    expect(splitChunkTag(tag, suffix)).toEqual(expected);
  });

  it('states the chunk boundary rules as conlleval does', () => {
    expect(endOfChunk('B', 'O', 'PER', '_')).toBe(true);
    expect(endOfChunk('I', 'I', 'PER', 'PER')).toBe(false);
    expect(endOfChunk('I', 'I', 'PER', 'LOC')).toBe(true);
    expect(startOfChunk('O', 'I', '_', 'PER')).toBe(true);
    expect(startOfChunk('B', 'I', 'PER', 'PER')).toBe(false);
    expect(startOfChunk('E', 'E', 'PER', 'PER')).toBe(true);
  });

  const tagArb = fc.oneof(
    fc.constant('O'),
    fc.tuple(fc.constantFrom('B', 'I', 'E', 'S'), fc.constantFrom('PER', 'LOC', 'geo-loc')).map(([p, t]) => `${p}-${t}`),
  );

  it('gives the same entities for a suffix-style copy (metamorphic)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(tagArb, { maxLength: 12 }), { maxLength: 6 }), (seqs) => {
        const suffixed = seqs.map((s) => s.map((t) => (t === 'O' ? 'O' : `${t.slice(2)}-${t[0]}`)));
        expect(getEntities(suffixed, { suffix: true })).toEqual(getEntities(seqs));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('reads well-formed IOB2 as a naive B-starts/I-continues reader does', () => {
    const iob2 = fc
      .array(fc.tuple(fc.constantFrom('PER', 'LOC', 'ORG', null), fc.integer({ min: 1, max: 3 })), { maxLength: 8 })
      .map((chunks) => chunks.flatMap(([type, n]) => (type === null ? Array(n).fill('O') : [`B-${type}`, ...Array(n - 1).fill(`I-${type}`)])));
    fc.assert(
      fc.property(iob2, (tags) => {
        const naive: Array<[string, number, number]> = [];
        tags.forEach((tag, i) => {
          if (tag.startsWith('B-')) naive.push([tag.slice(2), i, i]);
          else if (tag.startsWith('I-')) naive[naive.length - 1][2] = i;
        });
        expect(getEntities(tags)).toEqual(naive);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
