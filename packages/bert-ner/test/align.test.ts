import {
  aggregateToWords,
  alignLabels,
  BertTokenizer,
  combinePieces,
  LabelAlignmentError,
  predictionsToTags,
  softmax,
} from '../src/index';
import {
  expectCloseNested,
  type ForwardFixture,
  MODEL_DIR,
  type ModelConfigJson,
  readFixture,
} from './fixture-hf-tiny-bert';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const forward = readFixture<ForwardFixture>('forward.json');
const trainStep = readFixture<{ labels: number[][] }>('train_step.json');
const config = JSON.parse(readFileSync(path.join(MODEL_DIR, 'config.json'), 'utf8')) as ModelConfigJson;

describe('alignLabels', () => {
  it("reproduces train_step.json's first-sub-token labels with -100 elsewhere", () => {
    const labels = alignLabels(forward.tags, forward.word_ids, { label2id: config.label2id });
    expectCloseNested(labels, trainStep.labels);
  });

  it('aligns the labels of our own encoding of the fixture tweets identically', async () => {
    const batch = await BertTokenizer.fromPretrained(MODEL_DIR).encodeWords(forward.words);
    expectCloseNested(alignLabels(forward.tags, batch.wordIds, { label2id: config.label2id }), trainStep.labels);
  });

  it('labels every piece and turns B- into I- on continuation pieces with labelAllTokens', () => {
    // [CLS] new or ##le ##ans ' s [SEP] [PAD]
    const wordIds = [[null, 0, 1, 1, 1, 2, 2, null, null]];
    const tags = [['B-geo-loc', 'I-geo-loc', 'B-other']];
    const { label2id } = config;
    expect(alignLabels(tags, wordIds, { label2id, labelAllTokens: true })).toEqual([
      [-100, label2id['B-geo-loc'], label2id['I-geo-loc'], label2id['I-geo-loc'], label2id['I-geo-loc'], label2id['B-other'], label2id['I-other'], -100, -100],
    ]);
    expect(alignLabels(tags, wordIds, { label2id })).toEqual([
      [-100, label2id['B-geo-loc'], label2id['I-geo-loc'], -100, -100, label2id['B-other'], -100, -100, -100],
    ]);
  });

  it('keeps B- on continuation pieces when the label set has no matching I- tag', () => {
    expect(alignLabels([['B-x']], [[0, 0]], { label2id: { 'B-x': 7 }, labelAllTokens: true })).toEqual([[7, 7]]);
  });

  it('names the sequence and the tag when a tag has no id', () => {
    expect(() => alignLabels([['O'], ['B-nope']], [[0], [0]], { label2id: config.label2id })).toThrow(LabelAlignmentError);
    expect(() => alignLabels([['O'], ['B-nope']], [[0], [0]], { label2id: config.label2id })).toThrow(
      /^Sequence 1: tag "B-nope" is not in label2id/,
    );
  });

  it('rejects word ids beyond the tags given', () => {
    expect(() => alignLabels([['O']], [[null, 0, 1]], { label2id: config.label2id })).toThrow(
      'Sequence 0: sub-token word id 1 is outside the 1 tags given',
    );
  });
});

describe('combinePieces', () => {
  // Two pieces, three classes, worked by hand.
  const a = [2, 0, 0];
  const b = [0, 3, 0];
  const pa = softmax(a); // [0.7870, 0.1065, 0.1065]
  const pb = softmax(b); // [0.0453, 0.9094, 0.0453]

  it.each([
    ['first', pa, 0],
    ['average', pa.map((x, k) => (x + pb[k]) / 2), 1],
    ['max', pb, 1],
    ['sum', softmax([2, 3, 0]), 1],
  ] as const)('aggregates with %s as worked by hand', (strategy, probabilities, labelId) => {
    const word = combinePieces([a, b], strategy);
    expectCloseNested(word, { labelId, score: probabilities[labelId], probabilities }, 1e-12);
  });

  it('lets sum and average disagree when one piece is very confident', () => {
    // Summed logits [10, 6] pick class 0; mean probabilities ≈ [0.365, 0.635] pick class 1.
    const pieces = [[10, 0], [0, 3], [0, 3]];
    expect(combinePieces(pieces, 'sum').labelId).toBe(0);
    expect(combinePieces(pieces, 'average').labelId).toBe(1);
  });

  it('breaks ties towards the first class and the first piece', () => {
    expect(combinePieces([[1, 1]], 'first').labelId).toBe(0);
    expect(combinePieces([[0, 1], [1, 0]], 'max').probabilities).toEqual(softmax([0, 1]));
  });
});

describe('aggregateToWords', () => {
  const firstPieces = trainStep.labels.map((row) => row.flatMap((l, i) => (l === -100 ? [] : [i])));

  it('takes the first sub-token of every fixture word (positions from train_step labels)', () => {
    const words = aggregateToWords(forward.logits, forward.word_ids, { strategy: 'first' });
    words.forEach((row, b) => {
      expect(row).toHaveLength(forward.words[b].length);
      row.forEach((word, w) => {
        expectCloseNested(word!.probabilities, softmax(forward.logits[b][firstPieces[b][w]]), 1e-12);
      });
    });
  });

  it("sums the logits of 'New Orleans' pieces or ##le ##ans for the notebook's sum", () => {
    const [row] = aggregateToWords([forward.logits[0]], [forward.word_ids[0]], { strategy: 'sum' });
    const summed = forward.logits[0][2].map((x, k) => x + forward.logits[0][3][k] + forward.logits[0][4][k]);
    expectCloseNested(row[1]!.probabilities, softmax(summed), 1e-12);
  });

  it('gives one prediction per fixture word for every strategy, and tags that seqeval can read', () => {
    for (const strategy of ['first', 'average', 'max', 'sum'] as const) {
      const words = aggregateToWords(forward.logits, forward.word_ids, { strategy });
      const tags = predictionsToTags(words, config.id2label);
      expect(tags.map((t) => t.length)).toEqual(forward.words.map((w) => w.length));
      tags.flat().forEach((t) => expect(Object.values(config.id2label)).toContain(t));
    }
  });

  it('leaves a null slot for words without sub-tokens when numWords is given', () => {
    const words = aggregateToWords([[[0, 1], [1, 0]]], [[0, null]], { numWords: [3] });
    expect(words[0]).toHaveLength(3);
    expect(words[0][1]).toBeNull();
    expect(predictionsToTags(words, { 0: 'O', 1: 'B-x' })).toEqual([['B-x', 'O', 'O']]);
  });
});
