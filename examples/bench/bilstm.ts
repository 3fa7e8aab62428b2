/**
 * `pnpm bench`: seconds per training epoch over the 2,394 WNUT16 training tweets and tagging
 * throughput (tweets/s, Viterbi-decoded) for the notebook's BiLSTM-CRF, next to the PyTorch
 * reference (../shared/baselines/pytorch) when /usr/bin/python3 has torch.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { TokenVocabulary } from '@twner/conll';
import { selectBackend, type BackendName } from '../src/backend';
import { loadSplits } from '../src/data/splits';
import { buildEmissionModel, type ModelConfig } from '../src/models/bilstm-crf';
import { disposeBatch, makeBatches, seededRandom, toTensors } from '../src/models/batch';
import { createCrfParams, crfDecoder, crfNll } from '../src/models/crf';
import { encodeAll, type Encoder } from '../src/models/encode';
import { wnut16Labels } from '../src/models/labels';
import { predictIds } from '../src/train/predict';

interface Figures {
  testF1?: number;
  epochSeconds: number;
  tweetsPerSecondBatched: number;
  tweetsPerSecondSingle: number;
}

async function measure(fused: boolean): Promise<Figures> {
  const splits = await loadSplits({}, () => undefined);
  const vocab = TokenVocabulary.build(splits.train.map((s) => s.tokens));
  const labels = wnut16Labels(splits.train.map((s) => s.tags));
  const enc: Encoder = { vocab, chars: null, maxChars: 1, gazetteer: null, useCasing: false, label2id: Object.fromEntries(labels.map((l, i) => [l, i])) };
  const data = encodeAll(enc, splits.train);
  const config: ModelConfig = {
    arch: 'notebook', vocabSize: vocab.size, embeddingDim: 200, charVocabSize: 0, charDim: 0, charFilters: 0, charKernel: 1,
    maxChars: 1, featureDim: 0, units: 50, layers: 2, dropout: 0, denseUnits: 25, numTags: labels.length, seed: 1, fused,
  };
  const model = buildEmissionModel(config);
  const crf = createCrfParams(labels.length, 1);
  const vars = [...model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read()), crf.transitions, crf.start, crf.end];
  const opt = tf.train.adam(1e-3);
  const tagger = { withChars: false, maxChars: 1, featureDim: 0 };
  const step = (batch: ReturnType<typeof makeBatches>[number]): void => {
    const t = toTensors(data, batch, tagger);
    const loss = opt.minimize(() => crfNll(model.apply(t.inputs, { training: true }) as tf.Tensor3D, t.tags, t.mask, crf), true, vars);
    loss?.dataSync();
    loss?.dispose();
    disposeBatch(t);
  };
  const batches = makeBatches(data, 32, seededRandom(1));
  for (const b of batches.slice(0, 5)) step(b); // warm-up
  const t0 = performance.now();
  for (const b of batches) step(b);
  const epochSeconds = (performance.now() - t0) / 1000;
  const decoder = crfDecoder(crf);
  const t1 = performance.now();
  predictIds({ ...tagger, model, decoder }, data, 256);
  const tweetsPerSecondBatched = data.length / ((performance.now() - t1) / 1000);
  const few = data.slice(0, 200);
  const t2 = performance.now();
  predictIds({ ...tagger, model, decoder }, few, 1);
  const tweetsPerSecondSingle = few.length / ((performance.now() - t2) / 1000);
  model.dispose();
  return { epochSeconds, tweetsPerSecondBatched, tweetsPerSecondSingle };
}

function pytorchReference(): Figures | null {
  const python = '/usr/bin/python3';
  if (!existsSync(python) || spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) return null;
  const dir = resolve('..', '..', 'shared', 'baselines', 'pytorch');
  const script = join(dir, 'bilstm_crf_bench.py');
  if (!existsSync(script)) return null;
  console.log('Running the PyTorch reference (2 threads, 1 timing run, plus its 10-epoch accuracy run)…');
  const args = ['-W', 'ignore', script, '--no-pitfall', '--threads', '2', '--repeats', '1', '--out', join(tmpdir(), 'twner-pytorch-baseline.json')];
  const res = spawnSync(python, args, { cwd: dir, encoding: 'utf8', timeout: 1_200_000 });
  const line = res.stdout?.trim().split('\n').pop();
  if (res.status !== 0 || !line) return null;
  const json = JSON.parse(line) as Record<string, unknown>;
  const pick = (...keys: string[]): number => Number(keys.map((k) => json[k]).find((v) => typeof v === 'number') ?? NaN);
  return {
    epochSeconds: pick('epoch_s_t2', 'epoch_s_t1'),
    tweetsPerSecondBatched: pick('infer_b256_tps_t2', 'infer_b256_tps_t1'),
    tweetsPerSecondSingle: pick('infer_b1_tps_t2', 'infer_b1_tps_t1'),
    testF1: pick('test_f1'),
  };
}

async function main(): Promise<void> {
  const backend = await selectBackend((process.env.TWNER_BACKEND as BackendName | undefined) ?? 'auto');
  console.log(`Backend: ${backend.name}. Notebook BiLSTM-CRF (Embedding 200 → BiLSTM 50 ×2 → Dense 25 → CRF 21), batch 32, 2,394 training tweets.`);
  const rows: [string, Figures][] = [];
  for (const fused of [true, false]) {
    if (!fused && process.env.BENCH_SKIP_UNFUSED) continue;
    const name = fused ? 'twner (fused kernels)' : 'twner (tfjs-layers)';
    const figures = await measure(fused);
    console.log(`measured ${name}: ${JSON.stringify(figures)}`);
    rows.push([name, figures]);
  }
  const ref = pytorchReference();
  const fmt = (f: Figures): string =>
    `${f.epochSeconds.toFixed(1).padStart(8)} s/epoch  ${f.tweetsPerSecondBatched.toFixed(0).padStart(7)} tweets/s (batch 256)  ${f.tweetsPerSecondSingle.toFixed(0).padStart(6)} tweets/s (batch 1)`;
  for (const [name, f] of rows) {
    const ratio = ref
      ? `  | ratio vs PyTorch: epoch ×${(f.epochSeconds / ref.epochSeconds).toFixed(2)}, tagging ×${(f.tweetsPerSecondBatched / ref.tweetsPerSecondBatched).toFixed(2)}`
      : '';
    console.log(`${name.padEnd(24)} ${fmt(f)}${ratio}`);
  }
  if (ref) console.log(`${'PyTorch reference'.padEnd(24)} ${fmt(ref)}  (its test F1 after 10 epochs: ${ref.testF1?.toFixed(4)})`);
  else {
    console.log(
      'PyTorch reference unavailable (/usr/bin/python3 without torch; apt-get install python3-torch). ' +
        'Its README records, on a 2-vCPU machine of this kind: 6.0 s/epoch (2 threads), ≈4,400 tweets/s (batch 256), ≈440 (batch 1) — not measured here.',
    );
  }
}

void main();
