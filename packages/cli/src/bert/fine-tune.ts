/**
 * The fine-tuning loop of the notebook's §9, done as transformers' Trainer does it: AdamW
 * (no decay for biases and LayerNorm weights), linear warm-up then decay, gradient clipping
 * at a global norm, dropout on. After each epoch the dev set is tagged and scored (entity
 * F1); the best epoch's weights wait in a temporary file (costing no memory) and are restored
 * at the end, and training stops after `patience` epochs without a better dev F1.
 */
import * as tf from '@tensorflow/tfjs';
import { AdamW, type BertForTokenClassification, clipGradsByGlobalNorm, linearSchedule, noDecayForBiasAndLayerNorm, snapshotOnDisk, type WeightSnapshot, withDropoutSeed } from '@twner/bert-ner';
import { seededRandom } from '@twner/tagger';
import { disposeTrainBatch, type EncodedExample, shuffledBatches, toTrainBatch } from './encode';

export interface FineTuneOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  warmupRatio: number;
  weightDecay: number;
  /** Epochs without improvement before stopping; 0 never stops early. */
  patience: number;
  maxGradNorm: number;
  seed: number;
}

/** Dev scores after an epoch. */
export interface DevScores {
  f1: number;
  precision: number;
  recall: number;
}

export interface EpochRecord extends DevScores {
  epoch: number;
  /** Mean training loss over the epoch's batches (dropout on). */
  trainLoss: number;
  /** Learning rate after the epoch's last step. */
  lr: number;
  steps: number;
  seconds: number;
  improved: boolean;
}

export interface FineTuneResult {
  history: EpochRecord[];
  /** 1-based epoch whose weights the model holds now. */
  bestEpoch: number;
  bestDevF1: number;
  stoppedEarly: boolean;
  steps: number;
  seconds: number;
}

export interface StepTiming {
  tokens: number;
  seconds: number;
}

export interface FineTuneHooks {
  onEpochStart?(epoch: number, steps: number): void;
  /** After each optimiser step: the batch's real (unpadded) sub-tokens and the step's wall-clock seconds. */
  onStep?(step: number, loss: number, timing: StepTiming): void;
  /** Called before the dev evaluation. */
  onEpochTrained?(epoch: number): void;
  onEpochEnd?(record: EpochRecord): void;
}

export async function fineTune(
  model: BertForTokenClassification,
  examples: readonly EncodedExample[],
  padId: number,
  evaluateDev: () => Promise<DevScores>,
  options: FineTuneOptions,
  hooks: FineTuneHooks = {},
): Promise<FineTuneResult> {
  const stepsPerEpoch = Math.ceil(examples.length / options.batchSize);
  const totalSteps = stepsPerEpoch * options.epochs;
  const schedule = linearSchedule({ learningRate: options.lr, warmupSteps: Math.ceil(options.warmupRatio * totalSteps), totalSteps });
  const optimizer = new AdamW({
    learningRate: schedule(0),
    weightDecay: options.weightDecay,
    excludeFromWeightDecay: noDecayForBiasAndLayerNorm,
  });
  const weights = model.namedWeights();
  const variables = [...weights.values()];
  const random = seededRandom(options.seed);
  // the dropout masks' own stream (the shuffling order stays as it was): the same seed, the same model
  const dropoutRandom = seededRandom(options.seed ^ 0x5bd1e995);
  const history: EpochRecord[] = [];
  let best: WeightSnapshot | undefined;
  let bestEpoch = 0;
  let bestDevF1 = -1;
  let stale = 0;
  let step = 0;
  let stoppedEarly = false;
  const started = performance.now();

  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const epochStart = performance.now();
      hooks.onEpochStart?.(epoch, stepsPerEpoch);
      let lossSum = 0;
      const batches = shuffledBatches(examples.length, options.batchSize, random);
      for (const indices of batches) {
        const stepStart = performance.now();
        optimizer.learningRate = schedule(step);
        const members = indices.map((i) => examples[i]);
        const batch = toTrainBatch(members, padId);
        try {
          const stepSeed = Math.floor(dropoutRandom() * 2 ** 32);
          const { value, grads } = tf.variableGrads(() => withDropoutSeed(stepSeed, () => model.loss(batch, batch.labels, { training: true })), variables);
          // consume: each unclipped gradient goes as soon as its clipped value exists
          const clipped = clipGradsByGlobalNorm(grads, options.maxGradNorm, { consume: true });
          optimizer.applyGradients(clipped.grads);
          tf.dispose(Object.values(clipped.grads));
          const loss = (await value.data())[0];
          value.dispose();
          lossSum += loss;
          step++;
          hooks.onStep?.(step, loss, { tokens: members.reduce((n, e) => n + e.inputIds.length, 0), seconds: (performance.now() - stepStart) / 1000 });
        } finally {
          disposeTrainBatch(batch);
        }
      }
      hooks.onEpochTrained?.(epoch);
      const dev = await evaluateDev();
      const improved = dev.f1 > bestDevF1;
      if (improved) {
        best?.dispose();
        best = undefined; // the old copy is gone before the new one is made
        best = snapshotOnDisk(weights);
        bestEpoch = epoch;
        bestDevF1 = dev.f1;
        stale = 0;
      } else {
        stale++;
      }
      const record: EpochRecord = {
        epoch,
        trainLoss: lossSum / Math.max(1, batches.length),
        ...dev,
        lr: schedule(step),
        steps: batches.length,
        seconds: (performance.now() - epochStart) / 1000,
        improved,
      };
      history.push(record);
      hooks.onEpochEnd?.(record);
      if (options.patience > 0 && stale >= options.patience && epoch < options.epochs) {
        stoppedEarly = true;
        break;
      }
    }
    if (best && bestEpoch !== history.length) {
      best.restore(weights);
    }
  } finally {
    best?.dispose();
    optimizer.dispose();
  }
  return { history, bestEpoch, bestDevF1, stoppedEarly, steps: step, seconds: (performance.now() - started) / 1000 };
}
