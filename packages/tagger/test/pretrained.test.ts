import { TokenVocabulary } from '@twner/conll';
import { WordVectors } from '@twner/embeddings-glove';
import { extendedVocabulary } from '../src/data/pretrained';
import { lookupNormaliser, wordId, WORD_LOOKUPS } from '../src/data/word-lookup';
import { configProblems } from '../src/run-folder/format';
import { resolveTrainOptions } from '../src/train/options';
import { ARCH_DEFAULTS } from '../src/train/arch-defaults';

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

  it('the study variants switch off one rule each: hashtags, or URLs, mentions and numbers', () => {
    const vocab = TokenVocabulary.fromJSON({ lowercase: true, tokens: ['<pad>', '<oov>', 'yankees', 'url', '#', '@', 'number', 'obama'] });
    const ids = (lookup: (typeof WORD_LOOKUPS)[number]) => ['#Yankees', '#zzqx', 'https://t.co/abc', '@zzqx', '@Obama', '2015'].map((t) => wordId(vocab, t, lookup));
    expect(ids('exact')).toEqual([1, 1, 1, 1, 1, 1]);
    expect(ids('glove6b')).toEqual([2, 4, 3, 5, 7, 6]);
    expect(ids('glove6b-keep-hashtags')).toEqual([1, 1, 3, 5, 7, 6]);
    expect(ids('glove6b-keep-specials')).toEqual([2, 4, 1, 1, 1, 1]);
    expect(lookupNormaliser('exact')).toBeUndefined();
    expect(lookupNormaliser('glove6b-keep-hashtags')?.('#Yankees').keys).toEqual(['#yankees']);
  });

  it('every lookup is accepted by the training options and the run-folder check; others are refused', () => {
    for (const wordLookup of WORD_LOOKUPS) expect(resolveTrainOptions({ wordLookup }).wordLookup).toBe(wordLookup);
    expect(() => resolveTrainOptions({ wordLookup: 'glove' as never })).toThrow(/wordLookup must be one of/);
    expect(() => resolveTrainOptions({ freezePretrained: true, pretrained: 'none' })).toThrow(/freezePretrained .* not random ones/);
    expect(resolveTrainOptions({ freezePretrained: true }).freezePretrained).toBe(true);
    expect(resolveTrainOptions({ freezePretrained: true, pretrained: 'none', glove: 'v.txt' }).freezePretrained).toBe(true);
    const config = { format: 2, kind: 'bilstm-crf', labels: ['O'], constrained: true, useCasing: true, gazetteerLists: [] };
    const lookupProblems = (wordLookup: unknown) => configProblems({ ...config, wordLookup }).filter((p) => p.includes('wordLookup'));
    for (const wordLookup of WORD_LOOKUPS) expect(lookupProblems(wordLookup)).toEqual([]);
    expect(lookupProblems('glove')).toEqual([expect.stringContaining('"wordLookup" must be one of')]);
  });
});

describe('training defaults that depend on the architecture', () => {
  it('char-gazetteer trains on batches of 64 for at most 30 epochs, notebook as the notebook (32, 20); given values stay', () => {
    const pick = (o: ReturnType<typeof resolveTrainOptions>) => [o.batchSize, o.epochs, o.lr];
    expect(pick(resolveTrainOptions())).toEqual([64, 30, 0.005]);
    expect(pick(resolveTrainOptions({ arch: 'char-gazetteer' }))).toEqual([64, 30, 0.005]);
    expect(pick(resolveTrainOptions({ arch: 'notebook' }))).toEqual([32, 20, 0.001]);
    expect(pick(resolveTrainOptions({ batchSize: 16, epochs: 5, lr: 0.01 }))).toEqual([16, 5, 0.01]);
    expect(pick(resolveTrainOptions({ arch: 'notebook', batchSize: 64, epochs: 30 }))).toEqual([64, 30, 0.001]);
    expect(() => resolveTrainOptions({ batchSize: 0 })).toThrow(/batchSize must be an integer ≥ 1, got 0/);
    expect(() => resolveTrainOptions({ epochs: 2.5 })).toThrow(/epochs must be an integer ≥ 1, got 2.5/);
  });

  it('come from the one table, ARCH_DEFAULTS, which holds the values the READMEs give', () => {
    // the published settings, written out here: a change to the table must be a change to this test too
    expect(ARCH_DEFAULTS).toEqual({
      notebook: { units: 50, layers: 2, embeddingDim: 200, lr: 0.001, batchSize: 32, epochs: 20, plateauDecay: 1, wordDropout: 0, ema: 0, trainWithDev: false },
      'char-gazetteer': { units: 100, layers: 1, embeddingDim: 100, lr: 0.005, batchSize: 64, epochs: 30, plateauDecay: 0.5, wordDropout: 0.5, ema: 0.995, trainWithDev: true },
    });
    for (const arch of ['notebook', 'char-gazetteer'] as const) {
      const o = resolveTrainOptions({ arch });
      const d = ARCH_DEFAULTS[arch];
      const resolved = { units: o.units, layers: o.layers, embeddingDim: o.embeddingDim, lr: o.lr, batchSize: o.batchSize, epochs: o.epochs, plateauDecay: o.plateauDecay, wordDropout: o.wordDropout, ema: o.ema, trainWithDev: o.trainWithDev };
      expect(resolved).toEqual(d);
    }
    expect(Object.isFrozen(ARCH_DEFAULTS) && Object.isFrozen(ARCH_DEFAULTS.notebook)).toBe(true);
  });
});
