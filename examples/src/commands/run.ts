import * as tf from '@tensorflow/tfjs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { writeChart } from '../charts/render';
import { barChart, trainingCurves } from '../charts/specs';
import { findLexicon } from '../data/lexicon';
import { LEXICON_FILES } from '../data/locate';
import { formatPredictionsConll } from '../data/sentences';
import { loadSplits } from '../data/splits';
import { GAZETTEER_SCHEMES, type Gazetteer, type GazetteerScheme } from '../features/gazetteer';
import { accuracyScore, classificationReport, conlleval } from '@twner/metrics-seqeval';
import { ARCHS, type Arch } from '../models/bilstm-crf';
import { crfDecoder } from '../models/crf';
import { encodeAll } from '../models/encode';
import { loadBundle, saveBundle, type SavedConfig } from '../run-folder/bundle';
import { fitModel } from '../train/fit';
import { trainMembersInChildren, type Member } from '../train/members';
import { averageCrf } from '../models/ensemble';
import { predictIds } from '../train/predict';
import { runEda } from './eda';
import { CliError, EXIT_USAGE } from '../errors';
import { announceBackend, commonOptions, numberOption, runAction, type CommonOptions } from './common';
import { formatTagged, tagTexts } from './predict';

/** Sentences tagged at the end of a run (notebook §10 and a few tweets of our own). */
export const EXAMPLE_SENTENCES = [
  'apple macbook pro is the best laptop in the world',
  'Watching the Yankees beat the Red Sox at Fenway Park tonight with @john',
  'Just saw Star Wars with my sister in London , best movie ever !',
  'Taylor Swift is performing on Saturday Night Live next week #SNL',
  'Can not wait for the new iPhone from Apple , Google better watch out',
];

export interface RunOptions extends CommonOptions {
  arch: Arch;
  units?: number;
  layers?: number;
  dropout: number;
  lr?: number;
  batchSize: number;
  epochs: number;
  patience: number;
  optimizer: 'adam' | 'adamw';
  weightDecay: number;
  constrained: boolean;
  seed: number;
  embeddingDim?: number;
  glove?: string;
  lexiconDir?: string;
  gazetteer: boolean;
  chars: boolean;
  casing: boolean;
  eda: boolean;
  out?: string;
  limitTrain?: number;
  limitDev?: number;
  limitTest?: number;
  progress: boolean;
  fused: boolean;
  /** Default: 0.5, 0 for notebook. */
  wordDropout?: number;
  wordDropoutAll: number;
  timeBudget: number;
  charFilters: number;
  charKernels: number[];
  plateauDecay?: number;
  /** Default: 0.995, 0 for notebook. */
  ema?: number;
  gazetteerScheme: GazetteerScheme;
  /** Default: on for char-gazetteer, off for notebook (see {@link resolveRunOptions}). */
  trainWithDev?: boolean;
  /** Default: 2 with a refit, else 1. */
  ensemble?: number;
}

/** {@link RunOptions} with the arch-dependent defaults filled in. */
export type ResolvedRunOptions = RunOptions & { trainWithDev: boolean; ensemble: number; ema: number; wordDropout: number; lr: number };

export function resolveRunOptions(opts: RunOptions): ResolvedRunOptions {
  const trainWithDev = opts.trainWithDev ?? opts.arch !== 'notebook';
  const ensemble = opts.ensemble ?? (trainWithDev ? 2 : 1);
  if (ensemble > 1 && !trainWithDev) throw new CliError('--ensemble > 1 ensembles the refit models: it needs --train-with-dev', EXIT_USAGE);
  // The notebook's model trains as the notebook did: no weight averaging, no word dropout.
  const notebook = opts.arch === 'notebook';
  return {
    ...opts,
    trainWithDev,
    ensemble,
    ema: opts.ema ?? (notebook ? 0 : 0.995),
    wordDropout: opts.wordDropout ?? (notebook ? 0 : 0.5),
    lr: opts.lr ?? (notebook ? 0.001 : 0.01),
  };
}

function timestamp(): string {
  const d = new Date();
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** The whole experiment: data → EDA → vocabulary/embeddings → model → training → test evaluation → run folder. */
export async function runExperiment(cliOpts: RunOptions, log: (line: string) => void = console.log): Promise<string> {
  const t0 = performance.now();
  const opts = resolveRunOptions(cliOpts);
  const outDir = opts.out ?? join('runs', `${timestamp()}-bilstm-crf`);
  await mkdir(outDir, { recursive: true });
  log(`Run folder: ${outDir}`);
  const backend = await announceBackend(opts.backend, log);
  const splits = await loadSplits(opts, log);
  log(`Tweets: train ${splits.train.length}, dev ${splits.dev.length}, test ${splits.test.length}`);
  if (opts.eda) await runEda({ train: splits.train, dev: splits.dev, test: splits.test }, join(outDir, 'eda'), log);

  const notebook = opts.arch === 'notebook';
  let gazetteer: Gazetteer | null = null;
  if (!notebook && opts.gazetteer) {
    const lex = await findLexicon(opts.lexiconDir, { log });
    gazetteer = lex.gazetteer;
    log(`Lexicon: ${lex.located.dir} (${lex.located.source}), ${gazetteer.names.length} lists, ${gazetteer.phrases.size} phrases`);
  }
  const glovePath = opts.glove ?? process.env.TWNER_GLOVE;
  let fitted = await fitModel(opts, splits.train, splits.dev, gazetteer, glovePath, log);
  const selection = fitted.result;
  let members: Member[] = [];
  if (opts.trainWithDev) {
    // Flair's train_with_dev: the dev split chose the epoch count (and the learning-rate
    // schedule); fresh models now train on train + dev for that long. Test is still unseen.
    const epochs = selection.bestEpoch;
    const schedule = selection.history.slice(0, epochs).map((h) => h.lr);
    const seeds = Array.from({ length: opts.ensemble }, (_, i) => opts.seed + i);
    log(
      `Refit: ${seeds.length > 1 ? `${seeds.length} fresh models (seeds ${seeds.join(', ')})` : 'a fresh model'} on train + dev ` +
        `(${splits.train.length + splits.dev.length} tweets) for ${epochs} epoch(s), the best dev epoch; test is still unseen.`,
    );
    fitted.model.dispose();
    fitted.crf.dispose();
    const refitOpts: ResolvedRunOptions = { ...opts, epochs, timeBudget: 0 };
    const others = trainMembersInChildren(seeds.slice(1).map((seed) => ({ options: refitOpts, seed, epochs, schedule })), log);
    // Member 1 trains here while the others train in their processes; a failed child is reported after.
    others.catch(() => undefined);
    fitted = await fitModel(refitOpts, [...splits.train, ...splits.dev], null, gazetteer, glovePath, log, schedule);
    members = await others;
    const vocabJson = JSON.stringify(fitted.vocab.toJSON());
    for (const m of members) {
      log(`Ensemble member (seed ${m.seed}):`);
      for (const line of m.output) log(`  ${line}`);
      if (m.vocabJson !== vocabJson) throw new Error(`ensemble member (seed ${m.seed}) built a different vocabulary`);
    }
  }
  const { model, vocab, charIndex, encoder, modelConfig, constraints, tagger, labels } = fitted;
  const crf = members.length > 0 ? averageCrf([fitted.crf, ...members.map((m) => m.crf)]) : fitted.crf;
  const models = [model, ...members.map((m) => m.model)];
  const result = selection;

  // Final evaluation: the first and only time the test split is used.
  const testData = encodeAll(encoder, splits.test);
  const testPred = predictIds({ ...tagger, model: models, decoder: crfDecoder(crf, constraints) }, testData).map((row) => row.map((i) => labels[i]));
  const gold = splits.test.map((s) => s.tags);
  const reportDefault = classificationReport(gold, testPred, { outputDict: true, zeroDivision: 0 });
  const reportStrict = classificationReport(gold, testPred, { outputDict: true, mode: 'strict', scheme: 'IOB2', zeroDivision: 0 });
  const conll = conlleval(gold, testPred);
  const accuracy = accuracyScore(gold, testPred);
  const reportText = [
    'Test set — seqeval classification report (default mode)',
    classificationReport(gold, testPred, { digits: 4, zeroDivision: 0 }),
    'Test set — seqeval classification report (strict mode, IOB2)',
    classificationReport(gold, testPred, { digits: 4, mode: 'strict', scheme: 'IOB2', zeroDivision: 0 }),
    'conlleval',
    conll.text,
    `Token accuracy (real tokens only): ${accuracy.toFixed(4)}`,
  ].join('\n');
  log(reportText);
  const testF1 = reportDefault['micro avg']['f1-score'];
  log(`TEST entity micro-F1 (seqeval default): ${testF1.toFixed(4)} (strict IOB2: ${reportStrict['micro avg']['f1-score'].toFixed(4)})`);

  const config: SavedConfig = {
    model: modelConfig,
    labels,
    constrained: opts.constrained,
    useCasing: encoder.useCasing,
    gazetteerLists: gazetteer ? gazetteer.names : [],
    gazetteerScheme: opts.gazetteerScheme,
    training: {
      epochs: opts.epochs, batchSize: opts.batchSize, patience: opts.patience, lr: opts.lr, optimizer: opts.optimizer,
      weightDecay: opts.weightDecay, seed: opts.seed, ema: opts.ema, wordDropout: opts.wordDropout, wordDropoutAll: opts.wordDropoutAll, glove: glovePath ?? null,
      trainWithDev: opts.trainWithDev, ...(opts.trainWithDev ? { refitEpochs: fitted.result.history.length } : {}),
    },
    ...(members.length > 0 ? { ensemble: { seeds: [opts.seed, ...members.map((m) => m.seed)] } } : {}),
    data: { dir: splits.dir, train: splits.train.length, dev: splits.dev.length, test: splits.test.length },
    backend,
    lexiconFiles: gazetteer ? LEXICON_FILES.length : 0,
  };
  await saveBundle(outDir, { model, crf: fitted.crf, vocab, chars: charIndex, config, members });
  await writeFile(join(outDir, 'test-predictions.conll'), formatPredictionsConll(splits.test, testPred));
  await writeFile(join(outDir, 'report.txt'), `${reportText}\n`);
  await writeFile(join(outDir, 'history.json'), JSON.stringify(result.history, null, 2));
  if (opts.trainWithDev) await writeFile(join(outDir, 'refit-history.json'), JSON.stringify(fitted.result.history, null, 2));
  const perTypeRows = Object.entries(reportDefault)
    .filter(([name]) => !name.endsWith(' avg'))
    .map(([name, r]) => ({ name, count: r['f1-score'] }));
  await mkdir(join(outDir, 'charts'), { recursive: true });
  await writeChart(barChart('Test F1 per entity type (seqeval default)', perTypeRows, 'F1'), join(outDir, 'charts', 'test-f1-per-type'));
  await writeChart(trainingCurves(result.history), join(outDir, 'charts', 'training-curves'));

  // Own sentences, tagged by the model reloaded from disk (proves the saved model works).
  const reloaded = await loadBundle(outDir, gazetteer);
  const examples = tagTexts(reloaded, EXAMPLE_SENTENCES);
  reloaded.dispose();
  log('Predictions on example sentences (model reloaded from the run folder):');
  for (const e of examples) log(formatTagged(e));
  await writeFile(join(outDir, 'examples.json'), JSON.stringify(examples, null, 2));

  const seconds = (performance.now() - t0) / 1000;
  const metrics = {
    test: {
      microF1: testF1,
      default: reportDefault,
      strict: reportStrict,
      conlleval: { precision: conll.precision, recall: conll.recall, fb1: conll.fb1, accuracy: conll.accuracy },
      tokenAccuracy: accuracy,
    },
    dev: { bestF1: result.bestDevF1, bestEpoch: result.bestEpoch },
    epochsRun: result.history.length,
    stoppedEarly: result.stoppedEarly,
    trainSeconds: result.seconds + (opts.trainWithDev ? fitted.result.seconds : 0),
    ...(opts.trainWithDev
      ? { refit: { data: 'train+dev', epochs: fitted.result.history.length, seconds: fitted.result.seconds, members: 1 + members.length } }
      : {}),
    totalSeconds: seconds,
  };
  await writeFile(join(outDir, 'metrics.json'), JSON.stringify(metrics, null, 2));
  for (const m of models) m.dispose();
  if (members.length > 0) {
    for (const c of [crf, fitted.crf, ...members.map((m) => m.crf)]) tf.dispose([c.transitions, c.start, c.end]);
  }
  log(`Everything is in ${outDir}`);
  log(`Total time: ${(seconds / 60).toFixed(1)} min (${seconds.toFixed(0)} s)`);
  return outDir;
}

function parseWidths(value: string): number[] {
  const widths = value.split(',').map((w) => Number(w.trim()));
  if (widths.length === 0 || widths.some((w) => !Number.isInteger(w) || w < 1 || w > 7)) {
    throw new InvalidArgumentError('--char-kernels: comma-separated integers in 1..7, such as 2,3,4');
  }
  return widths;
}

function addRunOptions(cmd: Command): Command {
  return commonOptions(cmd)
    .addOption(new Option('--arch <arch>', 'model: notebook = the notebook\'s BiLSTM-CRF; char-gazetteer = + char CNN, casing and gazetteer features').choices([...ARCHS]).default('char-gazetteer'))
    .option('--units <n>', 'LSTM units per direction (default: 50 notebook, 100 char-gazetteer)', numberOption('--units', true, 1))
    .option('--char-filters <n>', 'char CNN filters per width', numberOption('--char-filters', true, 1), 100)
    .option('--char-kernels <list>', 'char CNN widths, comma-separated (--char-filters filters each)', parseWidths, [3])
    .option('--layers <n>', 'BiLSTM layers (default: 2 notebook, 1 char-gazetteer)', numberOption('--layers', true, 1))
    .option('--dropout <p>', 'dropout rate (char-gazetteer)', numberOption('--dropout', false, 0), 0.5)
    .option('--lr <x>', 'learning rate (default: 0.001 notebook, as Keras; 0.01 char-gazetteer)', numberOption('--lr', false, 0))
    .option('--batch-size <n>', 'batch size', numberOption('--batch-size', true, 1), 32)
    .option('--epochs <n>', 'maximum epochs', numberOption('--epochs', true, 1), 20)
    .option('--time-budget <minutes>', 'stop training before an epoch that would end after this many minutes (0 = none)', numberOption('--time-budget', false, 0), 11)
    .option('--plateau-decay <x>', 'multiply the learning rate by x after an epoch without dev F1 gain (default: 1 = off for notebook, 0.5 for char-gazetteer)', numberOption('--plateau-decay', false, 0))
    .option('--patience <n>', 'early stopping: epochs without dev F1 gain', numberOption('--patience', true, 1), 4)
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(['adam', 'adamw']).default('adam'))
    .option('--weight-decay <x>', 'AdamW decoupled weight decay', numberOption('--weight-decay', false, 0), 1e-4)
    .option('--word-dropout <p>', 'replace training singletons by the OOV id with this probability (trains the OOV vector; default 0.5, 0 for notebook)', numberOption('--word-dropout', false, 0))
    .option('--word-dropout-all <p>', 'also replace any training word by the OOV id with this probability', numberOption('--word-dropout-all', false, 0), 0)
    .option('--ema <decay>', 'Polyak averaging: evaluate and keep an exponential moving average of the weights with this decay per step (0 = off; default 0.995, 0 for notebook)', numberOption('--ema', false, 0))
    .addOption(new Option('--gazetteer-scheme <scheme>', 'gazetteer features: BI = B/I per list; BIES = B/I/E/S per list + match count, any match, @mention match').choices([...GAZETTEER_SCHEMES]).default('BIES'))
    .option('--train-with-dev', "after early stopping on dev, train fresh models on train + dev for the best epoch count (Flair's train_with_dev) and evaluate those on test (default: on for char-gazetteer, off for notebook)")
    .option('--no-train-with-dev', 'keep the model selected on dev (trained on train only)')
    .option('--ensemble <n>', 'with --train-with-dev: refit n models (seeds seed, seed+1, …; members 2..n in parallel child processes) and tag with their averaged emissions and CRF scores (default: 2 with a refit, else 1)', numberOption('--ensemble', true, 1))
    .option('--no-constrained', 'let the CRF learn IOB2 transitions freely (default: I-x only after B-x/I-x)')
    .option('--seed <n>', 'random seed', numberOption('--seed', true, 0), 42)
    .option('--embedding-dim <n>', 'word embedding size without GloVe (default 200 notebook, 100 char-gazetteer)', numberOption('--embedding-dim', true, 1))
    .option('--glove <file|zip>', 'GloVe Twitter vectors (else $TWNER_GLOVE; else random init)')
    .option('--lexicon-dir <dir>', 'WNUT16 gazetteers (else $TWNER_LEXICON_DIR, ../shared/data/wnut16-lexicon, cache, download)')
    .option('--no-gazetteer', 'char-gazetteer without gazetteer features')
    .option('--no-chars', 'char-gazetteer without the char CNN')
    .option('--no-casing', 'char-gazetteer without casing/shape features')
    .option('--no-fused', "plain tfjs-layers Embedding/Bidirectional(LSTM) instead of @twner/kernels' fused layers (to compare)")
    .option('--no-eda', 'skip the EDA step')
    .option('--no-progress', 'no progress bar')
    .option('--out <dir>', 'run folder (default runs/<timestamp>-bilstm-crf)')
    .option('--limit-train <n>', 'use only the first n training tweets (smoke tests)', numberOption('--limit-train', true, 1))
    .option('--limit-dev <n>', 'use only the first n dev tweets', numberOption('--limit-dev', true, 1))
    .option('--limit-test <n>', 'use only the first n test tweets', numberOption('--limit-test', true, 1));
}

export function registerRunCommands(program: Command): void {
  addRunOptions(
    program.command('run').description('The main job: EDA, training (BiLSTM-CRF), test evaluation, predictions, run folder'),
  ).action(runAction(async (opts: RunOptions) => void (await runExperiment(opts))));
  const trainCmd = program.command('train').description('Train a model');
  addRunOptions(trainCmd.command('bilstm-crf').description('Same as `twner run`')).action(
    runAction(async (opts: RunOptions) => void (await runExperiment(opts))),
  );
}

