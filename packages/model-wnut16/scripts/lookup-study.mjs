#!/usr/bin/env node
// Dev-set study of the word lookup (how a token finds its word row, `wordLookup`) and of
// `pretrainedExtra` (how many frequent GloVe 6B words the training data lacks join the vocabulary),
// of `freezePretrained` (the word rows with a pretrained vector held fixed in training), and of
// `wordDropout` (the probability that a word seen once in training is replaced by the OOV row), of
// the learning rate (`lr`), of `dropout` (the rate of the network's dropout layers), of `units`
// (the BiLSTM's units per direction; fewer units make serving faster), of `batchSize`, of `ema`
// (the decay of the weights' moving average, which is what is scored and saved), of `epochs`
// (the most epochs a run may take), of AdamW's decoupled weight decay (`--adamw-decay`, 0 = Adam), of
// global-norm gradient clipping (`--clip-norm`, 0 = off) and of variational dropout (`--variational-dropout 1`).
//
//   node packages/model-wnut16/scripts/lookup-study.mjs --lookups exact,glove6b --extra 20000 --seeds 42 --jobs 2 --out study.jsonl
//   node packages/model-wnut16/scripts/lookup-study.mjs --lookups glove6b --freeze off,on --seeds 42,43 --out study.jsonl
//   node packages/model-wnut16/scripts/lookup-study.mjs --lookups glove6b --word-dropout 0.25,0 --seeds 42,43 --out study.jsonl
//   node packages/model-wnut16/scripts/lookup-study.mjs --lookups glove6b --batch-size 16,64 --seeds 42,43 --out study.jsonl
//   node packages/model-wnut16/scripts/lookup-study.mjs --table study.jsonl    # the markdown table of saved results
//
// Each configuration is one model (no ensemble) trained on train.conll only, early-stopped on
// dev.conll (the default char-gazetteer architecture and options otherwise, wasm backend, the
// given seed), run in a child process, `--jobs` at a time (one core each). The figure is dev
// entity micro-F1 (seqeval default) at the best epoch: the selection run of `twner run`, without
// the refit on train + dev. test.conll is never read. Results already in `--out` are skipped, so an
// interrupted study resumes. Data and gazetteers are found as everywhere in twner: `--data-dir` /
// `$TWNER_DATA_DIR` / `../shared/data/wnut16` / the cache, and `--lexicon-dir` / `$TWNER_LEXICON_DIR` / ….
// Build first: pnpm --filter @twner/embeddings-glove build && pnpm --filter @twner/tagger build.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    lookups: { type: 'string', default: 'exact,glove6b,glove6b-keep-hashtags,glove6b-keep-specials' },
    extra: { type: 'string', default: '20000' },
    freeze: { type: 'string', default: 'off' },
    'word-dropout': { type: 'string', default: '0.5' },
    dropout: { type: 'string', default: '0.5' },
    units: { type: 'string', default: '100' },
    lr: { type: 'string', default: '0.005' }, // (the training default since 2026-12-04; records without lr were run at 0.01)
    'batch-size': { type: 'string', default: '64' }, // (the training default since 2026-12-05; records without it were run at 32)
    ema: { type: 'string', default: '0.995' },
    seeds: { type: 'string', default: '42' },
    jobs: { type: 'string', default: '2' },
    epochs: { type: 'string', default: '30' }, // (the training default since 2026-12-05; records without it were run at 20)
    'adamw-decay': { type: 'string', default: '0' },
    'clip-norm': { type: 'string', default: '0' },
    'variational-dropout': { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    'lexicon-dir': { type: 'string' },
    out: { type: 'string' },
    table: { type: 'string' },
    one: { type: 'string' },
  },
});

const list = (s) => s.split(',').map((x) => x.trim()).filter((x) => x !== '');

// The numeric settings a study varies, in the order of a record's key: the training option, its flag,
// the value a record or spec without it means (the training default; for lr, the default when the
// study began), its mark in the key, and the values it takes. Records and specs leave a setting out
// at that value, so that the records of earlier studies keep their keys.
const probability = { ok: (x) => x >= 0 && x < 1, what: 'probabilities in [0, 1)' };
const positiveInteger = { ok: (x) => Number.isInteger(x) && x >= 1, what: 'positive integers' };
const DIMS = [
  { name: 'wordDropout', flag: 'word-dropout', unset: 0.5, mark: 'wd', ...probability },
  { name: 'dropout', flag: 'dropout', unset: 0.5, mark: 'do', ...probability },
  { name: 'units', flag: 'units', unset: 100, mark: 'u', ...positiveInteger },
  { name: 'lr', flag: 'lr', unset: 0.01, mark: 'lr', ok: (x) => x > 0, what: 'positive numbers' },
  { name: 'batchSize', flag: 'batch-size', unset: 32, mark: 'bs', ...positiveInteger },
  { name: 'ema', flag: 'ema', unset: 0.995, mark: 'ema', ...probability },
  { name: 'epochs', flag: 'epochs', unset: 20, mark: 'ep', ...positiveInteger }, // (the most epochs a run may take)
  // AdamW's decoupled weight decay: a value above 0 trains with optimizer 'adamw' and that decay, 0 with Adam (the default)
  { name: 'adamwDecay', flag: 'adamw-decay', unset: 0, mark: 'adamw', ...probability },
  // global-norm gradient clipping (`clipNorm`; 0 = off, the default)
  { name: 'clipNorm', flag: 'clip-norm', unset: 0, mark: 'clip', ok: (x) => x >= 0 && Number.isFinite(x), what: 'numbers ≥ 0' },
  // one dropout mask per sentence (`variationalDropout`): 1 = on, 0 = off (the default)
  { name: 'variationalDropout', flag: 'variational-dropout', unset: 0, mark: 'vd', ok: (x) => x === 0 || x === 1, what: '0 (off) or 1 (on)' },
];
const dimValue = (r, d) => r[d.name] ?? d.unset;
/** The settings of `r` that differ from the values a record leaves out. */
const setDims = (r) => Object.fromEntries(DIMS.filter((d) => dimValue(r, d) !== d.unset).map((d) => [d.name, r[d.name]]));
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

/** One configuration, in this process: prints `RESULT <json>`. */
async function runOne(spec) {
  const { trainTagger } = await import('@twner/tagger/train');
  const { locateDataset, readConllFile, wnut16Spec } = await import('@twner/tagger');
  const { wordLookup, pretrainedExtra, seed } = spec;
  const freezePretrained = spec.freezePretrained === true;
  const found = await locateDataset(wnut16Spec(), { dir: values['data-dir'] });
  // train and dev only: this study never reads the test split.
  const [train, dev] = await Promise.all(['train', 'dev'].map((name) => readConllFile(join(found.dir, `${name}.conll`))));
  const loadStart = load();
  const t0 = performance.now();
  const trained = await trainTagger(
    { train, dev },
    {
      seed,
      wordLookup,
      pretrainedExtra,
      ...(freezePretrained ? { freezePretrained } : {}),
      // Every setting explicit: the training defaults of some have changed since the study began.
      ...Object.fromEntries(DIMS.filter((d) => d.name !== 'adamwDecay' && d.name !== 'variationalDropout').map((d) => [d.name, dimValue(spec, d)])),
      variationalDropout: dimValue(spec, { name: 'variationalDropout', unset: 0 }) === 1,
      ...(dimValue(spec, { name: 'adamwDecay', unset: 0 }) > 0 ? { optimizer: 'adamw', weightDecay: spec.adamwDecay } : { optimizer: 'adam' }),
      trainWithDev: false,
      ensemble: 1,
      backend: 'wasm',
      ...(values['lexicon-dir'] ? { lexiconDir: values['lexicon-dir'] } : {}),
    },
    { log: (line) => process.stderr.write(`[${key(spec)}] ${line}\n`) },
  );
  const seconds = (performance.now() - t0) / 1000;
  const s = trained.selection;
  // Dev tokens that fall on the OOV row (id 1) under this lookup and vocabulary.
  const { encodeAll } = await import('@twner/tagger/train');
  const encoded = encodeAll(trained.encoder, dev.map((x) => ({ tokens: x.tokens, tags: [] })));
  let tokens = 0;
  let oov = 0;
  for (const e of encoded) for (const w of e.words) {
    tokens++;
    if (w === 1) oov++;
  }
  const result = {
    wordLookup: trained.encoder.wordLookup,
    pretrainedExtra,
    ...(freezePretrained ? { freezePretrained } : {}),
    ...setDims(spec),
    seed,
    devF1: s.bestDevF1,
    bestEpoch: s.bestEpoch,
    epochsRun: s.history.length,
    devF1ByEpoch: s.history.map((h) => Number(h.devF1.toFixed(4))),
    devOovTokens: oov / tokens,
    vocabSize: trained.vocab.size,
    embeddingMB: (trained.vocab.size * trained.modelConfig.embeddingDim * 4) / 1e6,
    wallSeconds: seconds,
    loadStart,
    loadEnd: load(),
    data: found.source,
  };
  trained.dispose();
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

function table(results) {
  const rows = results.map(
    (r) =>
      `| \`${r.wordLookup}\` | ${r.pretrainedExtra} | ${r.freezePretrained ? 'held' : 'trained'} | ${DIMS.map((d) => dimValue(r, d)).join(' | ')} | ${r.seed} | ${r.devF1.toFixed(4)} | ${r.bestEpoch} / ${r.epochsRun} | ` +
      `${(100 * r.devOovTokens).toFixed(1)} % | ${r.vocabSize} (${r.embeddingMB.toFixed(1)} MB) | ${(r.wallSeconds / 60).toFixed(1)} min | ${r.loadStart} → ${r.loadEnd} |`,
  );
  return [
    '| word lookup | pretrainedExtra | pretrained rows | word dropout | dropout | units | lr | batch size | ema | epoch limit | AdamW decay | clip norm | variational dropout | seed | dev F1 | best epoch / run | dev tokens on the OOV row | vocabulary (embedding) | wall | load average (1, 5, 15 min) start → end |',
    `|${' --- |'.repeat(20)}`,
    ...rows,
  ].join('\n');
}

const key = (r) =>
  `${r.wordLookup} ${r.pretrainedExtra}${r.freezePretrained ? ' held' : ''}${DIMS.map((d) => (dimValue(r, d) !== d.unset ? ` ${d.mark}${r[d.name]}` : '')).join('')} ${r.seed}`;

if (values.one) {
  await runOne(JSON.parse(values.one));
} else if (values.table) {
  const results = readFileSync(values.table, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
  console.log(table(results));
} else {
  const done = new Map();
  if (values.out && existsSync(values.out)) {
    for (const line of readFileSync(values.out, 'utf8').split('\n')) if (line.trim() !== '') done.set(key(JSON.parse(line)), JSON.parse(line));
  }
  const numbers = (d) =>
    list(values[d.flag]).map((text) => {
      const x = Number(text);
      if (!d.ok(x)) throw new Error(`--${d.flag} takes ${d.what}, got ${text}`);
      return x;
    });
  for (const freeze of list(values.freeze)) if (freeze !== 'on' && freeze !== 'off') throw new Error(`--freeze takes on and/or off, got ${freeze}`);
  // Every combination: seeds outermost, then the vocabulary settings, the numeric ones, the lookups.
  let specs = [{}];
  const times = (name, xs) => (specs = specs.flatMap((spec) => xs.map((x) => ({ ...spec, [name]: x }))));
  times('seed', list(values.seeds).map(Number));
  times('pretrainedExtra', list(values.extra).map(Number));
  times('freezePretrained', list(values.freeze).map((f) => f === 'on'));
  for (const d of DIMS) times(d.name, numbers(d));
  times('wordLookup', list(values.lookups));
  specs = specs.map(({ wordLookup, pretrainedExtra, seed, freezePretrained, ...rest }) => ({
    wordLookup,
    pretrainedExtra,
    seed,
    ...(freezePretrained ? { freezePretrained } : {}),
    ...setDims(rest),
  }));
  const todo = specs.filter((s) => !done.has(key(s)));
  const results = specs.filter((s) => done.has(key(s))).map((s) => done.get(key(s)));
  const script = fileURLToPath(import.meta.url);
  const passOn = ['data-dir', 'lexicon-dir'].flatMap((k) => (values[k] ? [`--${k}`, values[k]] : []));
  const runChild = (spec) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [script, '--one', JSON.stringify(spec), ...passOn], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('error', reject);
      child.on('close', (code) => {
        const line = out.split('\n').find((l) => l.startsWith('RESULT '));
        if (code !== 0 || !line) return reject(new Error(`${key(spec)}: exit ${code}`));
        const result = JSON.parse(line.slice('RESULT '.length));
        if (values.out) appendFileSync(values.out, `${JSON.stringify(result)}\n`);
        console.log(`done ${key(spec)}: dev F1 ${result.devF1.toFixed(4)} at epoch ${result.bestEpoch}, ${(result.wallSeconds / 60).toFixed(1)} min`);
        resolve(result);
      });
    });
  const queue = [...todo];
  const workers = Array.from({ length: Math.max(1, Number(values.jobs)) }, async () => {
    while (queue.length > 0) results.push(await runChild(queue.shift()));
  });
  await Promise.all(workers);
  const order = new Map(specs.map((s, i) => [key(s), i]));
  results.sort((a, b) => order.get(key(a)) - order.get(key(b)));
  console.log(table(results));
}
