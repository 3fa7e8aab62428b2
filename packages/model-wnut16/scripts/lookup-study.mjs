#!/usr/bin/env node
// Dev-set study of the word lookup (how a token finds its word row, `wordLookup`) and of
// `pretrainedExtra` (how many frequent GloVe 6B words the training data lacks join the vocabulary),
// of `freezePretrained` (the word rows with a pretrained vector held fixed in training), and of
// `wordDropout` (the probability that a word seen once in training is replaced by the OOV row), of
// the learning rate (`lr`), of `dropout` (the rate of the network's dropout layers), and of `units`
// (the BiLSTM's units per direction; fewer units make serving faster).
//
//   node packages/model-wnut16/scripts/lookup-study.mjs --lookups exact,glove6b --extra 20000 --seeds 42 --jobs 2 --out study.jsonl
//   node packages/model-wnut16/scripts/lookup-study.mjs --lookups glove6b --freeze off,on --seeds 42,43 --out study.jsonl
//   node packages/model-wnut16/scripts/lookup-study.mjs --lookups glove6b --word-dropout 0.25,0 --seeds 42,43 --out study.jsonl
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
    seeds: { type: 'string', default: '42' },
    jobs: { type: 'string', default: '2' },
    epochs: { type: 'string' },
    'data-dir': { type: 'string' },
    'lexicon-dir': { type: 'string' },
    out: { type: 'string' },
    table: { type: 'string' },
    one: { type: 'string' },
  },
});

const list = (s) => s.split(',').map((x) => x.trim()).filter((x) => x !== '');
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

/** One configuration, in this process: prints `RESULT <json>`. */
async function runOne(spec) {
  const { trainTagger } = await import('@twner/tagger/train');
  const { locateDataset, readConllFile, wnut16Spec } = await import('@twner/tagger');
  const { wordLookup, pretrainedExtra, seed } = spec;
  const freezePretrained = spec.freezePretrained === true;
  const wordDropout = spec.wordDropout ?? 0.5; // (the training default)
  const dropout = spec.dropout ?? 0.5; // (the training default)
  const units = spec.units ?? 100; // (the training default)
  const lr = spec.lr ?? 0.01; // (a record or spec without lr means 0.01, the training default when the study began)
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
      ...(wordDropout !== 0.5 ? { wordDropout } : {}),
      ...(dropout !== 0.5 ? { dropout } : {}),
      ...(units !== 100 ? { units } : {}),
      lr, // always explicit: the training default has changed since the study began
      trainWithDev: false,
      ensemble: 1,
      backend: 'wasm',
      ...(values.epochs ? { epochs: Number(values.epochs) } : {}),
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
    ...(wordDropout !== 0.5 ? { wordDropout } : {}),
    ...(dropout !== 0.5 ? { dropout } : {}),
    ...(units !== 100 ? { units } : {}),
    ...(lr !== 0.01 ? { lr } : {}),
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
      `| \`${r.wordLookup}\` | ${r.pretrainedExtra} | ${r.freezePretrained ? 'held' : 'trained'} | ${r.wordDropout ?? 0.5} | ${r.dropout ?? 0.5} | ${r.units ?? 100} | ${r.lr ?? 0.01} | ${r.seed} | ${r.devF1.toFixed(4)} | ${r.bestEpoch} / ${r.epochsRun} | ` +
      `${(100 * r.devOovTokens).toFixed(1)} % | ${r.vocabSize} (${r.embeddingMB.toFixed(1)} MB) | ${(r.wallSeconds / 60).toFixed(1)} min | ${r.loadStart} → ${r.loadEnd} |`,
  );
  return [
    '| word lookup | pretrainedExtra | pretrained rows | word dropout | dropout | units | lr | seed | dev F1 | best epoch / run | dev tokens on the OOV row | vocabulary (embedding) | wall | load average (1, 5, 15 min) start → end |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

const key = (r) => `${r.wordLookup} ${r.pretrainedExtra}${r.freezePretrained ? ' held' : ''}${(r.wordDropout ?? 0.5) !== 0.5 ? ` wd${r.wordDropout}` : ''}${(r.dropout ?? 0.5) !== 0.5 ? ` do${r.dropout}` : ''}${(r.units ?? 100) !== 100 ? ` u${r.units}` : ''}${(r.lr ?? 0.01) !== 0.01 ? ` lr${r.lr}` : ''} ${r.seed}`;

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
  const specs = [];
  for (const seed of list(values.seeds).map(Number)) {
    for (const pretrainedExtra of list(values.extra).map(Number)) {
      for (const freeze of list(values.freeze)) {
        if (freeze !== 'on' && freeze !== 'off') throw new Error(`--freeze takes on and/or off, got ${freeze}`);
        for (const wd of list(values['word-dropout']).map(Number)) {
          if (!(wd >= 0 && wd < 1)) throw new Error(`--word-dropout takes probabilities in [0, 1), got ${wd}`);
          for (const lr of list(values.lr).map(Number)) {
            if (!(lr > 0)) throw new Error(`--lr takes positive numbers, got ${lr}`);
            for (const dropout of list(values.dropout).map(Number)) {
              if (!(dropout >= 0 && dropout < 1)) throw new Error(`--dropout takes probabilities in [0, 1), got ${dropout}`);
              for (const units of list(values.units).map(Number)) {
                if (!(Number.isInteger(units) && units >= 1)) throw new Error(`--units takes positive integers, got ${units}`);
                for (const wordLookup of list(values.lookups)) {
                  specs.push({ wordLookup, pretrainedExtra, seed, ...(freeze === 'on' ? { freezePretrained: true } : {}), ...(wd !== 0.5 ? { wordDropout: wd } : {}), ...(dropout !== 0.5 ? { dropout } : {}), ...(units !== 100 ? { units } : {}), ...(lr !== 0.01 ? { lr } : {}) });
                }
              }
            }
          }
        }
      }
    }
  }
  const todo = specs.filter((s) => !done.has(key(s)));
  const results = specs.filter((s) => done.has(key(s))).map((s) => done.get(key(s)));
  const script = fileURLToPath(import.meta.url);
  const passOn = ['data-dir', 'lexicon-dir', 'epochs'].flatMap((k) => (values[k] ? [`--${k}`, values[k]] : []));
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
