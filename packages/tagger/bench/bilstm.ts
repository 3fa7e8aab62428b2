/**
 * `pnpm bench` (`tsx bench/bilstm.ts [--no-pytorch] [--unfused]`): the notebook BiLSTM-CRF
 * (Embedding 200 → BiLSTM 50 × 2 → Dense 25 relu → Dense 21 → CRF) on WNUT16, next to the
 * PyTorch reference (../shared/baselines/pytorch, /usr/bin/python3 with torch) measured in the
 * same run with 1 and 2 threads:
 *
 * (a) seconds per training epoch over the 2,394 training tweets, batch 32, fused layers + CRF
 *     loss, every real batch (after a 5-batch warm-up); `--unfused` adds the tfjs-layers model;
 * (b) tagging throughput (tweets/s, Viterbi-decoded, word ids → tag ids) over the 3,850 test
 *     tweets, as the PyTorch reference measures it: the serving path (`InferenceBiLstm` +
 *     `CRFDecoder`, loaded from a saved run folder) at batch 256 with 1 and 2 threads and one
 *     tweet at a time, and the tfjs path (`model.predict` + `CRFDecoder`, `--engine tfjs`);
 * (c) peak RSS of the process after training.
 *
 * TWNER_BENCH_SMOKE=1 (CI): every part once on the first 64 training and 64 test tweets (one
 * warm-up batch, one timed repetition), the PyTorch reference skipped; figures not meaningful.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, machine, rate, reps, SMOKE } from './measure';
import * as tf from '@tensorflow/tfjs';
import { TokenVocabulary } from '@twner/conll';
import { selectBackend, type BackendName } from '../src/backend';
import { loadSplits } from '../src/data/splits';
import { buildEmissionModel, type ModelConfig } from '../src/models/bilstm-crf';
import { disposeBatch, makeBatches, toTensors } from '../src/models/batch';
import { seededRandom } from '../src/random';
import { createCrfParams, crfDecoder, crfNll, iob2Constraints } from '../src/models/crf';
import { encodeAll, type EncodedSentence, type Encoder } from '../src/models/encode';
import { wnut16Labels } from '../src/models/labels';
import { saveBundle } from '../src/run-folder/bundle';
import { loadTagger } from '../src/load';
import { predictIds } from '../src/train/predict';

const args = new Set(process.argv.slice(2));
const PYTORCH_DIR = fileURLToPath(new URL('../../../shared/baselines/pytorch/', import.meta.url));
const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

interface Ours {
  epochSeconds: number;
  unfusedEpochSeconds?: number;
  peakRssMb: number;
  serving1: number;
  serving2: number;
  servingSingle: number;
  tfjsBatched: number;
  tfjsSingle: number;
  testTweets: number;
  trainTweets: number;
}

async function measureOurs(): Promise<Ours> {
  const splits = await loadSplits(SMOKE ? { limitTrain: 64, limitTest: 64 } : {}, () => undefined);
  const vocab = TokenVocabulary.build(splits.train.map((s) => s.tokens));
  const labels = wnut16Labels(splits.train.map((s) => s.tags));
  const enc: Encoder = { vocab, chars: null, maxChars: 1, gazetteer: null, useCasing: false, label2id: Object.fromEntries(labels.map((l, i) => [l, i])) };
  const train = encodeAll(enc, splits.train);
  const config = (fused: boolean): ModelConfig => ({
    arch: 'notebook', vocabSize: vocab.size, embeddingDim: 200, charVocabSize: 0, charDim: 0, charFilters: 0, charKernel: 1,
    maxChars: 1, featureDim: 0, units: 50, layers: 2, dropout: 0, denseUnits: 25, numTags: labels.length, seed: 1, fused,
    recurrentActivation: 'sigmoid',
  });
  const constraints = iob2Constraints(labels);
  const shapes = { withChars: false, maxChars: 1, featureDim: 0 };

  const trainEpoch = (fused: boolean): { seconds: number; model: tf.LayersModel; crf: ReturnType<typeof createCrfParams> } => {
    const model = buildEmissionModel(config(fused));
    const crf = createCrfParams(labels.length, 1);
    const vars = [...model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read()), crf.transitions, crf.start, crf.end];
    const opt = tf.train.adam(1e-3);
    const step = (batch: ReturnType<typeof makeBatches>[number]): void => {
      const t = toTensors(train, batch, shapes);
      const loss = opt.minimize(() => crfNll(model.apply(t.inputs, { training: true }) as tf.Tensor3D, t.tags, t.mask, crf, constraints), true, vars);
      loss?.dataSync();
      loss?.dispose();
      disposeBatch(t);
    };
    const batches = makeBatches(train, 32, seededRandom(1));
    for (const b of batches.slice(0, SMOKE ? 1 : 5)) step(b); // warm-up
    const t0 = performance.now();
    for (const b of batches) step(b);
    return { seconds: (performance.now() - t0) / 1000, model, crf };
  };

  console.log(`(a) training one epoch, fused layers + CRF, ${train.length} tweets, batch 32… (load ${load()})`);
  const { seconds: epochSeconds, model, crf } = trainEpoch(true);
  const rss = peakRssMb();
  console.log(`    ${epochSeconds.toFixed(2)} s/epoch; peak RSS so far ${rss.toFixed(0)} MB`);
  let unfusedEpochSeconds: number | undefined;
  if (args.has('--unfused')) {
    console.log(`    tfjs-layers (unfused) epoch… (load ${load()})`);
    const u = trainEpoch(false);
    unfusedEpochSeconds = u.seconds;
    u.model.dispose();
    console.log(`    ${unfusedEpochSeconds.toFixed(2)} s/epoch (tfjs-layers)`);
  }

  // Save the trained model as a run folder: the serving path loads it the way `twner predict` does.
  const dir = mkdtempSync(join(tmpdir(), 'twner-bench-'));
  await saveBundle(dir, {
    model,
    crf,
    vocab,
    chars: null,
    config: { model: config(true), labels, constrained: true, useCasing: false, gazetteerLists: [] },
  });
  const test = splits.test.map((s) => s.tokens);
  console.log(`(b) tagging the ${test.length} test tweets (word ids → Viterbi tag ids; encoding excluded, as in the PyTorch reference)… (load ${load()})`);
  // Tokens → tags through the Tagger (vocabulary lookup, emissions, Viterbi; span scores only for tweets with entities).
  const serving1 = await loadTagger(dir, { threads: 1 });
  const ids = test;
  const batched = (tagger: typeof serving1) => () => {
    for (let i = 0; i < ids.length; i += 256) tagger.tagTokens(ids.slice(i, i + 256));
  };
  const s1 = rate(ids.length, batched(serving1), reps(5));
  const single = rate(ids.length, () => {
    for (const x of ids) serving1.tagTokens([x]);
  });
  await serving1.dispose();
  const serving2 = await loadTagger(dir, { threads: 2 });
  const s2 = rate(ids.length, batched(serving2), reps(5));
  await serving2.dispose();
  console.log(`    serving: ${s1.toFixed(0)} tweets/s (batch 256, 1 thread), ${s2.toFixed(0)} (batch 256, 2 threads), ${single.toFixed(0)} (one at a time)`);

  const decoder = crfDecoder(crf, constraints);
  const testData: EncodedSentence[] = encodeAll(enc, splits.test.map((s) => ({ ...s, tags: s.tags.map((t) => (t in enc.label2id ? t : 'O')) })));
  const tagger = { ...shapes, model, decoder };
  const tfjsBatched = rate(testData.length, () => predictIds(tagger, testData, 256), 1);
  const few = testData.slice(0, 500);
  const tfjsSingle = rate(few.length, () => predictIds(tagger, few, 1), 1);
  console.log(`    tfjs path: ${tfjsBatched.toFixed(0)} tweets/s (batch 256), ${tfjsSingle.toFixed(0)} (batch 1, first 500 tweets)`);
  model.dispose();
  rmSync(dir, { recursive: true, force: true });
  return { epochSeconds, unfusedEpochSeconds, peakRssMb: rss, serving1: s1, serving2: s2, servingSingle: single, tfjsBatched, tfjsSingle, testTweets: ids.length, trainTweets: train.length };
}

interface Torch {
  epochSeconds: number;
  batched: number;
  single: number;
}

/** One worker of the PyTorch reference: 2 epochs (the second timed), then tagging at batch 256 and 1. */
function pytorch(threads: 1 | 2): Torch | null {
  const python = '/usr/bin/python3';
  const script = join(PYTORCH_DIR, 'bilstm_crf_bench.py');
  if (!existsSync(python) || !existsSync(script)) return null;
  if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) return null;
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: '1' };
  const res = spawnSync(python, ['-W', 'ignore', script, '--worker', '--threads-one', String(threads), '--epochs', '2', '--infer'], {
    // Its progress lines (stderr) show as it runs; a busy machine can stall OpenMP's 2 threads for minutes.
    cwd: PYTORCH_DIR, env, encoding: 'utf8', timeout: 240_000, stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (res.error) {
    console.log(`    PyTorch worker (${threads} threads) stopped after 240 s (${res.error.message}): the machine is too busy; rerun when it is quieter`);
    return null;
  }
  const line = res.stdout?.split('\n').find((l) => l.startsWith('WORKER_RESULT '));
  if (res.status !== 0 || !line) {
    console.log(`    PyTorch worker (${threads} threads) failed with exit code ${res.status}`);
    return null;
  }
  const out = JSON.parse(line.slice('WORKER_RESULT '.length)) as {
    epoch_seconds: number[];
    inference: Record<'batch_256' | 'batch_1', { tweets_per_s: number }>;
  };
  return { epochSeconds: out.epoch_seconds[1], batched: out.inference.batch_256.tweets_per_s, single: out.inference.batch_1.tweets_per_s };
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = load();
  const backend = await selectBackend((process.env.TWNER_BACKEND as BackendName | undefined) ?? 'auto');
  console.log(`Machine: ${machine()}; load average ${loadBefore} (1, 5, 15 min)`);
  console.log(`Backend for training and the tfjs path: ${backend.name}. Notebook BiLSTM-CRF: Embedding 200 → BiLSTM 50 ×2 → Dense 25 relu → Dense 21 → CRF (IOB2-constrained).`);
  const ours = await measureOurs();
  const torch: Partial<Record<1 | 2, Torch>> = {};
  if (SMOKE) {
    console.log('PyTorch reference: skipped (smoke mode)');
  } else if (!args.has('--no-pytorch')) {
    for (const t of [1, 2] as const) {
      console.log(`PyTorch reference, ${t} thread${t > 1 ? 's' : ''} (OMP_NUM_THREADS=${t}, 2 epochs + tagging)… (load ${load()})`);
      const r = pytorch(t);
      if (r) {
        torch[t] = r;
        console.log(`    ${r.epochSeconds.toFixed(2)} s/epoch, ${r.batched.toFixed(0)} tweets/s (batch 256), ${r.single.toFixed(0)} (batch 1)`);
      }
    }
  }
  const p1 = torch[1];
  const p2 = torch[2];
  const x = (a: number, b: number | undefined): string => (b === undefined ? '' : ` ×${(a / b).toFixed(2)}`);
  const f0 = (v: number): string => v.toFixed(0);
  console.log('');
  console.log(`Results (load average now ${load()}; whole bench ${((performance.now() - started) / 1000).toFixed(0)} s)${SMOKE ? ` (smoke mode: ${ours.trainTweets} training, ${ours.testTweets} test tweets; figures not meaningful)` : ''}:`);
  console.log(`(a) training epoch, 2,394 tweets, batch 32: twner fused ${ours.epochSeconds.toFixed(2)} s` +
    (p1 ? ` | PyTorch 1 thread ${p1.epochSeconds.toFixed(2)} s (ours/theirs${x(ours.epochSeconds, p1.epochSeconds)})` : '') +
    (p2 ? ` | PyTorch 2 threads ${p2.epochSeconds.toFixed(2)} s (ours/theirs${x(ours.epochSeconds, p2.epochSeconds)})` : '') +
    (ours.unfusedEpochSeconds !== undefined ? ` | twner tfjs-layers ${ours.unfusedEpochSeconds.toFixed(2)} s` : ''));
  console.log(`(b) tagging, ${ours.testTweets} test tweets, tweets/s (ratios: ours/theirs):`);
  console.log(`    batch 256, 1 thread : serving ${f0(ours.serving1)} | tfjs path ${f0(ours.tfjsBatched)} (serving${x(ours.serving1, ours.tfjsBatched)})` +
    (p1 ? ` | PyTorch ${f0(p1.batched)} (serving${x(ours.serving1, p1.batched)}, tfjs${x(ours.tfjsBatched, p1.batched)})` : ''));
  console.log(`    batch 256, 2 threads: serving ${f0(ours.serving2)}` + (p2 ? ` | PyTorch ${f0(p2.batched)} (serving${x(ours.serving2, p2.batched)})` : ''));
  console.log(`    one at a time       : serving ${f0(ours.servingSingle)} | tfjs path ${f0(ours.tfjsSingle)} (serving${x(ours.servingSingle, ours.tfjsSingle)})` +
    (p1 ? ` | PyTorch batch 1, 1 thread ${f0(p1.single)} (serving${x(ours.servingSingle, p1.single)})` : '') +
    (p2 ? `, 2 threads ${f0(p2.single)} (serving${x(ours.servingSingle, p2.single)})` : ''));
  console.log(`(c) peak RSS of training (the whole bench process up to the end of the epoch): ${ours.peakRssMb.toFixed(0)} MB (target < 1024 MB)`);
  if (!p1 && !p2 && !args.has('--no-pytorch') && !SMOKE) {
    console.log('PyTorch reference unavailable (/usr/bin/python3 without torch: apt-get install python3-torch).');
  }
}

void main();
