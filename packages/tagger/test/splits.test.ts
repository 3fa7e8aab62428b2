import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_USAGE, TaggerError } from '../src/errors';
import { loadSplits } from '../src/data/splits';
import { readConllFile } from '../src/data/sentences';

const root = mkdtempSync(join(tmpdir(), 'twner-splits-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function failure(run: () => Promise<unknown>): Promise<TaggerError> {
  const e = await run().then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(TaggerError);
  expect((e as TaggerError).exitCode).toBe(EXIT_USAGE);
  return e as TaggerError;
}

describe('readConllFile and loadSplits refuse broken data, naming the file and line', () => {
  it.each([
    ['a tag that is not O, B-x or I-x', 'Paris\tB-geo-loc\nbe\tQ-person\n', ':2:4: tag "Q-person" does not fit IOB2'],
    ['I-x after O', 'Paris\tO\nFrance\tI-geo-loc\n', ':2:'],
  ])('%s', async (_name, text, where) => {
    const file = join(root, 'bad.conll');
    writeFileSync(file, text);
    const e = await failure(() => readConllFile(file));
    expect(e.message).toContain(`${file}${where}`);
  });

  it('an empty split', async () => {
    const dir = join(root, 'data');
    mkdirSync(dir, { recursive: true });
    const good = 'Paris\tB-geo-loc\nis\tO\n';
    writeFileSync(join(dir, 'train.conll'), good);
    writeFileSync(join(dir, 'dev.conll'), good);
    writeFileSync(join(dir, 'test.conll'), '');
    const e = await failure(() => loadSplits({ dataDir: dir }, () => undefined));
    expect(e.message).toBe(`${join(dir, 'test.conll')}: no sentences (an empty or truncated file?)`);
    writeFileSync(join(dir, 'test.conll'), good);
    const splits = await loadSplits({ dataDir: dir }, () => undefined);
    expect(splits.test).toEqual([{ tokens: ['Paris', 'is'], tags: ['B-geo-loc', 'O'] }]);
    expect(readFileSync(join(dir, 'test.conll'), 'utf8')).toBe(good);
  });
});
