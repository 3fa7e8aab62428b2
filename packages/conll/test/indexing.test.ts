import fc from 'fast-check';
import {
  batchSequences,
  collectLabels,
  decodeLabels,
  encodeLabels,
  labelIndex,
  OOV_INDEX,
  padSequences,
  PAD_INDEX,
  TokenVocabulary,
  VocabularyError,
} from '../src';

describe('TokenVocabulary', () => {
  const texts = [['The', 'cat', 'the'], ['dog', 'THE', 'cat', 'rare']];

  it('puts padding at 0, OOV at 1, then texts by frequency with ties in first-seen order', () => {
    const vocabulary = TokenVocabulary.build(texts);
    expect(vocabulary.tokens).toEqual(['<pad>', '<oov>', 'the', 'cat', 'dog', 'rare']);
    expect(vocabulary.encode(['CAT', 'unseen'])).toEqual([3, OOV_INDEX]);
    expect(PAD_INDEX).toBe(0);
  });

  it('keeps case when asked and drops rare texts below minFrequency', () => {
    expect(TokenVocabulary.build(texts, { lowercase: false, minFrequency: 2 }).tokens).toEqual(['<pad>', '<oov>', 'cat']);
    expect(TokenVocabulary.build(texts, { maxSize: 1 }).tokens).toEqual(['<pad>', '<oov>', 'the']);
  });

  it('survives a JSON round trip', () => {
    const vocabulary = TokenVocabulary.build(texts);
    const loaded = TokenVocabulary.fromJSON(JSON.parse(JSON.stringify(vocabulary)));
    expect(loaded.tokens).toEqual(vocabulary.tokens);
    expect(loaded.encode(['Dog'])).toEqual(vocabulary.encode(['Dog']));
    expect(loaded.decode([2, 99])).toEqual(['the', '<oov>']);
  });

  test.each([[null], [{ lowercase: true }], [{ lowercase: true, tokens: ['a', 'a'] }], [{ lowercase: 'yes', tokens: ['<pad>', '<oov>'] }]])(
    'refuses malformed JSON %j',
    (json) => {
      expect(() => TokenVocabulary.fromJSON(json)).toThrow(expect.objectContaining({ code: 'BAD_VOCABULARY_JSON' }));
    },
  );

  it('refuses minFrequency below 1', () => {
    expect(() => TokenVocabulary.build(texts, { minFrequency: 0 })).toThrow(VocabularyError);
  });
});

describe('label index', () => {
  it('orders O first, then by type, B before I, and maps both ways', () => {
    const labels = collectLabels([['I-person', 'O', 'B-company'], ['B-person']]);
    expect(labels).toEqual(['O', 'B-company', 'B-person', 'I-person']);
    const index = labelIndex(labels);
    expect(index.label2id).toEqual({ O: 0, 'B-company': 1, 'B-person': 2, 'I-person': 3 });
    expect(index.id2label).toEqual({ 0: 'O', 1: 'B-company', 2: 'B-person', 3: 'I-person' });
    expect(decodeLabels(index, encodeLabels(index, ['B-person', 'O']))).toEqual(['B-person', 'O']);
  });

  it('refuses unknown labels and ids, and duplicate labels', () => {
    const index = labelIndex(['O', 'B-x']);
    expect(() => encodeLabels(index, ['O', 'I-x'])).toThrow(/unknown label "I-x" at index 1/);
    expect(() => decodeLabels(index, [2])).toThrow(VocabularyError);
    expect(() => labelIndex(['O', 'O'])).toThrow(VocabularyError);
  });
});

describe('padSequences', () => {
  test.each([
    [{ length: 3 }, [[5, 6, 0], [7, 0, 0], [1, 2, 3]], [[1, 1, 0], [1, 0, 0], [1, 1, 1]]],
    [{ length: 2 }, [[5, 6], [7, 0], [1, 2]], [[1, 1], [1, 0], [1, 1]]],
    [{ length: 2, truncating: 'pre' as const, padding: 'pre' as const }, [[5, 6], [0, 7], [3, 4]], [[1, 1], [0, 1], [1, 1]]],
    [{}, [[5, 6, 0, 0], [7, 0, 0, 0], [1, 2, 3, 4]], [[1, 1, 0, 0], [1, 0, 0, 0], [1, 1, 1, 1]]],
  ])('pads [[5,6],[7],[1,2,3,4]] with %j', (options, ids, mask) => {
    expect(padSequences([[5, 6], [7], [1, 2, 3, 4]], options)).toMatchObject({ ids, mask });
  });

  it('keeps the real values where the mask is 1', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.integer({ min: 2, max: 9 }), { maxLength: 6 }), { maxLength: 5 }), fc.nat(7), (seqs, length) => {
      const { ids, mask, lengths } = padSequences(seqs, { length });
      ids.forEach((row, i) => {
        expect(row).toHaveLength(length);
        expect(row.filter((_, t) => mask[i][t] === 1)).toEqual(seqs[i].slice(0, length));
        expect(lengths[i]).toBe(Math.min(length, seqs[i].length));
      });
    }));
  });
});

describe('batchSequences', () => {
  it('pads each batch to its own longest sequence', () => {
    const batches = batchSequences([[1], [2, 3, 4], [5, 6], [7]], 2);
    expect(batches.map((b) => b.ids)).toEqual([[[1, 0, 0], [2, 3, 4]], [[5, 6], [7, 0]]]);
    expect(batches.map((b) => b.indices)).toEqual([[0, 1], [2, 3]]);
  });

  it('refuses a batch size below 1', () => {
    expect(() => batchSequences([[1]], 0)).toThrow(VocabularyError);
  });
});
