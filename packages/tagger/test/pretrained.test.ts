import { TokenVocabulary } from '@twner/conll';
import { WordVectors } from '@twner/embeddings-glove';
import { extendedVocabulary } from '../src/data/pretrained';
import { wordId } from '../src/data/word-lookup';

// A tiny stand-in for GloVe 6B: words in frequency order, 2 dims.
const words = ['the', 'yankees', 'london', 'url', 'boston', 'fenway', 'park'];
const vectors = new WordVectors(words, Float32Array.from(words.flatMap((_, i) => [i, -i])), 2, {
  format: 'glove', dim: 2, read: words.length, kept: words.length, skipped: 0, duplicates: 0, malformed: 0, examples: [],
} as never);

describe('pretrained vocabulary', () => {
  it('keeps the training words first, then the most frequent vector words they lack', () => {
    const { vocab, trainWords } = extendedVocabulary([['The', 'Yankees', 'won'], ['the', 'end']], vectors, 3);
    expect(trainWords).toBe(2 + 4);
    expect(vocab.tokens).toEqual(['<pad>', '<oov>', 'the', 'yankees', 'won', 'end', 'london', 'url', 'boston']);
  });

  it('finds a word unseen in training through the GloVe 6B keys (hashtags, URLs), never changing exact hits', () => {
    const vocab = TokenVocabulary.fromJSON({ lowercase: true, tokens: ['<pad>', '<oov>', 'yankees', 'url', '#tbt'] });
    expect(wordId(vocab, '#Yankees', 'glove6b')).toBe(2);
    expect(wordId(vocab, '#Yankees', 'exact')).toBe(1);
    expect(wordId(vocab, 'https://t.co/abc', 'glove6b')).toBe(3);
    expect(wordId(vocab, '#tbt', 'glove6b')).toBe(4); // an exact hit wins over the normalised key
    expect(wordId(vocab, 'zzqx', 'glove6b')).toBe(1);
  });
});
