import * as tf from '@tensorflow/tfjs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { TokenVocabulary } from '@twner/conll';
import { writeChart } from '../charts/render';
import { barChart, trainingCurves } from '../charts/specs';
import { loadLexicon } from '../data/lexicon';
import { LEXICON_FILES, lexiconSpec, locateDataset } from '../data/locate';
import { formatPredictionsConll, type Sentence } from '../data/sentences';
import { loadSplits } from '../data/splits';
import { CASING_FEATURES } from '../features/casing';
import { buildCharIndex, charLookup, type CharIndex } from '../features/chars';
import { GAZETTEER_SCHEMES, gazetteerWidth, type Gazetteer, type GazetteerScheme } from '../features/gazetteer';
import { accuracyScore, classificationReport, conlleval } from '@twner/metrics-seqeval';
import { ARCHS, buildEmissionModel, type Arch, type ModelConfig } from '../models/bilstm-crf';
import { createCrfParams, crfDecoder, iob2Constraints, type CrfParams } from '../models/crf';
import type { TransitionConstraints } from '@twner/crf';
import { encodeAll, featureDim, type Encoder } from '../models/encode';
import { wnut16Labels } from '../models/labels';
import { loadBundle, saveBundle, type SavedConfig } from '../run-folder/bundle';
import { train, type TrainResult } from '../train/loop';
import { predictIds } from '../train/predict';
import { loadGloveMatrix } from '../data/glove';
import { runEda } from './eda';
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
  wordDropout: number;
  wordDropoutAll: number;
  timeBudget: number;
  charFilters: number;
  charKernels: number[];
  plateauDecay?: number;
  ema: number;
  gazetteerScheme: GazetteerScheme;
  trainWithDev: boolean;
}

function timestamp(): string {
  const d = new Date();
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** The whole experiment: data → EDA → vocabulary/embeddings → model → training → test evaluation → run folder. */
export async function runExperiment(opts: RunOptions, log: (line: string) => void = console.log): Promise<string> {
  const t0 = performance.now();
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
    const lex = await locateDataset(lexiconSpec(), { dir: opts.lexiconDir, log });
    gazetteer = await loadLexicon(lex.dir);
    log(`Lexicon: ${lex.dir} (${lex.source}), ${gazetteer.names.length} lists, ${gazetteer.phrases.size} phrases`);
  }
  const glovePath = opts.glove ?? process.env.TWNER_GLOVE;
  const lr = opts.lr ?? (notebook ? 0.001 : 0.01);
  let fitted = await fitModel(opts, splits.train, splits.dev, gazetteer, glovePath, log);
  const selection = fitted.result;
  if (opts.trainWithDev) {
    // Flair's train_with_dev: the dev split chose the epoch count (and the learning-rate
    // schedule); a fresh model of the same seed now trains on train + dev for that long.
    const epochs = selection.bestEpoch;
    const schedule = selection.history.slice(0, epochs).map((h) => h.lr);
    log(`Refit: a fresh model on train + dev (${splits.train.length + splits.dev.length} tweets) for ${epochs} epoch(s), the best dev epoch; test is still unseen.`);
    fitted.model.dispose();
    fitted.crf.dispose();
    fitted = await fitModel({ ...opts, epochs, timeBudget: 0 }, [...splits.train, ...splits.dev], null, gazetteer, glovePath, log, schedule);
  }
  const { model, crf, vocab, charIndex, encoder, modelConfig, constraints, tagger, labels } = fitted;
  const result = selection;

  // Final evaluation: the first and only time the test split is used.
  const testData = encodeAll(encoder, splits.test);
  const testPred = predictIds({ ...tagger, model, decoder: crfDecoder(crf, constraints) }, testData).map((row) => row.map((i) => labels[i]));
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
      epochs: opts.epochs, batchSize: opts.batchSize, patience: opts.patience, lr, optimizer: opts.optimizer,
      weightDecay: opts.weightDecay, seed: opts.seed, ema: opts.ema, wordDropout: opts.wordDropout, wordDropoutAll: opts.wordDropoutAll, glove: glovePath ?? null,
      trainWithDev: opts.trainWithDev, ...(opts.trainWithDev ? { refitEpochs: fitted.result.history.length } : {}),
    },
    data: { dir: splits.dir, train: splits.train.length, dev: splits.dev.length, test: splits.test.length },
    backend,
    lexiconFiles: gazetteer ? LEXICON_FILES.length : 0,
  };
  await saveBundle(outDir, { model, crf, vocab, chars: charIndex, config });
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
    ...(opts.trainWithDev ? { refit: { data: 'train+dev', epochs: fitted.result.history.length, seconds: fitted.result.seconds } } : {}),
    totalSeconds: seconds,
  };
  await writeFile(join(outDir, 'metrics.json'), JSON.stringify(metrics, null, 2));
  model.dispose();
  log(`Everything is in ${outDir}`);
  log(`Total time: ${(seconds / 60).toFixed(1)} min (${seconds.toFixed(0)} s)`);
  return outDir;
}

interface Fitted {
  model: tf.LayersModel;
  crf: CrfParams & { dispose(): void };
  vocab: TokenVocabulary;
  charIndex: CharIndex | null;
  encoder: Encoder;
  modelConfig: ModelConfig;
  constraints: TransitionConstraints | undefined;
  tagger: { withChars: boolean; maxChars: number; featureDim: number };
  labels: string[];
  result: TrainResult;
}

/**
 * Vocabulary, encoder, model and CRF from the training sentences only, then training: with `dev`,
 * early stopping on it; without (a refit), `opts.epochs` epochs of `lrSchedule`.
 */
async function fitModel(
  opts: RunOptions,
  trainSplit: readonly Sentence[],
  devSplit: readonly Sentence[] | null,
  gazetteer: Gazetteer | null,
  glovePath: string | undefined,
  log: (line: string) => void,
  lrSchedule?: readonly number[],
): Promise<Fitted> {
  // Vocabulary from the training sentences only, lower-cased (notebook §4.9).
  const vocab = TokenVocabulary.build(trainSplit.map((s) => s.tokens), { lowercase: true });
  const labels = wnut16Labels(trainSplit.map((s) => s.tags));
  log(`Vocabulary: ${vocab.size} lower-cased words from the training tweets (0 = padding, 1 = out of vocabulary); ${labels.length} labels`);
  const notebook = opts.arch === 'notebook';
  let embeddingDim = opts.embeddingDim ?? (notebook ? 200 : 100);
  let embeddingInit: tf.Tensor2D | undefined;
  if (glovePath) {
    const glove = await loadGloveMatrix(glovePath, vocab, embeddingDim, opts.seed, log);
    embeddingDim = glove.dim;
    embeddingInit = glove.matrix;
  } else {
    log(`Embeddings: random initialisation (${embeddingDim} dims) — no pretrained vectors (pass --glove <file|zip> or set TWNER_GLOVE).`);
  }
  const useChars = !notebook && opts.chars;
  const charIndex = useChars ? buildCharIndex(trainSplit) : null;
  const maxChars = 16;
  const encoder: Encoder = {
    vocab,
    chars: charIndex ? charLookup(charIndex) : null,
    maxChars,
    gazetteer,
    gazetteerScheme: opts.gazetteerScheme,
    useCasing: !notebook && opts.casing,
    label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
  };
  const trainData = encodeAll(encoder, trainSplit);
  const devData = devSplit ? encodeAll(encoder, devSplit) : null;
  const modelConfig: ModelConfig = {
    arch: opts.arch,
    vocabSize: vocab.size,
    embeddingDim,
    charVocabSize: charIndex ? charIndex.chars.length : 0,
    charDim: 25,
    charFilters: opts.charFilters,
    charKernel: opts.charKernels[Math.floor(opts.charKernels.length / 2)],
    ...(opts.charKernels.length > 1 ? { charKernels: opts.charKernels } : {}),
    maxChars,
    featureDim: featureDim(encoder),
    units: opts.units ?? (notebook ? 50 : 100),
    layers: opts.layers ?? (notebook ? 2 : 1),
    dropout: opts.dropout,
    denseUnits: notebook ? 25 : 0,
    numTags: labels.length,
    seed: opts.seed,
    fused: opts.fused,
    recurrentActivation: 'sigmoid',
  };
  const model = buildEmissionModel(modelConfig, embeddingInit);
  embeddingInit?.dispose();
  const params = createCrfParams(labels.length, opts.seed);
  const crf = { ...params, dispose: (): void => tf.dispose([params.transitions, params.start, params.end]) };
  const constraints = opts.constrained ? iob2Constraints(labels) : undefined;
  log(
    `Model (${opts.arch}${opts.fused ? ', fused kernels' : ''}): ${model.countParams() + labels.length * (labels.length + 2)} parameters; inputs: word ids` +
      `${useChars ? ' + char CNN' : ''}${encoder.useCasing ? ` + ${CASING_FEATURES.length} casing/shape` : ''}` +
      `${gazetteer ? ` + ${gazetteerWidth(gazetteer, opts.gazetteerScheme)} gazetteer (${opts.gazetteerScheme})` : ''} features; CRF over ${labels.length} tags` +
      `${constraints ? ' (IOB2-constrained)' : ''}`,
  );
  const tagger = { withChars: encoder.chars !== null, maxChars, featureDim: modelConfig.featureDim };
  const counts = new Map<number, number>();
  for (const s of trainData) for (const w of s.words) counts.set(w, (counts.get(w) ?? 0) + 1);
  const singletons = new Set([...counts].filter(([, n]) => n === 1).map(([w]) => w));
  const result = train(model, crf, trainData, devSplit && devData ? { data: devData, tags: devSplit.map((s) => s.tags) } : null, labels, tagger, {
    epochs: opts.epochs,
    batchSize: opts.batchSize,
    patience: opts.patience,
    lr: opts.lr ?? (notebook ? 0.001 : 0.01),
    optimizer: opts.optimizer,
    weightDecay: opts.weightDecay,
    seed: opts.seed,
    constraints,
    timeBudgetSeconds: opts.timeBudget * 60,
    plateauDecay: opts.plateauDecay ?? (notebook ? 1 : 0.5),
    emaDecay: opts.ema,
    lrSchedule,
    wordDropout: opts.wordDropout > 0 || opts.wordDropoutAll > 0 ? { singletons, prob: opts.wordDropout, allProb: opts.wordDropoutAll } : undefined,
    progress: opts.progress && process.stdout.isTTY === true,
    log,
  });
  return { model, crf, vocab, charIndex, encoder, modelConfig, constraints, tagger, labels, result };
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
    .option('--word-dropout <p>', 'replace training singletons by the OOV id with this probability (trains the OOV vector)', numberOption('--word-dropout', false, 0), 0.5)
    .option('--word-dropout-all <p>', 'also replace any training word by the OOV id with this probability', numberOption('--word-dropout-all', false, 0), 0)
    .option('--ema <decay>', 'Polyak averaging: evaluate and keep an exponential moving average of the weights with this decay per step (0 = off)', numberOption('--ema', false, 0), 0.995)
    .addOption(new Option('--gazetteer-scheme <scheme>', 'gazetteer features: BI = B/I per list; BIES = B/I/E/S per list + match count, any match, @mention match').choices([...GAZETTEER_SCHEMES]).default('BIES'))
    .option('--train-with-dev', "after early stopping on dev, train a fresh model on train + dev for the best epoch count (Flair's train_with_dev) and evaluate that on test")
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

