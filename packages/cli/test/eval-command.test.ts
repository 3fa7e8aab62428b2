import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { alignTags, parseColumns, runEval } from '../src/commands/eval';
import { TaggerError } from '@twner/tagger';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twner-eval-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

const gold = write('gold.conll', 'John\tB-person\nlives\tO\n\nin\tO\nNew\tB-geo-loc\nYork\tI-geo-loc\n');
const pred = write('pred.conll', 'John\tB-person\nlives\tO\n\nin\tO\nNew\tB-geo-loc\nYork\tO\n');

function failure(run: () => unknown): TaggerError {
  try {
    run();
  } catch (error) {
    if (error instanceof TaggerError) return error;
    throw error;
  }
  throw new Error('expected a TaggerError');
}

describe('twner eval', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the seqeval report for a gold and a prediction file', () => {
    const text = runEval(gold, pred);
    expect(text.split('\n')[2]).toBe('     geo-loc       0.00      0.00      0.00         1');
    expect(text.split('\n')[5]).toBe('   micro avg       0.50      0.50      0.50         2');
  });

  it('reads one conlleval-style file with token, gold and prediction columns', () => {
    const one = write('one.txt', 'John B-person B-person\nlives O O\n\nin O O\nNew B-geo-loc B-geo-loc\nYork I-geo-loc O\n');
    expect(runEval(one, undefined)).toBe(runEval(gold, pred));
    expect(runEval(one, undefined, { conlleval: true }).split('\n')[0]).toBe(
      'processed 5 tokens with 2 phrases; found: 2 phrases; correct: 1.',
    );
  });

  it('prints JSON with --json', () => {
    const parsed = JSON.parse(runEval(gold, pred, { json: true, mode: 'strict', scheme: 'iob2' }));
    expect(parsed.scheme).toBe('IOB2');
    expect(parsed.report.person).toEqual({ precision: 1, recall: 1, 'f1-score': 1, support: 1 });
    expect(JSON.parse(runEval(gold, pred, { json: true, conlleval: true }))).toMatchObject({ tokens: 5, correct: 1 });
  });

  it('names the sentence and the lines when the files do not line up (exit code 2)', () => {
    const short = write('short.conll', 'John\tB-person\nlives\tO\n\nin\tO\nNew\tB-geo-loc\n');
    const error = failure(() => runEval(gold, short));
    expect(error.exitCode).toBe(2);
    // the files are named as given (here absolute paths), so two x.conll in different folders stay apart
    expect(error.message).toBe(
      `${short} does not line up with ${gold}: sentence 2 has 3 tokens in ${gold} (lines 4-6) but 2 in ${short} (lines 4-5)`,
    );
  });

  it('names the token that differs', () => {
    const other = write('other.conll', 'John\tB-person\nlives\tO\n\nin\tO\nOld\tB-geo-loc\nYork\tO\n');
    expect(failure(() => runEval(gold, other)).message).toBe(
      `${other} does not line up with ${gold}: sentence 2, token 2 is "New" at ${gold} line 5 but "Old" at ${other} line 5`,
    );
  });

  it('reports a missing sentence', () => {
    const one = write('first.conll', 'John\tB-person\nlives\tO\n');
    expect(failure(() => runEval(gold, one)).message).toBe(
      `${one} does not line up with ${gold}: ${gold} has 2 sentences, ${one} has 1; sentence 2 (${gold} line 4) has no counterpart`,
    );
  });

  it('places a tag the strict scheme rejects on its line', () => {
    const bad = write('bad.conll', 'John\tB-person\nlives\tO\n\nin\tO\nNew\tB-geo-loc\nYork\tE-geo-loc\n');
    const error = failure(() => runEval(gold, bad, { mode: 'strict', scheme: 'IOB2' }));
    expect(error.exitCode).toBe(2);
    expect(error.message.startsWith(`${bad} line 6 (sentence 2): "E-geo-loc" is not a IOB2 tag`)).toBe(true);
  });

  test.each([
    [{ mode: 'strict' }, '--mode strict needs --scheme'],
    [{ mode: 'loose' }, "--mode must be 'default' or 'strict'"],
    [{ mode: 'strict', scheme: 'BIO' }, '--scheme must be one of'],
    [{ digits: 'two' }, '--digits must be an integer'],
  ])('rejects the flags %j with exit code 2', (options, message) => {
    const error = failure(() => runEval(gold, pred, options));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(message);
  });

  it('fails with exit code 2 for a missing file', () => {
    expect(failure(() => runEval(path.join(dir, 'nope.conll'), pred)).exitCode).toBe(2);
  });

  it('skips -DOCSTART- lines and keeps line numbers', () => {
    const parsed = parseColumns('-DOCSTART- O\n\nA B-x\r\n', 'f');
    expect(parsed.sentences).toEqual([[{ line: 3, fields: ['A', 'B-x'] }]]);
    expect(() => alignTags(parseColumns('A B-x O\nB O\n', 'f'))).toThrow('f line 2 (sentence 1): expected 3 columns like line 1, found 2');
  });
});
