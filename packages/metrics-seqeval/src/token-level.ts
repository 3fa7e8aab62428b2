/**
 * Token-level scores: every token is one sample and its full tag ('B-PER', 'I-PER', 'O', …) its
 * label, as scikit-learn's classification_report on the flattened tags. Useful next to the
 * entity scores to see which tags a model confuses.
 */
import type { EntityCounts } from './counts';
import { InvalidOptionError } from './errors';
import { checkOptionKeys, type ZeroDivision } from './options';
import { compareCodePoints } from './python-format';
import { reportFromCounts, type ReportDict } from './report';
import { checkConsistentLength, type Sequences } from './validate';

export interface TokenReportOptions {
  /** Labels to report, in this order; default: every tag of yTrue or yPred, sorted. Micro, macro and weighted averages cover these labels only. */
  labels?: readonly string[];
  /** Default 'warn' (acts as 0). */
  zeroDivision?: ZeroDivision;
  onWarning?: (message: string) => void;
}

/**
 * Per-tag precision, recall, F1 and support over tokens, with micro/macro/weighted averages,
 * in the same dict shape as classificationReport (render it with formatReport).
 *
 * @example
 * tokenReport([['B-PER', 'I-PER', 'O']], [['B-PER', 'O', 'O']])['I-PER'];
 * // { precision: 0, recall: 0, 'f1-score': 0, support: 1 }
 */
export function tokenReport(yTrue: Sequences, yPred: Sequences, options: TokenReportOptions = {}): ReportDict {
  checkOptionKeys(options, ['labels', 'zeroDivision', 'onWarning'], 'tokenReport');
  if (options.labels !== undefined && (!Array.isArray(options.labels) || options.labels.some((l) => typeof l !== 'string'))) {
    throw new InvalidOptionError('labels', 'an array of tag strings', options.labels);
  }
  checkConsistentLength(yTrue, yPred);
  const tp = new Map<string, number>();
  const pred = new Map<string, number>();
  const truth = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (let s = 0; s < yTrue.length; s += 1) {
    const t = yTrue[s];
    const p = yPred[s];
    for (let j = 0; j < t.length; j += 1) {
      bump(truth, t[j]);
      bump(pred, p[j]);
      if (t[j] === p[j]) bump(tp, t[j]);
    }
  }
  const labels = options.labels
    ? [...options.labels]
    : [...new Set([...truth.keys(), ...pred.keys()])].sort(compareCodePoints);
  const counts: EntityCounts = {
    labels,
    tp: labels.map((l) => tp.get(l) ?? 0),
    pred: labels.map((l) => pred.get(l) ?? 0),
    true: labels.map((l) => truth.get(l) ?? 0),
  };
  return reportFromCounts(counts, { zeroDivision: options.zeroDivision, onWarning: options.onWarning });
}
