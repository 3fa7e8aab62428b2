import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildEmbeddingMatrix, loadVectors, lookupKeys } from '../src';
import { tempDir, writeText } from './helpers';

const shared = process.env.TWNER_SHARED_DIR ?? path.resolve(__dirname, '../../../../shared');
const trainFile = path.join(shared, 'data/wnut16/train.conll');

/** Lower-cased token types of the WNUT16 train split, read with a plain split (index 0 is padding). */
function trainVocabulary(): string[] {
  const types = new Set<string>();
  for (const line of readFileSync(trainFile, 'utf8').split('\n')) {
    const token = line.split('\t')[0];
    if (token !== '') types.add(token.toLowerCase());
  }
  return ['<pad>', ...types];
}

/** The rules written independently of normalise-tweet.ts: which non-alphabetic types gain a vector. */
function gainsVector(w: string): boolean {
  if (w.startsWith('http://') || w.startsWith('https://')) return w.length > w.indexOf('//') + 2;
  if (w.startsWith('www.')) return /^www\.(\w+\.)+/.test(w) && !/\s/.test(w);
  if (w[0] === '@') return w.length > 1 && [...w.slice(1)].every((c) => /[A-Za-z0-9_]/.test(c));
  if (w[0] === '#') return w.length > 1;
  const unsigned = w[0] === '-' || w[0] === '+' ? w.slice(1) : w;
  const firstDigit = unsigned.search(/\d/);
  return (
    firstDigit >= 0 &&
    [...unsigned].every((c) => '0123456789.,:'.includes(c)) &&
    !unsigned.slice(0, firstDigit).includes(':') &&
    !unsigned.slice(0, firstDigit).includes(',')
  );
}

describe('WNUT16 train vocabulary against GloVe Twitter-style vectors', () => {
  it('misses fewer words after tweet normalisation, by exactly the mentions, links, numbers and hashtags', async () => {
    const vocab = trainVocabulary();
    const alphabetic = vocab.slice(1).filter((w) => /^[a-z]+$/.test(w));
    const tmp = tempDir();
    try {
      const lines = [...alphabetic, '<user>', '<url>', '<number>', '<hashtag>'].map((w, i) => `${w} ${i % 7} 1 -1 0.5`);
      const file = writeText(tmp.dir, 'wnut.4d.txt', `${lines.join('\n')}\n`);
      const vectors = await loadVectors(file, { vocabulary: lookupKeys(vocab) });

      const before = buildEmbeddingMatrix(vocab, vectors, { lookup: ['exact'], oov: 'zeros' });
      const after = buildEmbeddingMatrix(vocab, vectors, { oov: 'zeros' });

      const others = vocab.slice(1).filter((w) => !/^[a-z]+$/.test(w));
      const gained = others.filter(gainsVector);
      expect(before.hits).toBe(alphabetic.length);
      expect(before.misses).toBe(others.length);
      expect(before.misses - after.misses).toBe(gained.length);
      expect(new Set(after.missedWords)).toEqual(new Set(others.filter((w) => !gainsVector(w))));
      // the data has plenty of each kind, so the drop is substantial
      expect(gained.filter((w) => w[0] === '@').length).toBeGreaterThan(100);
      expect(gained.filter((w) => w[0] === '#').length).toBeGreaterThan(20);
      expect(gained.filter((w) => w.startsWith('http')).length).toBeGreaterThan(20);
      expect(gained.filter((w) => /^\d/.test(w)).length).toBeGreaterThan(20);
    } finally {
      tmp.cleanup();
    }
  });
});
