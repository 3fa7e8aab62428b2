import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Hostile input through the built CLI: every case exits 2 with one line naming the problem, no stack.
const cli = join(__dirname, '..', 'dist', 'cli.js');
const shared = resolve(__dirname, '../../../../shared');
const wnut = process.env.TWNER_DATA_DIR ?? join(shared, 'data', 'wnut16');
const tmp = mkdtempSync(join(tmpdir(), 'twner-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function twner(args: string[], input?: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [cli, ...args], { cwd: tmp, input, encoding: 'utf8', env: { ...process.env, TWNER_DEBUG: '', TWNER_LEXICON_DIR: process.env.TWNER_LEXICON_DIR ?? join(shared, 'data', 'wnut16-lexicon'), ...env }, timeout: 110_000 });
}

/** Exit 2, one `twner:` line matching `message`, and no stack trace. */
function expectUsage(r: ReturnType<typeof twner>, message: RegExp): void {
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 2, stderr: expect.stringMatching(message) });
  expect(r.stderr).toMatch(/^(twner( [a-z]+)?|error): /m); // our errors, or commander's for a bad flag value
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

/** A WNUT16-like data folder: real dev/test, a given train.conll. */
function dataDir(name: string, train: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'train.conll'), train);
  for (const f of ['dev.conll', 'test.conll']) copyFileSync(join(wnut, f), join(dir, f));
  return dir;
}

describe('twner with hostile input', () => {
  it('eval: a two-column file alone is refused (it would score the tokens as gold)', () => {
    const f = join(tmp, 'two.conll');
    writeFileSync(f, 'Hello\tO\nParis\tB-geo-loc\n');
    expectUsage(twner(['eval', f]), /two.conll line 1: a single file needs three columns or more .* found 2/);
  });

  it('eval: a prediction line without a tag is refused, not scored as its token', () => {
    const gold = join(tmp, 'gold.conll');
    const pred = join(tmp, 'pred.conll');
    writeFileSync(gold, 'Hello\tO\nParis\tB-geo-loc\n');
    writeFileSync(pred, 'Hello\tO\nParis\n');
    expectUsage(twner(['eval', gold, pred]), /pred.conll line 2 \(sentence 1\): "Paris" has no tag column/);
  });

  it('eval: a folder given as a file names the path', () => {
    expectUsage(twner(['eval', tmp]), new RegExp(tmp.replace(/[/\\]/g, '.')));
  });

  it('run --out: an existing folder with the user\'s files is refused and left as it was', () => {
    const mine = join(tmp, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.txt'), 'keep me');
    expectUsage(twner(['run', '--out', mine, '--limit-train', '8']), /exists and is not empty; give a new folder, or --force/);
    expect(readdirSync(mine)).toEqual(['notes.txt']);
    expect(readFileSync(join(mine, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('run --out under a file, equal to a file, or under /proc fails at once', () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    expectUsage(twner(['run', '--out', join(file, 'run')]), /a-file is a file, not a folder/);
    expectUsage(twner(['run', '--out', file]), /is a file; give a folder/);
    expectUsage(twner(['run', '--out', '/proc/twner/run']), /cannot create \/proc\/twner\/run/);
  });

  it.each([
    [['--dropout', '2'], /--dropout expects a number ≥ 0 and ≤ 0.95, received "2"/],
    [['--plateau-decay', '0'], /--plateau-decay expects a number > 0 and ≤ 1, received "0"/],
    [['--lr', '0'], /--lr expects a number > 0/],
    [['--ensemble', '2', '--no-train-with-dev'], /--ensemble > 1 ensembles the refit models: it needs --train-with-dev/],
  ])('run %j is refused', (args, message) => {
    expectUsage(twner(['run', ...args]), message);
  });

  it('run: an empty train.conll stops before training', () => {
    expectUsage(twner(['run', '--no-eda', '--data-dir', dataDir('empty', ''), '--out', join(tmp, 'out-empty')]), /empty\/train.conll: no sentences \(an empty or truncated file\?\)/);
  });

  it('run: O I-person in the training data is refused with its place, not trained with a huge loss', () => {
    const dir = dataDir('iob', 'Hello\tO\nJohn\tI-person\n\n');
    expectUsage(twner(['run', '--no-eda', '--data-dir', dir, '--out', join(tmp, 'out-iob')]), /iob\/train.conll:2:6: tag "I-person" does not fit IOB2: .*expected "B-person".*repair the file \(@twner\/conll repairIob2/);
  });

  it('run: a tag such as X-person is refused with its place', () => {
    const dir = dataDir('xtag', 'Hello\tO\nJohn\tX-person\n\n');
    expectUsage(twner(['run', '--no-eda', '--data-dir', dir, '--out', join(tmp, 'out-x')]), /xtag\/train.conll:2:6: tag "X-person" does not fit IOB2/);
  });

  it('predict --model on a Hugging Face checkpoint or a half-written run folder says so', () => {
    expectUsage(twner(['predict', '--model', join(shared, 'fixtures', 'hf-tiny-bert', 'model'), 'hello']), /is a Hugging Face checkpoint, not a BiLSTM-CRF run folder/);
    const half = join(tmp, 'half');
    mkdirSync(half);
    writeFileSync(join(half, 'config.json'), '{"model": {"arch": "char-gaz');
    expectUsage(twner(['predict', '--model', half, 'hello']), /half: config.json is not valid JSON .*cut off while written/);
    expectUsage(twner(['predict', '--model', join(tmp, 'nope'), 'hello']), /model .*nope: no such folder/);
    writeFileSync(join(tmp, 'tweets.txt'), 'hello\n');
    expectUsage(twner(['predict', '--model', join(tmp, 'tweets.txt'), 'hello']), /model .*tweets.txt: is a file; give a run folder/);
    expectUsage(twner(['predict', '--model', `${half}/`, 'hello']), /half\/: config.json is not valid JSON/);
  });

  it('predict --input-format jsonl names the line without the text field', () => {
    const r = twner(['predict', '--input-format', 'jsonl', '--format', 'json', '-'], '{"text": "hello"}\n{"id": 7}\n');
    expectUsage(r, /<stdin>:2: field "text" is missing; choose the field with --text-field/);
  });

  it('--debug (or TWNER_DEBUG=1) adds the stack', () => {
    const r = twner(['--debug', 'predict', '--model', join(tmp, 'nope'), 'hello']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
