import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@twner/tagger';

// The CLI is ESM and built by `pnpm run build` (tsup); jest runs CJS, so it is spawned.
const root = join(__dirname, '..');
const cli = join(root, 'dist', 'cli.js');

function twner(args: string[], input?: string) {
  return spawnSync(process.execPath, [cli, ...args], { cwd: root, input, encoding: 'utf8', timeout: 110_000 });
}

describe('twner predict --engine serving', () => {
  const out = mkdtempSync(join(tmpdir(), 'twner-serving-cli-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  beforeAll(() => {
    expect(existsSync(cli)).toBe(true);
    const run = twner(['run', '--arch', 'notebook', '--limit-train', '64', '--limit-dev', '32', '--limit-test', '40', '--epochs', '1', '--no-eda', '--out', out]);
    expect(run.stderr).not.toMatch(/twner:/);
    expect(run.status).toBe(0);
  });

  it('is the default for the notebook arch and prints what --engine tfjs prints, line by line in order', () => {
    const rng = seededRandom(5);
    const words = ['apple', 'macbook', 'pro', 'is', 'great', 'Yankees', 'at', 'Fenway', 'London', 'the', '@user', '#tbt', 'lol', 'zzqx'];
    const lines = Array.from({ length: 300 }, (_, i) =>
      i % 50 === 7 ? '' : Array.from({ length: 1 + Math.floor(rng() * 25) }, () => words[Math.floor(rng() * words.length)]).join(' '));
    const input = `${lines.join('\n')}\n`;
    // (--precision float32: the exact path; the default int16 products are checked below)
    const serving = twner(['predict', '--model', out, '--format', 'json', '--batch-lines', '32', '--precision', 'float32', '-'], input);
    const tfjs = twner(['predict', '--model', out, '--format', 'json', '--engine', 'tfjs', '-'], input);
    const int16 = twner(['predict', '--model', out, '--format', 'json', '-'], input);
    expect([serving.status, tfjs.status, int16.status]).toEqual([0, 0, 0]);
    expect(serving.stderr).toMatch(/Engine: serving/);
    expect(serving.stderr).not.toMatch(/int16/);
    expect(int16.stderr).toMatch(/Engine: serving .*int16 LSTM products/);
    const tags = (out: string) => out.trim().split('\n').map((l) => (JSON.parse(l) as { tags: string[] }).tags);
    expect(tags(int16.stdout)).toEqual(tags(tfjs.stdout));
    expect(tfjs.stderr).toMatch(/Engine: tfjs/);
    const got = serving.stdout.trim().split('\n').map((l) => JSON.parse(l) as { text: string; tags: string[] });
    expect(got.map((g) => g.text)).toEqual(lines.filter((l) => l !== ''));
    // The same tags and spans; span scores agree to float rounding (the engines' emissions differ by ~1e-6).
    const strip = (out: string) => out.trim().split('\n').map((l) => {
      const r = JSON.parse(l) as { tags: string[]; entities: { score: number }[] };
      return { ...r, entities: r.entities.map((e) => ({ ...e, score: Math.round(e.score * 1e4) })) };
    });
    expect(strip(serving.stdout)).toEqual(strip(tfjs.stdout));
  });

  it('streams: a line is tagged before stdin ends (flush after --flush-ms)', async () => {
    const child = spawn(process.execPath, [cli, 'predict', '--model', out, '--format', 'json', '--flush-ms', '10', '-'], { cwd: root });
    let stdout = '';
    const firstLine = new Promise<string>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('\n')) resolve(stdout);
      });
    });
    child.stdin.write('hello london\n');
    const first = await firstLine; // stdin is still open here
    expect(JSON.parse(first.split('\n')[0]).tokens.map((t: { text: string }) => t.text)).toEqual(['hello', 'london']);
    child.stdin.end('second tweet\n');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').map((l) => JSON.parse(l).text)).toEqual(['hello london', 'second tweet']);
  });

  it('refuses an unknown --precision with exit code 2', () => {
    const res = twner(['predict', '--model', out, '--precision', 'int8', 'x']);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/--precision.*int8.*int16, float32/s);
  });

  it('refuses a model whose config does not match its weights, with exit code 2 and the weight named', () => {
    const charRun = join(out, 'as-char-gazetteer');
    for (const f of ['config.json', 'vocab.json', 'labels.json', 'model']) cpSync(join(out, f), join(charRun, f), { recursive: true });
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    config.model = { ...config.model, arch: 'char-gazetteer', charVocabSize: 30 };
    writeFileSync(join(charRun, 'config.json'), JSON.stringify(config));
    writeFileSync(join(charRun, 'chars.json'), JSON.stringify({ chars: ['<pad>', '<unk>'] }));
    const res = twner(['predict', '--model', charRun, '--engine', 'serving', 'x']);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/expected one char embedding weight, found 0/);
  });
});

describe('twner predict --members', () => {
  it('tags with the first members of the shipped ensemble only, and refuses counts it does not have with exit code 2', () => {
    const text = 'Watching the Yankees at Fenway with John Smith in Boston';
    const both = twner(['predict', '--format', 'json', text]);
    const one = twner(['predict', '--format', 'json', '--members', '1', text]);
    expect([both.status, one.status]).toEqual([0, 0]);
    expect(both.stderr).toMatch(/Engine: serving .*2 members averaged/);
    expect(one.stderr).toMatch(/Engine: serving /);
    expect(one.stderr).not.toMatch(/members averaged/);
    const three = twner(['predict', '--members', '3', text]);
    expect(three.status).toBe(2);
    expect(three.stderr).toMatch(/option "members" must be an integer from 1 to 2 \(the model at .* has 2 networks\), got 3/);
    expect(three.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const zero = twner(['predict', '--members', '0', text]);
    expect(zero.status).toBe(2);
    expect(zero.stderr).toMatch(/--members expects an integer ≥ 1, received "0"/);
  });
});
