import { readFileSync } from 'node:fs';
import path from 'node:path';
import { corpusSentences, detectScheme, getSpans, readConll, readConllCorpus, writeConll, type ConllSentence } from '../src';
import { WNUT16 } from './shared-dir';

async function collect(file: string): Promise<ConllSentence[]> {
  const sentences: ConllSentence[] = [];
  for await (const sentence of readConll(file, { separator: 'tab', scheme: 'IOB2' })) sentences.push(sentence);
  return sentences;
}

describe('the WNUT 2016 files', () => {
  test.each([
    ['train', 2394, 46469],
    ['dev', 1000, 16261],
    ['test', 3850, 61908],
  ])('%s.conll streams as %i tweets of %i tokens, valid IOB2', async (split, tweets, tokens) => {
    const sentences = await collect(path.join(WNUT16, `${split}.conll`));
    expect(sentences).toHaveLength(tweets);
    expect(sentences.reduce((n, s) => n + s.tokens.length, 0)).toBe(tokens);
  });

  it('has 21 labels, a longest training tweet of 39 tokens (dev 41, test 35)', async () => {
    const splits = await Promise.all(['train', 'dev', 'test'].map((s) => collect(path.join(WNUT16, `${s}.conll`))));
    const all = splits.flat();
    const labels = new Set(all.flatMap((s) => s.tokens.map((t) => t.tag)));
    expect(labels.size).toBe(21);
    expect(splits.map((split) => Math.max(...split.map((s) => s.tokens.length)))).toEqual([39, 41, 35]);
    expect(detectScheme(all.map((s) => s.tokens.map((t) => t.tag!)))).toBe('IOB2');
    expect(all.flatMap((s) => getSpans(s.tokens.map((t) => t.tag!), 'IOB2')).length).toBeGreaterThan(0);
  });

  test.each(['train', 'dev', 'test'])('%s.conll writes back byte for byte', async (split) => {
    const file = path.join(WNUT16, `${split}.conll`);
    const corpus = await readConllCorpus(file, { separator: 'tab' });
    expect(corpusSentences(corpus).length).toBeGreaterThan(0);
    expect(Buffer.from(writeConll(corpus), 'utf8').equals(readFileSync(file))).toBe(true);
  });
});
