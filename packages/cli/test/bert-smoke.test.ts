/**
 * Smoke test of the BERT commands through the BUILT CLI (`cd examples && npx tsup` first):
 * a few training steps of the tiny fixture model must produce every artefact, and predict and
 * compare must read the run folder back.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SHARED_DIR, TINY_MODEL_DIR, WNUT16_DIR } from './bert-helpers';

/** The shipped BiLSTM-CRF (a run folder) and the gazetteers it needs. */
const SHIPPED_MODEL = path.resolve(__dirname, '../../model-wnut16/model');
const LEXICON = { TWNER_LEXICON_DIR: process.env.TWNER_LEXICON_DIR ?? path.join(SHARED_DIR, 'data/wnut16-lexicon') };

const CLI = process.env.TWNER_CLI ?? path.resolve(__dirname, '../dist/cli.js');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'twner-bert-smoke-'));

function twner(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SMOKE = ['--data-dir', WNUT16_DIR, '--limit-train', '16', '--limit-eval', '16', '--epochs', '1', '--batch-size', '8', '--lr', '1e-3', '--backend', 'wasm'];

describe('bert commands through the built CLI', () => {
  let runDir = '';

  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('train bert: a few steps of the fixture model write every artefact', () => {
    expect(fs.existsSync(CLI)).toBe(true);
    const r = twner(['train', 'bert', '--model', TINY_MODEL_DIR, '--aggregation', 'sum', '--out-dir', out, ...SMOKE]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('special tokens (from the tokenizer): [CLS]=2 [SEP]=3, pad [PAD]=0, unk [UNK]=1');
    expect(r.stdout).toMatch(/sub-tokens per word: \d\.\d\d/);
    expect(r.stdout).toMatch(/epoch 1: train loss \d+\.\d+, dev P\/R\/F1/);
    // 16 tweets at batch 8: two steps, so the estimate comes after the second
    expect(r.stdout).toMatch(/expected time per epoch: [\d.]+ s \([\d,]+ sub-tokens in 2 steps at [\d,]+ tokens\/s, measured over step 2\)/);
    const runs = fs.readdirSync(out).filter((d) => d.endsWith('-bert'));
    expect(runs).toHaveLength(1);
    runDir = path.join(out, runs[0]);
    for (const f of [
      'run.json', 'metrics.json', 'tokenization.md', 'test-report.txt', 'dev-report.txt', 'test-conlleval.txt', 'test-predictions.conll',
      'model/config.json', 'model/model.safetensors', 'model/tokenizer.json',
      'charts/history.svg', 'charts/history.png', 'charts/test-f1-per-type.svg', 'charts/test-f1-per-type.png',
    ]) {
      expect(fs.existsSync(path.join(runDir, f)) ? f : `${f} missing`).toBe(f);
    }
    const metrics = JSON.parse(fs.readFileSync(path.join(runDir, 'metrics.json'), 'utf8'));
    expect(metrics.data).toMatchObject({ train: 16, dev: 16, test: 16, limited: true });
    expect(metrics.training.history).toHaveLength(1);
    expect(metrics.test.overall.f1).toBeGreaterThanOrEqual(0);
    expect(metrics.test.tweetsPerSecond).toBeGreaterThan(0);
    expect(JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8'))).toMatchObject({ kind: 'bert', aggregation: 'sum', maxLength: 128 });
    const config = JSON.parse(fs.readFileSync(path.join(runDir, 'model/config.json'), 'utf8'));
    expect(config.architectures).toEqual(['BertForTokenClassification']);
    expect(Object.keys(config.id2label)).toHaveLength(21);
    const conll = fs.readFileSync(path.join(runDir, 'test-predictions.conll'), 'utf8').trim().split('\n\n');
    expect(conll).toHaveLength(16);
    expect(fs.readFileSync(path.join(runDir, 'charts/history.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('predict --model <bert run>: entity spans with character offsets and scores', () => {
    const text = 'apple macbook pro is the best laptop in the world';
    const r = twner(['predict', '--model', runDir, '--format', 'json', text]);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout.trim().split('\n')[0]);
    expect(p.text).toBe(text);
    expect(p.tokens).toHaveLength(10);
    expect(p.tags).toHaveLength(10);
    for (const e of p.entities) {
      expect(text.slice(e.start, e.end)).toBe(e.text);
      expect(e.score).toBeGreaterThan(0);
    }
    const table = twner(['predict', '--model', runDir, text]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(text);
  });

  it('predict --model <bert run> --members: refused with exit code 2 (a BERT run is one network)', () => {
    const r = twner(['predict', '--model', runDir, '--members', '1', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--members chooses networks of a BiLSTM-CRF ensemble; ${runDir} is a BERT run (one network)`);
  });

  it('compare: both runs on the same test tweets and the notebook sentence', () => {
    const r = twner(['compare', '--bilstm', SHIPPED_MODEL, '--bert', runDir, '--data-dir', WNUT16_DIR, '--limit-eval', '16', '--out-dir', out, '--backend', 'wasm'], LEXICON);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/bilstm: model \(bilstm-crf\) tagged 16 tweets/);
    expect(r.stdout).toMatch(/bert: .*-bert \(bert\) tagged 16 tweets/);
    expect(r.stdout).toContain('| **overall (micro)**');
    expect(r.stdout).toContain('tweets/s');
    expect(r.stdout).toContain('"apple macbook pro is the best laptop in the world"');
    const dir = path.join(out, fs.readdirSync(out).find((d) => d.endsWith('-compare'))!);
    for (const f of ['compare.md', 'compare.json', 'charts/per-type-f1.svg', 'charts/per-type-f1.png']) expect(fs.existsSync(path.join(dir, f)) ? f : `${f} missing`).toBe(f);
  });

  it('compare refuses a run of the wrong kind on either side (exit 2, nothing written)', () => {
    const before = fs.readdirSync(out).filter((d) => d.endsWith('-compare')).length;
    const swapped = twner(['compare', '--bilstm', runDir, '--bert', SHIPPED_MODEL, '--data-dir', WNUT16_DIR, '--limit-eval', '4', '--out-dir', out, '--backend', 'wasm'], LEXICON);
    expect(swapped.code).toBe(2);
    expect(swapped.stderr).toContain(`--bilstm ${runDir}: is a bert run, not a bilstm-crf run`);
    const both = twner(['compare', '--bilstm', SHIPPED_MODEL, '--bert', SHIPPED_MODEL, '--data-dir', WNUT16_DIR, '--limit-eval', '4', '--out-dir', out, '--backend', 'wasm'], LEXICON);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(`--bert ${SHIPPED_MODEL}: is a bilstm-crf run, not a bert run`);
    expect(fs.readdirSync(out).filter((d) => d.endsWith('-compare'))).toHaveLength(before);
  });

  it('train bert --from-scratch says the model is not pretrained', () => {
    const r = twner(['train', 'bert', '--model', TINY_MODEL_DIR, '--from-scratch', '--config', 'tiny', '--out-dir', out, ...SMOKE, '--limit-train', '8']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('NOT PRETRAINED');
  });

  it('exits 2 with a --model <dir> hint when bert-base-uncased cannot be downloaded, and on bad flags', () => {
    const cache = fs.mkdtempSync(path.join(out, 'hf-'));
    const offline = twner(['train', 'bert', '--out-dir', out, ...SMOKE], { HF_HUB_OFFLINE: '1', HF_HUB_CACHE: cache });
    expect(offline.code).toBe(2);
    expect(offline.stderr).toContain("Cannot get 'bert-base-uncased' from the Hugging Face Hub");
    expect(offline.stderr).toContain('--model <dir>');
    const bad = twner(['train', 'bert', '--aggregation', 'mean']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--aggregation: expected one of first, average, max, sum, received "mean"');
  });
});
