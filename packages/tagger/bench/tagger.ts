/**
 * `pnpm --filter @twner/tagger bench:tagger` (`tsx bench/tagger.ts`): the shipped default model
 * (`@twner/model-wnut16`, every member of its ensemble) from raw tweet text to entities
 * (tokenizer, casing/gazetteer features, char CNN, BiLSTM, emissions, CRF Viterbi, span scores),
 * over the 3,850 WNUT16 test tweets as plain text, in one process:
 *
 *   1. start-up: `loadTagger()` (model, vocabulary, 594,877 gazetteer phrases), here under tsx and
 *      in the serving processes below (plain node on dist/, as users run it);
 *   2. the serving engine at batch 256 with 1 and 2 threads, tweets/s, and with 1 thread and
 *      float32 LSTM products (what its default int16 products buy); the first member of the
 *      ensemble alone (`members: 1`) against the whole, with 1 and 2 threads;
 *   3. one tweet at a time (1 thread; 2 threads: one member of the ensemble on each): tweets/s
 *      and p50/p99 latency;
 *   4. the tfjs path (`loadTaggerTfjs`, wasm backend) at batch 256, on the first 500 tweets;
 *   5. the notebook-architecture engine (`--arch notebook`, random weights: speed does not
 *      depend on their values) at batch 256;
 *
 * each engine timed after four untimed passes (`WARM`: a fresh engine is slower at first),
 * printed as tweets/s and as ratios to the tfjs path, with the peak RSS of a serving process
 * (a child that loads the model and tags the tweets, 1 and 2 threads). The targets of the serving issue on a 2-core machine are printed next to them.
 * TWNER_BENCH_SMOKE=1 (CI): 64 tweets, one repetition of each part; figures not meaningful.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConll } from '../src/data/sentences';
import { interleavedRates, load, machine, median, rate, reps, SMOKE } from './measure';

const rssMb = (): number => process.memoryUsage().rss / 2 ** 20;
const SHARED = process.env.TWNER_SHARED_DIR ?? fileURLToPath(new URL('../../../../shared/', import.meta.url));

/** The test tweets as text (tokens joined by spaces), from `$TWNER_DATA_DIR` or ../shared. */
function testTweets(): string[] {
  const file = join(process.env.TWNER_DATA_DIR ?? join(SHARED, 'data/wnut16'), 'test.conll');
  return parseConll(readFileSync(file, 'utf8'), file).map((s) => s.tokens.join(' '));
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Tagging {
  tagBatch(texts: readonly string[]): unknown;
  tag(text: string): unknown;
  dispose(): Promise<void>;
}

const batched = (tagger: Tagging, tweets: readonly string[]) => (): void => {
  for (let i = 0; i < tweets.length; i += 256) tagger.tagBatch(tweets.slice(i, i + 256));
};

const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/**
 * Untimed passes over the test tweets before an engine is timed at batch 256 (1 in smoke mode).
 * A fresh engine speeds up over its first passes, as V8 tiers up the hot WebAssembly and
 * JavaScript (in the worker thread too) and the row table fills: passes of a fresh 2-thread
 * engine on the 2-vCPU AMD EPYC VM measured 3,400, 5,400–5,800, 5,300–6,000, 5,800–6,400, then
 * 5,900–6,700 tweets/s. A service tags millions of tweets; its steady speed is what is timed.
 */
const WARM = SMOKE ? 1 : 4;

/**
 * Peak RSS (MB) of processes of their own that load the default model with `threads` and tag the
 * tweets at batch 256 (with `vocabulary`, first every vocabulary word): what a serving process
 * holds, nothing else of this bench's in it. They run the built package (`dist/`, as users run
 * it: plain `node`, no TypeScript loader, which alone adds about 25 MB). The peak varies by ±30 MB
 * from run to run of the same command (where garbage collections fall), so this gives the median
 * and range of `runs`.
 */
function servingRss(modelDir: string, threads: 1 | 2, vocabulary = false, runs = reps(3)): { median: number; text: string; startup: string } {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: build the package first (pnpm --filter @twner/tagger build)`);
  const argv = ['--input-type=module', '-e', RSS_CHILD, DIST, modelDir, String(threads), SMOKE ? '64' : '0', vocabulary ? 'vocabulary' : 'test'];
  const env = { ...process.env, TWNER_DATA_DIR: process.env.TWNER_DATA_DIR ?? join(SHARED, 'data/wnut16') };
  const loads: number[] = [];
  const readies: number[] = [];
  const mbs = Array.from({ length: runs }, () => {
    const r = spawnSync(process.execPath, argv, { encoding: 'utf8', env });
    const lines = r.stdout.split('\n');
    const line = lines.find((l) => l.startsWith('RSS '));
    const startup = lines.find((l) => l.startsWith('STARTUP '));
    if (r.status !== 0 || line === undefined || startup === undefined) throw new Error(`RSS child failed (${r.status}): ${r.stderr.slice(-400)}`);
    const [load, ready] = startup.slice(8).split(' ').map(Number);
    loads.push(load);
    readies.push(ready);
    return Number(line.slice(4));
  }).sort((a, b) => a - b);
  const mb = median(mbs);
  const text = runs > 1 ? `${mb.toFixed(0)} MB (${mbs[0].toFixed(0)}–${mbs[mbs.length - 1].toFixed(0)})` : `${mb.toFixed(0)} MB`;
  return { median: mb, text, startup: `${(median(loads) / 1000).toFixed(2)} s (${(median(readies) / 1000).toFixed(2)} s from the process's start)` };
}

/**
 * The RSS child on the built package: argv = dist entry, model folder, threads, tweets (0: all),
 * and what to tag: the test tweets, or (vocabulary) first every word of the model's vocabulary
 * once, 16 to a tweet, then once more capitalised, then the test tweets — what a long-running
 * service meets.
 */
const RSS_CHILD = `
const [dist, modelDir, threads, limit, what] = process.argv.slice(1);
const { loadTagger, parseConll } = await import(dist);
const { readFileSync } = await import('node:fs');
const { join } = await import('node:path');
const file = join(process.env.TWNER_DATA_DIR, 'test.conll');
let tweets = parseConll(readFileSync(file, 'utf8'), file).map((s) => s.tokens.join(' '));
if (what === 'vocabulary') {
  const words = JSON.parse(readFileSync(join(modelDir, 'model', 'vocab.json'), 'utf8')).tokens.filter((w) => !w.startsWith('<'));
  const stream = [];
  for (const f of [(w) => w, (w) => w[0].toUpperCase() + w.slice(1)]) for (let i = 0; i < words.length; i += 16) stream.push(words.slice(i, i + 16).map(f).join(' '));
  tweets = [...stream, ...tweets];
}
if (Number(limit) > 0) tweets = tweets.slice(0, Number(limit));
const t0 = performance.now();
const tagger = await loadTagger(modelDir, { threads: Number(threads) });
// loadTagger's time, and the time from the process's start to a ready tagger (node's own start included)
console.log('STARTUP ' + (performance.now() - t0).toFixed(0) + ' ' + performance.now().toFixed(0));
for (let i = 0; i < tweets.length; i += 256) tagger.tagBatch(tweets.slice(i, i + 256));
await tagger.dispose();
console.log('RSS ' + (process.resourceUsage().maxRSS / 1024).toFixed(0));
`;

async function main(): Promise<void> {
  process.env.TWNER_LEXICON_DIR ??= join(SHARED, 'data/wnut16-lexicon');
  let tweets = testTweets();
  if (SMOKE) tweets = tweets.slice(0, 64);
  console.log(`Machine: ${machine()}; load average ${load()} (1, 5, 15 min)`);
  console.log(`Default model, raw text → entities, ${tweets.length} WNUT16 test tweets.`);

  const { loadTagger } = await import('../src/index');
  // The installed default model package (what `loadTagger()` with no argument finds).
  const modelDir = dirname(createRequire(import.meta.url).resolve('@twner/model-wnut16/package.json'));
  const t0 = performance.now();
  const one = await loadTagger(modelDir, { threads: 1 });
  const startup = (performance.now() - t0) / 1000;
  console.log(`1. start-up (loadTagger, model + vocabulary + gazetteer): ${startup.toFixed(2)} s; RSS ${rssMb().toFixed(0)} MB — ${one.engine.description}`);

  // What the 16-bit products buy: the same engine with float32 products, timed in turns with it.
  const exact = await loadTagger(modelDir, { threads: 1, precision: 'float32' });
  const [s1, sf] = interleavedRates(tweets.length, [batched(one, tweets), batched(exact, tweets)], reps(5), WARM);
  await exact.dispose();
  console.log(`2. serving, batch 256, 1 thread: ${s1.toFixed(0)} tweets/s (load ${load()})`);
  console.log(`   serving, batch 256, 1 thread, float32 LSTM products: ${sf.toFixed(0)} tweets/s (int16 products: ${(s1 / sf).toFixed(2)}×; the two timed in turns)`);
  // What the ensemble's second member costs: its first member alone, timed in turns with the whole.
  const firstMember = async (threads: 1 | 2, whole: Tagging): Promise<string> => {
    const first = await loadTagger(modelDir, { threads, members: 1 });
    const [e, m] = interleavedRates(tweets.length, [batched(whole, tweets), batched(first, tweets)], reps(5), WARM);
    await first.dispose();
    return `   serving, batch 256, ${threads} thread(s), the first member alone (members: 1; test F1 0.4555 against the ensemble's 0.4696): ${m.toFixed(0)} tweets/s, ${(m / e).toFixed(2)}× the ensemble's ${e.toFixed(0)} timed in turns with it`;
  };
  console.log(await firstMember(1, one));
  /** Tweets/s tagging one tweet per call, and the sorted latencies of the last repetition. */
  const oneAtATime = (tagger: Tagging): { rate: number; latencies: number[] } => {
    const latencies: number[] = [];
    const r = rate(tweets.length, () => {
      latencies.length = 0;
      for (const t of tweets) {
        const a = performance.now();
        tagger.tag(t);
        latencies.push(performance.now() - a);
      }
    }, reps(1));
    return { rate: r, latencies: latencies.sort((a, b) => a - b) };
  };
  const single = oneAtATime(one);
  await one.dispose();
  const two = await loadTagger(modelDir, { threads: 2 });
  const s2 = rate(tweets.length, batched(two, tweets), reps(3), WARM);
  console.log(`   serving, batch 256, 2 threads: ${s2.toFixed(0)} tweets/s (load ${load()})`);
  console.log(await firstMember(2, two));
  // With 2 threads a lone tweet runs one member of the ensemble on each thread.
  const single2 = oneAtATime(two);
  await two.dispose();
  const lat = (x: { latencies: number[] }): string => `p50 ${percentile(x.latencies, 50).toFixed(3)} ms, p99 ${percentile(x.latencies, 99).toFixed(3)} ms`;
  console.log(`3. one tweet at a time, 1 thread: ${single.rate.toFixed(0)} tweets/s, latency ${lat(single)}`);
  console.log(`   one tweet at a time, 2 threads: ${single2.rate.toFixed(0)} tweets/s, latency ${lat(single2)} (load ${load()})`);
  const rss1 = servingRss(modelDir, 1);
  const rss2 = servingRss(modelDir, 2);
  console.log(`   serving peak RSS, a process (node, dist/) that loads the model and tags the tweets, median of ${reps(3)}: ${rss1.text} (1 thread), ${rss2.text} (2 threads)`);
  console.log(`   start-up in those processes (loadTagger, 1 thread, median): ${rss1.startup}`);
  const [long1, long2] = [servingRss(modelDir, 1, true), servingRss(modelDir, 2, true)];
  console.log(`   the same after text with every vocabulary word (as a long-running service meets them): ${long1.text} (1 thread), ${long2.text} (2 threads)`);

  // The tfjs path and the notebook engine: tfjs is loaded only now, so the figures above are the serving process's own.
  const { loadTaggerTfjs, buildEmissionModel, createCrfParams, saveBundle, selectBackend } = await import('../src/train');
  await selectBackend('auto');
  const { TokenVocabulary } = await import('@twner/conll');
  const few = tweets.slice(0, SMOKE ? 16 : 500);
  const tfjs = await loadTaggerTfjs(modelDir, {});
  const tf1 = rate(few.length, batched(tfjs, few), 1, WARM);
  await tfjs.dispose();
  console.log(`4. tfjs path (${tfjs.engine.description}), batch 256, first ${few.length} tweets: ${tf1.toFixed(0)} tweets/s (load ${load()})`);

  const vocab = TokenVocabulary.build(tweets.map((t) => t.split(' ')));
  const labels = [...one.labels];
  const config = {
    arch: 'notebook' as const, vocabSize: vocab.size, embeddingDim: 200, charVocabSize: 0, charDim: 0, charFilters: 0, charKernel: 1,
    maxChars: 1, featureDim: 0, units: 50, layers: 2, dropout: 0, denseUnits: 25, numTags: labels.length, seed: 1, fused: true,
    recurrentActivation: 'sigmoid' as const,
  };
  const dir = mkdtempSync(join(tmpdir(), 'twner-bench-notebook-'));
  const model = buildEmissionModel(config);
  await saveBundle(dir, { model, crf: createCrfParams(labels.length, 1), vocab, chars: null, config: { model: config, labels, constrained: true, useCasing: false, gazetteerLists: [] } });
  model.dispose();
  const notebook = await loadTagger(dir, { threads: 1 });
  const nb = rate(tweets.length, batched(notebook, tweets), reps(3), WARM);
  await notebook.dispose();
  rmSync(dir, { recursive: true, force: true });
  console.log(`5. notebook-architecture engine (random weights), batch 256, 1 thread: ${nb.toFixed(0)} tweets/s`);

  const row = (name: string, v: number, target: string): string => `  ${name.padEnd(34)} ${v.toFixed(0).padStart(7)} tweets/s  ${(v / tf1).toFixed(1).padStart(6)}× tfjs   ${target}`;
  console.log('\nSummary (default model, raw text → entities):');
  console.log(row('serving, batch 256, 2 threads', s2, 'target ≥ 6,000 (moonshot 12,000), ≥ 30× tfjs'));
  console.log(row('serving, batch 256, 1 thread', s1, ''));
  console.log(row('  the same, float32 LSTM products', sf, `(int16 products: ${(s1 / sf).toFixed(2)}×)`));
  console.log(row('one at a time, 2 threads', single2.rate, `target ≥ 3,000, p99 < 1 ms (p99 ${percentile(single2.latencies, 99).toFixed(2)} ms)`));
  console.log(row('one at a time, 1 thread', single.rate, `(p99 ${percentile(single.latencies, 99).toFixed(2)} ms)`));
  console.log(row('tfjs path, batch 256', tf1, ''));
  console.log(row('notebook engine, batch 256', nb, ''));
  console.log(`  start-up ${rss1.startup} as users run it (plain node, dist/; here under tsx ${startup.toFixed(2)} s) (target < 1.5 s); serving peak RSS ${rss1.text}, ${rss2.text} with 2 threads (target < 300 MB); after every vocabulary word ${long1.text} / ${long2.text}`);
  if (SMOKE) console.log('(smoke mode: 64 tweets, one repetition; the figures mean nothing)');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
