import * as tf from '@tensorflow/tfjs';
import { clippedStep } from './clip';
import { disposeBatch, makeBatches, toTensors } from '../models/batch';
import { seededRandom } from '../random';
import type { EncodedSentence } from '../models/encode';
import type { TransitionConstraints } from '@twner/crf';
import { crfDecoder, crfNll, type CrfParams } from '../models/crf';
import { precisionRecallFscoreSupport } from '@twner/metrics-seqeval';
import { TrainingError } from '../errors';
import { predictIds, type Tagger } from './predict';

export interface EpochRecord {
  epoch: number;
  loss: number;
  devPrecision: number;
  devRecall: number;
  devF1: number;
  /** Learning rate used in this epoch. */
  lr: number;
  seconds: number;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  patience: number;
  lr: number;
  optimizer: 'adam' | 'adamw';
  weightDecay: number;
  /** Rescale a step's gradients to this global L2 norm when their norm exceeds it (0 or absent: off). */
  clipNorm?: number;
  seed: number;
  constraints?: TransitionConstraints;
  /** Word dropout of training singletons (see `WordDropout`); off when undefined. */
  wordDropout?: { singletons: ReadonlySet<number>; prob: number; allProb?: number };
  /** Multiply the learning rate by this after an epoch without dev F1 gain (1 = never). */
  plateauDecay: number;
  /** Stop before an epoch that would end after this many seconds of training (0 = no limit). */
  timeBudgetSeconds: number;
  /**
   * Time kept for work after this loop (a refit), counted in epochs of this loop: before each
   * epoch, `(best epoch so far + 1) × refitEpochCost × last epoch's seconds` is added to the
   * projection checked against the budget (0 or absent: nothing kept).
   */
  refitEpochCost?: number;
  /**
   * Polyak averaging: keep an exponential moving average of the weights (this decay per step,
   * warmed up as min(decay, (1 + n) / (10 + n))) and evaluate, select and keep the averaged
   * weights instead of the raw ones. 0 = off.
   */
  emaDecay?: number;
  /**
   * Learning rate of each epoch (the last value repeats), replacing `lr` and the plateau decay:
   * a refit replays the schedule of the run that chose its epoch count.
   */
  lrSchedule?: readonly number[];
  /**
   * Word-embedding rows held at their initial values (1 = frozen), one per vocabulary row: after
   * every step those rows are restored exactly, the others keep their update.
   */
  frozenWordRows?: Uint8Array;
  log: (line: string) => void;
  onEpoch?: (record: EpochRecord) => void;
  onBatch?: (progress: { epoch: number; batch: number; batches: number; loss: number }) => void;
}

export interface TrainResult {
  history: EpochRecord[];
  bestEpoch: number;
  bestDevF1: number;
  stoppedEarly: boolean;
  seconds: number;
}

/**
 * Holds the word-embedding rows marked in `rows` at their current values: `restore(v)` writes them
 * back into the embedding (or its moving average) after a step (v·keep + held, keep = 1 − mask;
 * exact for both kinds of row).
 */
function frozenRows(model: tf.LayersModel, rows: Uint8Array): { variable: tf.Variable; restore(target: tf.Variable): void; dispose(): void } {
  const weight = model.getLayer('word_embedding').trainableWeights[0] as unknown as { read(): tf.Variable } | undefined;
  if (!weight) throw new TrainingError('frozenWordRows: the model has no trainable word embedding');
  const v = weight.read();
  const V = v.shape[0];
  if (rows.length !== V) throw new TrainingError(`frozenWordRows: ${rows.length} rows given for a word embedding of ${V} rows`);
  const [keep, held] = tf.tidy(() => {
    const mask = tf.tensor2d(Float32Array.from(rows, (r) => (r ? 1 : 0)), [V, 1]);
    return [tf.sub(1, mask), tf.mul(v, mask)] as const;
  });
  return {
    variable: v,
    restore: (target) => tf.tidy(() => target.assign(tf.add(tf.mul(target, keep), held))),
    dispose: () => tf.dispose([keep, held]),
  };
}

function clipNote(clipNorm: number, steps: number, batches: number): string {
  return clipNorm > 0 ? ` - clipped: ${steps}/${batches} steps` : '';
}

function idsToTags(ids: number[][], labels: readonly string[]): string[][] {
  return ids.map((row) => row.map((i) => labels[i]));
}

/**
 * Custom loop: CRF negative log-likelihood (batch mean), Adam or AdamW (decoupled decay), optional
 * global-norm gradient clipping (`clipNorm`); after each epoch the dev set is tagged (Viterbi) and scored; early
 * stopping on dev entity micro-F1 with patience, restoring the best weights at the end.
 * Without a dev set (a refit on train+dev) it runs `epochs` epochs of `lrSchedule` and keeps
 * the last (averaged, with EMA) weights.
 */
export function train(
  model: tf.LayersModel,
  crf: CrfParams,
  trainData: readonly EncodedSentence[],
  /** The selection split (early stopping, best-weights restore), or null to train a fixed schedule and keep the last weights. */
  dev: { data: readonly EncodedSentence[]; tags: readonly string[][] } | null,
  labels: readonly string[],
  tagger: Omit<Tagger, 'model' | 'decoder'>,
  opts: TrainOptions,
): TrainResult {
  const t0 = performance.now();
  const vars: tf.Variable[] = [
    ...model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read()),
    crf.transitions,
    crf.start,
    crf.end,
  ];
  const lrAt = (epoch: number): number | undefined =>
    opts.lrSchedule && opts.lrSchedule.length > 0 ? opts.lrSchedule[Math.min(epoch, opts.lrSchedule.length) - 1] : undefined;
  const frozen = opts.frozenWordRows ? frozenRows(model, opts.frozenWordRows) : null;
  const optimizer = tf.train.adam(lrAt(1) ?? opts.lr);
  // tfjs keeps the rate in a protected field; Adam reads it at every step.
  const adam = optimizer as unknown as { learningRate: number };
  const rng = seededRandom(opts.seed);
  const history: EpochRecord[] = [];
  let best = -1;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | null = null;
  let stale = 0;
  let stoppedEarly = false;
  const dropoutLayers = model.layers
    .filter((l) => l.getClassName() === 'Dropout')
    .map((l) => l as unknown as { seed?: number });
  const emaDecay = opts.emaDecay ?? 0;
  const shadow: tf.Variable[] | null = emaDecay > 0 ? vars.map((v) => tf.variable(v.clone(), false)) : null;
  let emaSteps = 0;
  const clipNorm = opts.clipNorm ?? 0;
  /** Steps whose gradients were rescaled, this epoch. */
  const clipped = { steps: 0 };
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    clipped.steps = 0;
    const e0 = performance.now();
    const last = history[history.length - 1];
    const reserve = last ? (bestEpoch + 1) * (opts.refitEpochCost ?? 0) * last.seconds : 0;
    if (opts.timeBudgetSeconds > 0 && last && (e0 - t0) / 1000 + last.seconds + reserve > opts.timeBudgetSeconds) {
      opts.log(
        `Time budget: another epoch (~${last.seconds.toFixed(0)} s)${reserve > 0 ? ` and the refit after it (~${reserve.toFixed(0)} s)` : ''}` +
          ` would pass ${opts.timeBudgetSeconds} s of training; stopping.`,
      );
      stoppedEarly = true;
      break;
    }
    const scheduled = lrAt(epoch);
    if (scheduled !== undefined) adam.learningRate = scheduled;
    const batches = makeBatches(trainData, opts.batchSize, rng);
    opts.log(`Epoch ${epoch}/${opts.epochs}`);
    let lossSum = 0;
    let seen = 0;
    for (const [b, batch] of batches.entries()) {
      // tfjs' seeded dropout draws the same mask at every step (a fresh generator from the same
      // seed each call); give the dropout layers a new seed from the run's PRNG before each step.
      for (const layer of dropoutLayers) layer.seed = Math.floor(rng() * 2 ** 31);
      const t = toTensors(trainData, batch, tagger, opts.wordDropout ? { ...opts.wordDropout, rng } : undefined);
      const objective = (): tf.Scalar => {
        const emissions = model.apply(t.inputs, { training: true }) as tf.Tensor3D;
        return crfNll(emissions, t.tags, t.mask, crf, opts.constraints);
      };
      const lossTensor = clipNorm > 0 ? clippedStep(optimizer, objective, vars, clipNorm, clipped) : optimizer.minimize(objective, true, vars);
      const loss = lossTensor ? lossTensor.dataSync()[0] : NaN;
      lossTensor?.dispose();
      if (!Number.isFinite(loss)) {
        disposeBatch(t);
        if (shadow) tf.dispose(shadow);
        if (bestWeights) tf.dispose(bestWeights);
        frozen?.dispose();
        optimizer.dispose();
        throw new TrainingError(
          `the training loss became ${loss} at epoch ${epoch}, batch ${b + 1} of ${batches.length}: ` +
            'the weights are no longer finite (check the word vectors for huge values, lower --lr, or report a bug)',
        );
      }
      if (opts.optimizer === 'adamw' && opts.weightDecay > 0) {
        tf.tidy(() => {
          for (const v of vars) if (v.shape.length > 1) v.assign(tf.mul(v, 1 - adam.learningRate * opts.weightDecay));
        });
      }
      if (frozen) frozen.restore(frozen.variable);
      if (shadow) {
        const d = Math.min(emaDecay, (1 + emaSteps) / (10 + emaSteps));
        emaSteps++;
        tf.tidy(() => {
          shadow.forEach((s, i) => s.assign(tf.add(tf.mul(s, d), tf.mul(vars[i], 1 - d))));
        });
        // s·d + v·(1 − d) need not give back v's float32 bits: hold the average's rows too.
        if (frozen) frozen.restore(shadow[vars.indexOf(frozen.variable)]);
      }
      disposeBatch(t);
      lossSum += loss * batch.indices.length;
      seen += batch.indices.length;
      opts.onBatch?.({ epoch, batch: b + 1, batches: batches.length, loss: lossSum / seen });
    }
    const seconds = (performance.now() - e0) / 1000;
    if (!dev) {
      const record: EpochRecord = { epoch, loss: lossSum / seen, devPrecision: NaN, devRecall: NaN, devF1: NaN, lr: adam.learningRate, seconds };
      history.push(record);
      opts.onEpoch?.(record);
      opts.log(`${trainData.length} tweets - ${seconds.toFixed(1)}s - loss: ${record.loss.toFixed(4)} - lr: ${adam.learningRate.toPrecision(3)}${clipNote(clipNorm, clipped.steps, batches.length)}`);
      continue;
    }
    // With averaging, the dev set is tagged with the averaged weights (the raw ones are put back after).
    const raw = shadow ? vars.map((v, i) => { const c = tf.clone(v); v.assign(shadow[i]); return c; }) : null;
    const predicted = idsToTags(predictIds({ ...tagger, model, decoder: crfDecoder(crf, opts.constraints) }, dev.data), labels);
    const evaluated = raw ? vars.map((v) => tf.clone(v)) : null;
    if (raw) {
      vars.forEach((v, i) => v.assign(raw[i]));
      tf.dispose(raw);
    }
    const scores = precisionRecallFscoreSupport(dev.tags, predicted, { average: 'micro', zeroDivision: 0 });
    const record: EpochRecord = {
      epoch,
      loss: lossSum / seen,
      devPrecision: scores.precision,
      devRecall: scores.recall,
      devF1: scores.fScore,
      lr: adam.learningRate,
      seconds: (performance.now() - e0) / 1000,
    };
    history.push(record);
    opts.onEpoch?.(record);
    opts.log(
      `${trainData.length} tweets - ${record.seconds.toFixed(1)}s - loss: ${record.loss.toFixed(4)}${clipNote(clipNorm, clipped.steps, batches.length)}` +
        ` - dev precision: ${scores.precision.toFixed(4)} - recall: ${scores.recall.toFixed(4)} - f1: ${scores.fScore.toFixed(4)}`,
    );
    if (scores.fScore > best) {
      best = scores.fScore;
      bestEpoch = epoch;
      stale = 0;
      if (bestWeights) tf.dispose(bestWeights);
      bestWeights = evaluated ?? vars.map((v) => tf.clone(v));
      continue;
    }
    if (evaluated) tf.dispose(evaluated);
    if (++stale >= opts.patience) {
      opts.log(`Early stopping: dev F1 has not improved for ${opts.patience} epoch(s).`);
      stoppedEarly = true;
      break;
    }
    if (opts.plateauDecay < 1 && !opts.lrSchedule) {
      adam.learningRate *= opts.plateauDecay;
      opts.log(`Dev F1 did not improve: learning rate → ${adam.learningRate.toPrecision(3)}`);
    }
  }
  if (!dev) {
    // A fixed schedule keeps its last weights (the averaged ones with EMA).
    if (shadow) vars.forEach((v, i) => v.assign(shadow[i]));
    bestEpoch = history.length;
  }
  if (bestWeights) {
    vars.forEach((v, i) => v.assign(bestWeights![i]));
    tf.dispose(bestWeights);
    opts.log(`Restored the best weights: epoch ${bestEpoch}, dev F1 ${best.toFixed(4)}.`);
  }
  if (shadow) tf.dispose(shadow);
  frozen?.dispose();
  optimizer.dispose();
  return { history, bestEpoch, bestDevF1: Math.max(best, 0), stoppedEarly, seconds: (performance.now() - t0) / 1000 };
}
