#!/usr/bin/env node
// Dev-set study of a penalty on the O tag at decoding (Minkov et al. 2006, "NER Systems that Suit
// User's Preferences: Adjusting the Recall-Precision Trade-off for Entity Extraction"): p taken off
// the O emission of every token makes Viterbi prefer entities (p > 0: recall up, precision down).
// It is folded into the CRF (p off start[O] and off every transition into O), which changes every
// path's score exactly as the emissions would, and tried at −1 … 3 in steps of 0.25.
//
//   twner run --no-train-with-dev --seed 42 --no-eda --out runs/train-only-42
//   node packages/model-wnut16/scripts/o-penalty-study.mjs runs/train-only-42
//
// The model must be trained on train only (a `--no-train-with-dev` run: its selection model), so
// that dev is unseen by its weights; a refit on train + dev is refused. Only dev.conll is read,
// never test.conll. Data and gazetteers are found as everywhere in twner (`--data-dir` /
// `$TWNER_DATA_DIR` / ../shared/data/wnut16 / the cache; `$TWNER_LEXICON_DIR` / …).
// Build first: pnpm run build.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { allowedTransitions, CRFDecoder } from '@twner/crf';
import { precisionRecallFscoreSupport } from '@twner/metrics-seqeval';
import { loadTagger, locateDataset, openRunFolder, readConllFile, TaggerError, wnut16Spec } from '@twner/tagger';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'data-dir': { type: 'string' } } });
if (positionals.length !== 1) {
  console.error('usage: o-penalty-study.mjs <run folder of a --no-train-with-dev run> [--data-dir <dir>]');
  process.exit(2);
}
const dir = positionals[0];
// config.json and the CRF, checked as every twner command checks a run folder (a clear error, exit 2, for a bad one)
const folder = await openRunFolder(dir).catch((error) => {
  if (!(error instanceof TaggerError)) throw error;
  console.error(`o-penalty-study: ${error.message}`);
  process.exit(error.exitCode);
});
const { config } = folder;
if (config.training?.trainWithDev !== false || folder.crfs.length !== 1) {
  console.error(`${dir}: this model was refit on train + dev (config.json "training.trainWithDev" is not false), so dev cannot judge it; train one with --no-train-with-dev`);
  process.exit(2);
}
const found = await locateDataset(wnut16Spec(), { dir: values['data-dir'] });
const dev = await readConllFile(join(found.dir, 'dev.conll'));
const tagger = await loadTagger(dir);
const labels = [...tagger.labels];
const emissions = tagger.engine.emissions(dev.map((s) => s.tokens));
await tagger.dispose();
const crf = folder.crfs[0];
const K = labels.length;
const O = labels.indexOf('O');
const constraints = config.constrained ? allowedTransitions(labels, 'IOB2') : undefined;
const gold = dev.map((s) => s.tags);
console.log(`${dir}: dev ${dev.length} tweets (${found.dir})`);
console.log('| O penalty | dev precision | dev recall | dev F1 |');
console.log('| --- | --- | --- | --- |');
for (let i = 0; i <= 16; i++) {
  const p = -1 + i * 0.25;
  const transitions = Float32Array.from(crf.transitions.flatMap((row) => row.map((v, j) => (j === O ? v - p : v))));
  const start = Float32Array.from(crf.start, (v, j) => (j === O ? v - p : v));
  const decoder = new CRFDecoder({ transitions, startTransitions: start, endTransitions: Float32Array.from(crf.end), constraints }, K);
  const pred = dev.map((s, k) => Array.from(decoder.decode(emissions[k], s.tokens.length).path, (t) => labels[t]));
  const r = precisionRecallFscoreSupport(gold, pred, { average: 'micro', zeroDivision: 0 });
  console.log(`| ${p === 0 ? '**0** (none)' : p} | ${r.precision.toFixed(4)} | ${r.recall.toFixed(4)} | ${r.fScore.toFixed(4)} |`);
}
