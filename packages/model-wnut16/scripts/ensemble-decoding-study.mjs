#!/usr/bin/env node
// Dev-set study of how an ensemble's members are combined at decoding. twner tags with the mean of
// the members' emissions and CRF scores, then Viterbi: the path of the (unnormalised) geometric mean
// of the members' path distributions. The alternative tried here averages each member's posterior
// tag marginals (forward-backward) and takes the allowed path with the largest sum of log mean
// marginals; each member alone is scored both ways too (Viterbi and that max-marginal path).
//
//   twner run --no-train-with-dev --seed 42 --no-eda --out runs/train-only-42
//   twner run --no-train-with-dev --seed 43 --no-eda --out runs/train-only-43
//   node packages/model-wnut16/scripts/ensemble-decoding-study.mjs runs/train-only-42 runs/train-only-43
//
// The models must be trained on train only (`--no-train-with-dev`), so that dev is unseen by their
// weights; a refit on train + dev is refused. Only dev.conll is read, never test.conll. Data and
// gazetteers are found as everywhere in twner (`--data-dir` / `$TWNER_DATA_DIR` / ../shared/data/wnut16 /
// the cache; `$TWNER_LEXICON_DIR` / …). Build first: pnpm run build.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { allowedTransitions, CRFDecoder } from '@twner/crf';
import { precisionRecallFscoreSupport } from '@twner/metrics-seqeval';
import { loadTagger, locateDataset, openRunFolder, readConllFile, TaggerError, wnut16Spec } from '@twner/tagger';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'data-dir': { type: 'string' } } });
if (positionals.length < 2) {
  console.error('usage: ensemble-decoding-study.mjs <run folder of a --no-train-with-dev run> <another> [...] [--data-dir <dir>]');
  process.exit(2);
}
const found = await locateDataset(wnut16Spec(), { dir: values['data-dir'] });
const dev = await readConllFile(join(found.dir, 'dev.conll'));
const gold = dev.map((s) => s.tags);
const members = [];
let labels;
let constraints;
for (const dir of positionals) {
  const folder = await openRunFolder(dir).catch((error) => {
    if (!(error instanceof TaggerError)) throw error;
    console.error(`ensemble-decoding-study: ${error.message}`);
    process.exit(error.exitCode);
  });
  if (folder.config.training?.trainWithDev !== false || folder.crfs.length !== 1) {
    console.error(`${dir}: this model was refit on train + dev (config.json "training.trainWithDev" is not false), so dev cannot judge it; train one with --no-train-with-dev`);
    process.exit(2);
  }
  const tagger = await loadTagger(dir);
  if (labels !== undefined && tagger.labels.join() !== labels.join()) {
    console.error(`${dir}: its labels differ from ${positionals[0]}'s`);
    process.exit(2);
  }
  labels = [...tagger.labels];
  constraints = folder.config.constrained ? allowedTransitions(labels, 'IOB2') : undefined;
  members.push({ dir, emissions: tagger.engine.emissions(dev.map((s) => s.tokens)), crf: folder.crfs[0] });
  await tagger.dispose();
}
const K = labels.length;
const NEG = -1e4; // the CRF's score of a forbidden move (@twner/crf's DEFAULT_PENALTY)
const allowed = (table, i, j) => !constraints || (j === undefined ? constraints[table][i] : constraints[table][i][j]);

const scored = (pred) => {
  const r = precisionRecallFscoreSupport(gold, pred, { average: 'micro', zeroDivision: 0 });
  return `| ${r.precision.toFixed(4)} | ${r.recall.toFixed(4)} | ${r.fScore.toFixed(4)} |`;
};
const decoderOf = (crf) =>
  new CRFDecoder({ transitions: Float32Array.from(crf.transitions.flat()), startTransitions: Float32Array.from(crf.start), endTransitions: Float32Array.from(crf.end), constraints }, K);
const viterbiTags = (decoder, e, L) => Array.from(decoder.decode(e, L).path, (t) => labels[t]);

function logSumExp(xs) {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  let s = 0;
  for (const x of xs) s += Math.exp(x - m);
  return m + Math.log(s);
}

/** P(tag_t = k | sentence) for one member, by forward-backward in float64: [L][K]. */
function marginals(e, L, crf) {
  const T = (i, j) => crf.transitions[i][j] + (allowed('transitions', i, j) ? 0 : NEG);
  const S = (j) => crf.start[j] + (allowed('start', j) ? 0 : NEG);
  const E = (i) => crf.end[i] + (allowed('end', i) ? 0 : NEG);
  const alpha = [Array.from({ length: K }, (_, j) => S(j) + e[j])];
  for (let t = 1; t < L; t++) alpha[t] = Array.from({ length: K }, (_, j) => logSumExp(alpha[t - 1].map((a, i) => a + T(i, j))) + e[t * K + j]);
  const beta = [];
  beta[L - 1] = Array.from({ length: K }, (_, i) => E(i));
  for (let t = L - 2; t >= 0; t--) beta[t] = Array.from({ length: K }, (_, i) => logSumExp(beta[t + 1].map((b, j) => b + T(i, j) + e[(t + 1) * K + j])));
  const logZ = logSumExp(alpha[L - 1].map((a, i) => a + beta[L - 1][i]));
  return alpha.map((row, t) => row.map((a, k) => Math.exp(a + beta[t][k] - logZ)));
}

// The allowed path with the largest sum of log marginals: Viterbi with zero scores but the constraints.
const free = new CRFDecoder({ transitions: new Float32Array(K * K), startTransitions: new Float32Array(K), endTransitions: new Float32Array(K), constraints }, K);
function maxMarginalTags(m, L) {
  const scores = new Float32Array(L * K);
  for (let t = 0; t < L; t++) for (let k = 0; k < K; k++) scores[t * K + k] = Math.log(Math.max(m[t][k], 1e-12));
  return viterbiTags(free, scores, L);
}

const margs = members.map((m) => dev.map((s, k) => marginals(m.emissions[k], s.tokens.length, m.crf)));
console.log(`dev: ${dev.length} tweets (${found.dir}); members: ${positionals.join(', ')}`);
console.log('| decoding | dev precision | dev recall | dev F1 |');
console.log('| --- | --- | --- | --- |');
members.forEach((m, i) => {
  const d = decoderOf(m.crf);
  console.log(`| member ${i + 1} (${m.dir}), Viterbi ${scored(dev.map((s, k) => viterbiTags(d, m.emissions[k], s.tokens.length)))}`);
  console.log(`| member ${i + 1}, max-marginal path ${scored(dev.map((s, k) => maxMarginalTags(margs[i][k], s.tokens.length)))}`);
});
const n = members.length;
const mean = (pick) => pick(members[0]).map((row, i) => row.map((_, j) => members.reduce((acc, m) => acc + pick(m)[i][j], 0) / n));
const meanCrf = {
  transitions: mean((m) => m.crf.transitions),
  start: mean((m) => [m.crf.start])[0],
  end: mean((m) => [m.crf.end])[0],
};
const ensembleDecoder = decoderOf(meanCrf);
const geometric = dev.map((s, k) => {
  const L = s.tokens.length;
  const e = new Float32Array(L * K);
  for (const m of members) for (let x = 0; x < L * K; x++) e[x] += m.emissions[k][x] / n;
  return viterbiTags(ensembleDecoder, e, L);
});
console.log(`| **ensemble: mean emissions and CRF scores, Viterbi** (twner's) ${scored(geometric)}`);
const meanMarginal = dev.map((s, k) => maxMarginalTags(margs[0][k].map((row, t) => row.map((_, j) => margs.reduce((acc, mm) => acc + mm[k][t][j], 0) / n)), s.tokens.length));
console.log(`| ensemble: mean marginals, max-marginal path ${scored(meanMarginal)}`);
