import { BertTokenizer, formatTokenizationReport, tokenizationReport } from '../src/index';
import { type ForwardFixture, MODEL_DIR, readFixture } from './fixture-hf-tiny-bert';

const tokenizer = BertTokenizer.fromPretrained(MODEL_DIR);

describe('tokenizationReport', () => {
  it('counts pieces, splits, unknowns and empty words of a hand-worked corpus', async () => {
    // new | or ##le ##ans | parade ; [UNK] | (nothing)
    const report = await tokenizationReport(tokenizer, [['New', 'Orleans', 'parade'], ['😀', '']]);
    expect(report).toEqual({
      sentences: 2,
      words: 5,
      subTokens: 6,
      subTokensPerWord: 6 / 5,
      splitWordShare: 1 / 5,
      unknownTokenRate: 1 / 6,
      unknownWordShare: 1 / 5,
      wordsWithoutSubTokens: 1,
      maxSubTokensPerWord: 3,
      longestSequence: { index: 0, length: 7 },
      examples: [{ word: 'Orleans', subTokens: ['or', '##le', '##ans'], count: 1 }],
    });
  });

  it('agrees with the word_ids of the Hugging Face fixture batch', async () => {
    const forward = readFixture<ForwardFixture>('forward.json');
    const report = await tokenizationReport(tokenizer, forward.words, { examples: 3 });
    const pieces = forward.word_ids.flat().filter((w) => w !== null).length;
    const lengths = forward.attention_mask.map((m) => m.reduce((s, x) => s + x, 0));
    expect(report.subTokens).toBe(pieces);
    expect(report.words).toBe(forward.words.flat().length);
    expect(report.longestSequence.length).toBe(Math.max(...lengths));
    expect(report.longestSequence.index).toBe(lengths.indexOf(Math.max(...lengths)));
    expect(report.examples).toHaveLength(3);
    expect(report.examples[0].count).toBeGreaterThanOrEqual(report.examples[2].count);
  });

  it('ignores the tokenizer length limit and lists examples in a Markdown table', async () => {
    const text = formatTokenizationReport(await tokenizationReport(tokenizer, [['New', 'Orleans']]));
    expect(text).toContain('| Orleans | or ##le ##ans | 1 |');
    expect(text).toContain('words split into several sub-tokens: 50.0%');
  });
});
