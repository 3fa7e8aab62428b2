/**
 * Entity-level precision, recall, F-score and support, as seqeval 1.2
 * (`precision_recall_fscore_support`, `precision_score`, `recall_score`, `f1_score`):
 *
 *     precision = tp / pred,  recall = tp / true,
 *     F_beta = (1 + beta^2) * precision * recall / (beta^2 * precision + recall)
 *
 * per entity type; 'micro' pools the counts first, 'macro' averages the per-type scores,
 * 'weighted' averages them weighted by support. Averages use numpy's summation order.
 */
import { countEntities, type EntityCounts } from './counts';
import { InvalidOptionError } from './errors';
import { npMean, npWeightedMean } from './numpy-sum';
import {
  checkOptionKeys,
  SCORE_KEYS,
  resolveAverage,
  resolveZeroDivision,
  type Average,
  type ScoreOptions,
  type ZeroDivision,
} from './options';
import type { Sequences } from './validate';

export interface PrfOptions extends ScoreOptions {
  /** Weight of recall in the F-score. Default 1; Infinity gives recall. */
  beta?: number;
}

/** Averaged scores (average 'micro', 'macro' or 'weighted'). */
export interface AveragedScores {
  precision: number;
  recall: number;
  fScore: number;
  /** Number of true entities. */
  support: number;
}

/** Per-type scores (average null), in sorted type order. */
export interface PerTypeScores {
  labels: string[];
  precision: number[];
  recall: number[];
  fScore: number[];
  support: number[];
}

type Metric = 'precision' | 'recall' | 'f-score';

/** @internal */
export interface PrfSettings {
  average: Average;
  zeroDivision: ZeroDivision;
  beta: number;
  warnFor: readonly Metric[];
  onWarning?: (message: string) => void;
}

function warnPrf(settings: PrfSettings, modifier: string, msgStart: string, size: number): void {
  if (!settings.onWarning) return;
  const where = size === 1 ? 'due to' : 'in labels with';
  settings.onWarning(
    `${msgStart} ill-defined and being set to 0.0 ${where} no ${modifier} samples. Use \`zero_division\` parameter to control this behavior.`,
  );
}

function prfDivide(
  numerator: readonly number[],
  denominator: readonly number[],
  metric: Metric,
  modifier: string,
  settings: PrfSettings,
): number[] {
  const fill = settings.zeroDivision === 1 ? 1 : 0;
  let undefinedAny = false;
  const result = numerator.map((n, i) => {
    if (denominator[i] === 0) {
      undefinedAny = true;
      return fill;
    }
    return n / denominator[i];
  });
  if (undefinedAny && settings.zeroDivision === 'warn' && settings.warnFor.includes(metric)) {
    const title = metric === 'precision' ? 'Precision' : metric === 'recall' ? 'Recall' : 'F-score';
    const msgStart = settings.warnFor.includes('f-score') && metric !== 'f-score' ? `${title} and F-score are` : `${title} is`;
    warnPrf(settings, modifier, msgStart, result.length);
  }
  return result;
}

/**
 * seqeval's `_precision_recall_fscore_support` on precomputed counts.
 * @internal
 */
export function scoresFromCounts(counts: EntityCounts, settings: PrfSettings): AveragedScores | PerTypeScores {
  const { average, beta } = settings;
  let tp = counts.tp;
  let pred = counts.pred;
  let truth = counts.true;
  if (average === 'micro') {
    tp = [sum(tp)];
    pred = [sum(pred)];
    truth = [sum(truth)];
  }
  const precision = prfDivide(tp, pred, 'precision', 'predicted', settings);
  const recall = prfDivide(tp, truth, 'recall', 'true', settings);
  if (settings.zeroDivision === 'warn' && settings.warnFor.length === 1 && settings.warnFor[0] === 'f-score') {
    if (truth.some((t, i) => t === 0 && pred[i] === 0)) {
      warnPrf(settings, 'true nor predicted', 'F-score is', truth.length);
    }
  }
  const beta2 = beta * beta;
  const fScore = precision.map((p, i) => {
    if (beta === Infinity) return recall[i];
    let denom = beta2 * p + recall[i];
    if (denom === 0) denom = 1;
    return ((1 + beta2) * p * recall[i]) / denom;
  });
  if (average === null) {
    return { labels: [...counts.labels], precision, recall, fScore, support: [...truth] };
  }
  const support = sum(truth);
  if (average === 'weighted') {
    if (support === 0) {
      const value = settings.zeroDivision === 1 ? 1 : 0;
      const noPredictions = sum(pred) === 0;
      return {
        precision: noPredictions ? value : 0,
        recall: value,
        fScore: noPredictions ? value : 0,
        support: 0,
      };
    }
    return {
      precision: npWeightedMean(precision, truth),
      recall: npWeightedMean(recall, truth),
      fScore: npWeightedMean(fScore, truth),
      support,
    };
  }
  return { precision: npMean(precision), recall: npMean(recall), fScore: npMean(fScore), support };
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** @internal */
export function resolvePrfSettings(options: PrfOptions, fallback: Average, warnFor: readonly Metric[]): PrfSettings {
  const beta = options.beta ?? 1;
  if (typeof beta !== 'number' || Number.isNaN(beta) || beta < 0) {
    throw new InvalidOptionError('beta', 'a number >= 0', beta);
  }
  return {
    average: resolveAverage(options.average, fallback),
    zeroDivision: resolveZeroDivision(options.zeroDivision),
    beta,
    warnFor,
    onWarning: options.onWarning,
  };
}

/** @internal seqeval's "seems not to be NE tag" warning, once per distinct tag. */
export function warnTagHook(options: ScoreOptions) {
  const onWarning = options.onWarning;
  if (!onWarning || (options.mode ?? 'default') !== 'default') return undefined;
  const suffix = options.suffix ?? false;
  return (_argument: string, _sentence: number, _position: number, tag: string) => {
    if (['O', 'B', 'I', 'E', 'S'].includes(tag)) return;
    const ok = suffix
      ? ['-B', '-I', '-E', '-S'].some((end) => tag.endsWith(end))
      : ['B-', 'I-', 'E-', 'S-'].some((start) => tag.startsWith(start));
    if (!ok) onWarning(`${tag} seems not to be NE tag.`);
  };
}

/** @internal */
export function computeScores(
  yTrue: Sequences,
  yPred: Sequences,
  options: PrfOptions,
  fallback: Average,
  warnFor: readonly Metric[],
): AveragedScores | PerTypeScores {
  const settings = resolvePrfSettings(options, fallback, warnFor);
  const counts = countEntities(yTrue, yPred, options, warnTagHook(options));
  return scoresFromCounts(counts, settings);
}

/**
 * Precision, recall, F-beta and support per entity type (average null, the default as in
 * seqeval) or averaged.
 *
 * @example
 * precisionRecallFscoreSupport([['B-A', 'B-B', 'O', 'B-A']], [['O', 'B-B', 'B-C', 'B-A']], { average: 'macro' });
 * // { precision: 0.6666666666666666, recall: 0.5, fScore: 0.5555555555555555, support: 3 }
 */
export function precisionRecallFscoreSupport(
  yTrue: Sequences,
  yPred: Sequences,
  options: PrfOptions & { average: 'micro' | 'macro' | 'weighted' },
): AveragedScores;
export function precisionRecallFscoreSupport(
  yTrue: Sequences,
  yPred: Sequences,
  options?: PrfOptions & { average?: null },
): PerTypeScores;
export function precisionRecallFscoreSupport(
  yTrue: Sequences,
  yPred: Sequences,
  options?: PrfOptions,
): AveragedScores | PerTypeScores;
export function precisionRecallFscoreSupport(
  yTrue: Sequences,
  yPred: Sequences,
  options: PrfOptions = {},
): AveragedScores | PerTypeScores {
  checkOptionKeys(options, [...SCORE_KEYS, 'beta'], 'precisionRecallFscoreSupport');
  return computeScores(yTrue, yPred, options, null, ['precision', 'recall', 'f-score']);
}

type Pick = 'precision' | 'recall' | 'fScore';

function pick(result: AveragedScores | PerTypeScores, key: Pick): number | number[] {
  return result[key];
}

/** Entity precision tp / (tp + fp). Default average 'micro'; average null gives one number per type. */
export function precisionScore(yTrue: Sequences, yPred: Sequences, options: ScoreOptions & { average: null }): number[];
export function precisionScore(
  yTrue: Sequences,
  yPred: Sequences,
  options?: ScoreOptions & { average?: 'micro' | 'macro' | 'weighted' },
): number;
export function precisionScore(yTrue: Sequences, yPred: Sequences, options?: ScoreOptions): number | number[];
export function precisionScore(yTrue: Sequences, yPred: Sequences, options: ScoreOptions = {}): number | number[] {
  checkOptionKeys(options, SCORE_KEYS, 'precisionScore');
  return pick(computeScores(yTrue, yPred, options, 'micro', ['precision']), 'precision');
}

/** Entity recall tp / (tp + fn). Default average 'micro'; average null gives one number per type. */
export function recallScore(yTrue: Sequences, yPred: Sequences, options: ScoreOptions & { average: null }): number[];
export function recallScore(
  yTrue: Sequences,
  yPred: Sequences,
  options?: ScoreOptions & { average?: 'micro' | 'macro' | 'weighted' },
): number;
export function recallScore(yTrue: Sequences, yPred: Sequences, options?: ScoreOptions): number | number[];
export function recallScore(yTrue: Sequences, yPred: Sequences, options: ScoreOptions = {}): number | number[] {
  checkOptionKeys(options, SCORE_KEYS, 'recallScore');
  return pick(computeScores(yTrue, yPred, options, 'micro', ['recall']), 'recall');
}

/**
 * Entity F1 = 2 * precision * recall / (precision + recall). Default average 'micro'; average
 * null gives one number per type.
 */
export function f1Score(yTrue: Sequences, yPred: Sequences, options: ScoreOptions & { average: null }): number[];
export function f1Score(
  yTrue: Sequences,
  yPred: Sequences,
  options?: ScoreOptions & { average?: 'micro' | 'macro' | 'weighted' },
): number;
export function f1Score(yTrue: Sequences, yPred: Sequences, options?: ScoreOptions): number | number[];
export function f1Score(yTrue: Sequences, yPred: Sequences, options: ScoreOptions = {}): number | number[] {
  checkOptionKeys(options, SCORE_KEYS, 'f1Score');
  return pick(computeScores(yTrue, yPred, { ...options, beta: 1 }, 'micro', ['f-score']), 'fScore');
}
