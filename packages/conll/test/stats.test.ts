import path from 'node:path';
import { datasetStats, formatStats, oovRate, readConll, readConllString, corpusSentences, type ConllSentence } from '../src';
import { WNUT16 } from './shared-dir';

async function split(name: string): Promise<ConllSentence[]> {
  const out: ConllSentence[] = [];
  for await (const s of readConll(path.join(WNUT16, `${name}.conll`), { separator: 'tab' })) out.push(s);
  return out;
}

const small = corpusSentences(readConllString('The O\nBig B-x\nApple I-x\n\nthe O\nbig B-y\n\nI-x-after-O I-x\nb B-x\nc B-x\nd O\n'));

describe('datasetStats', () => {
  it('counts a small hand-checked set', () => {
    expect(datasetStats(small)).toEqual({
      sentences: 3,
      tokens: 9,
      vocabularySize: 9,
      vocabularySizeLowercased: 7,
      sentenceLength: { min: 2, max: 4, mean: 3, p50: 3, p90: 4, p95: 4, p99: 4 },
      tagCounts: { 'B-x': 3, 'B-y': 1, 'I-x': 2, O: 3 },
      // The I-x after O is no entity in strict IOB2.
      entityCounts: { x: 3, y: 1 },
      entityLengths: { 1: 3, 2: 1 },
    });
  });

  it('matches counts made independently on the WNUT16 training split', async () => {
    const stats = datasetStats(await split('train'));
    expect(stats).toMatchObject({ sentences: 2394, tokens: 46469, vocabularySize: 10586, vocabularySizeLowercased: 9068 });
    expect(stats.sentenceLength).toMatchObject({ min: 1, max: 39, p50: 20, p90: 29, p95: 31, p99: 34 });
    expect(stats.sentenceLength.mean).toBeCloseTo(19.4106, 4);
    expect(stats.entityCounts).toEqual({
      company: 171, facility: 104, 'geo-loc': 276, movie: 34, musicartist: 55, other: 225, person: 449, product: 97, sportsteam: 51, tvshow: 34,
    });
    expect(stats.entityLengths).toEqual({ 1: 838, 2: 472, 3: 124, 4: 35, 5: 11, 6: 9, 7: 3, 9: 2, 10: 2 });
  });

  it('is all zeros for no sentences', () => {
    expect(datasetStats([]).sentenceLength).toEqual({ min: 0, max: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0 });
  });

  it('prints one row per figure', () => {
    const table = formatStats(datasetStats(small), 'small');
    expect(table.split('\n')[0]).toBe('small');
    expect(table).toContain('sentence length min/mean/max     2 / 3.00 / 4');
    expect(table).toMatch(/^entities x +3$/m);
  });
});

describe('oovRate', () => {
  it('counts occurrences and distinct texts missing from the reference', () => {
    const reference = corpusSentences(readConllString('the O\nBig O\n'));
    expect(oovRate(small, reference)).toEqual({ tokens: 9, oovTokens: 7, tokenRate: 7 / 9, types: 9, oovTypes: 7, typeRate: 7 / 9 });
    expect(oovRate(small, reference, { lowercase: true })).toMatchObject({ oovTokens: 5, types: 7, oovTypes: 5 });
  });

  it('matches an independent count of WNUT16 test against train', async () => {
    expect(oovRate(await split('test'), await split('train'))).toMatchObject({ tokens: 61908, oovTokens: 21157, types: 18320, oovTypes: 14797 });
  });
});
