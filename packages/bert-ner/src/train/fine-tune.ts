import * as tf from '@tensorflow/tfjs';
import { TrainingError } from '../errors';
import { InvalidOptionError } from '../tokenize/errors';
import type { BertForTokenClassification } from '../model/bert-for-token-classification';
import { AdamW, noDecayForBiasAndLayerNorm } from './adamw';
import { type TrainingExample, padBatch } from './batch';
import { clipGradsByGlobalNorm } from './clip-grad-norm';
import { evaluateWords } from './evaluate-words';
import { linearSchedule } from './linear-schedule';
import { withDropoutSeed } from '../model/dropout';
import { type BestWeightsStore, snapshotInMemory, snapshotOnDisk, type WeightSnapshot } from './weight-snapshot';

/** Reported after every optimiser step. */
export interface FineTuneProgress {
  /** 1-based epoch. */
  epoch: number;
  epochs: number;
  /** 1-based step within the epoch. */
  step: number;
  stepsPerEpoch: number;
  /** Steps taken in all epochs so far. */
  globalStep: number;
  totalSteps: number;
  /** This batch's loss. */
  loss: number;
  learningRate: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
}

/** One epoch of the history, for charts. */
export interface EpochRecord {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  trainLoss: number;
  /** Dev entity F1, when there is a dev set or an `evaluate` callback. */
  devF1?: number;
  /** Learning rate at the end of the epoch. */
  learningRate: number;
  /** Whether this epoch's dev F1 is the best so far (its weights are kept). */
  best: boolean;
}

/** Options of {@link fineTune}; defaults are transformers' Trainer defaults where it has one. */
export interface FineTuneOptions {
  train: TrainingExample[];
  /** Scored after each epoch with word-level entity F1 (@twner/metrics-seqeval), unless `evaluate` is given. */
  dev?: TrainingExample[];
  /** Replaces the default dev evaluation: returns the F1 (or any score, higher is better) for the epoch. */
  evaluate?: (model: BertForTokenClassification, epoch: number) => number | Promise<number>;
  /** Default 3. */
  epochs?: number;
  /** Default 16. */
  batchSize?: number;
  /** Peak learning rate. Default 5e-5. */
  learningRate?: number;
  /** Decoupled weight decay, not applied to biases and LayerNorm weights. Default 0.01. */
  weightDecay?: number;
  /** Linear warm-up steps; overrides `warmupRatio`. */
  warmupSteps?: number;
  /** Warm-up as a fraction of all steps. Default 0. */
  warmupRatio?: number;
  /** Clip gradients to this global L2 norm; 0 turns clipping off. Default 1. */
  maxGradNorm?: number;
  /** Stop after this many epochs without a better dev F1. Default: never stop early. */
  patience?: number;
  /** Put the best epoch's weights back at the end. Default true. */
  restoreBest?: boolean;
  /**
   * Where the best epoch's weights wait until then: `'disk'` (the default), a temporary file
   * removed at the end, so that they cost no memory (bert-base: 420 MB), or `'memory'`.
   */
  bestWeights?: BestWeightsStore;
  /** The directory `'disk'` puts its temporary directory in. Default: the OS's temporary directory. */
  bestWeightsDir?: string;
  /** Shuffle the training set each epoch. Default true. */
  shuffle?: boolean;
  /** Seed of the shuffling and of every dropout mask: the same seed gives the same model. Default 42. */
  seed?: number;
  onProgress?: (progress: FineTuneProgress) => void;
  onEpochEnd?: (record: EpochRecord) => void;
}

/** What {@link fineTune} returns. */
export interface FineTuneResult {
  history: EpochRecord[];
  /** Epoch with the best dev F1 (1-based), null without evaluation. */
  bestEpoch: number | null;
  bestF1: number | null;
  stoppedEarly: boolean;
  globalSteps: number;
}

/** mulberry32: a small seeded generator for reproducible shuffling. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function positive(name: string, value: number, integer: boolean): void {
  if (!(value > 0) || (integer && !Number.isInteger(value))) {
    throw new TrainingError(`fineTune: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Fine-tunes a model for token classification: AdamW (decoupled weight decay, none on biases
 * and LayerNorm weights), linear warm-up and decay, gradient clipping by global norm, masked
 * cross-entropy, batches padded to their longest; after each epoch, dev entity F1 on words,
 * early stopping on it and the best epoch's weights restored at the end.
 */
export async function fineTune(model: BertForTokenClassification, options: FineTuneOptions): Promise<FineTuneResult> {
  const epochs = options.epochs ?? 3;
  const batchSize = options.batchSize ?? 16;
  const peak = options.learningRate ?? 5e-5;
  positive('epochs', epochs, true);
  positive('batchSize', batchSize, true);
  positive('learningRate', peak, false);
  if (options.train.length === 0) throw new TrainingError('fineTune: the training set is empty');
  if (options.patience !== undefined) positive('patience', options.patience, true);
  if (options.bestWeights !== undefined && options.bestWeights !== 'memory' && options.bestWeights !== 'disk') {
    throw new InvalidOptionError('bestWeights', "'memory' or 'disk'", JSON.stringify(options.bestWeights), 'fineTune');
  }
  const stepsPerEpoch = Math.ceil(options.train.length / batchSize);
  const totalSteps = stepsPerEpoch * epochs;
  const warmupSteps = options.warmupSteps ?? Math.ceil(totalSteps * (options.warmupRatio ?? 0));
  const schedule = linearSchedule({ learningRate: peak, warmupSteps, totalSteps });
  const maxGradNorm = options.maxGradNorm ?? 1;
  const evaluate =
    options.evaluate ?? (options.dev && options.dev.length > 0 ? (m: BertForTokenClassification) => evaluateWords(m, options.dev ?? []).f1 : undefined);
  const optimizer = new AdamW({ learningRate: peak, weightDecay: options.weightDecay ?? 0.01, excludeFromWeightDecay: noDecayForBiasAndLayerNorm });
  const weights = model.namedWeights();
  const variables = [...weights.values()];
  const next = random(options.seed ?? 42);
  // a second stream, so that seeding dropout left the shuffling order as it was
  const nextDropout = random((options.seed ?? 42) ^ 0x5bd1e995);
  const history: EpochRecord[] = [];
  let best: { f1: number; epoch: number; snapshot: WeightSnapshot } | null = null;
  let badEpochs = 0;
  let globalStep = 0;
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = options.shuffle === false ? options.train : shuffled(options.train, next);
      let lossSum = 0;
      for (let step = 1; step <= stepsPerEpoch; step++) {
        const batch = padBatch(order.slice((step - 1) * batchSize, step * batchSize), model.config.padTokenId, model.numLabels);
        const learningRate = schedule(globalStep);
        optimizer.learningRate = learningRate;
        // the step's dropout masks from the seed's own stream: the same seed, the same model
        const stepSeed = Math.floor(nextDropout() * 2 ** 32);
        const { value, grads } = tf.variableGrads(() => withDropoutSeed(stepSeed, () => model.loss(batch, batch.labels, { training: true })), variables);
        // consume: each unclipped gradient goes as soon as its clipped value exists
        const clipped = maxGradNorm > 0 ? clipGradsByGlobalNorm(grads, maxGradNorm, { consume: true }) : null;
        const gradNorm = clipped ? clipped.norm : tf.tidy(() => Math.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))).dataSync()[0]));
        optimizer.applyGradients(clipped ? clipped.grads : grads);
        const loss = value.dataSync()[0];
        tf.dispose([value, batch.inputIds, batch.attentionMask, batch.tokenTypeIds, batch.labels, ...Object.values(clipped ? clipped.grads : grads)]);
        lossSum += loss;
        globalStep += 1;
        options.onProgress?.({ epoch, epochs, step, stepsPerEpoch, globalStep, totalSteps, loss, learningRate, gradNorm });
        await yieldToEventLoop();
      }
      const record: EpochRecord = { epoch, trainLoss: lossSum / stepsPerEpoch, learningRate: schedule(globalStep), best: false };
      if (evaluate) {
        const f1 = await evaluate(model, epoch);
        record.devF1 = f1;
        if (best === null || f1 > best.f1) {
          best?.snapshot.dispose();
          best = null; // the old copy is gone before the new one is made
          const snapshot = options.bestWeights === 'memory' ? snapshotInMemory(weights) : snapshotOnDisk(weights, options.bestWeightsDir);
          best = { f1, epoch, snapshot };
          record.best = true;
          badEpochs = 0;
        } else {
          badEpochs += 1;
        }
      }
      history.push(record);
      options.onEpochEnd?.(record);
      if (options.patience !== undefined && badEpochs >= options.patience && epoch < epochs) {
        stoppedEarly = true;
        break;
      }
    }
    if (best && (options.restoreBest ?? true)) {
      best.snapshot.restore(weights);
    }
  } finally {
    best?.snapshot.dispose();
    optimizer.dispose();
  }
  return { history, bestEpoch: best?.epoch ?? null, bestF1: best?.f1 ?? null, stoppedEarly, globalSteps: globalStep };
}
