/**
 * seqeval's `classification_report`: per-type precision, recall, F1 and support, then the
 * micro, macro and weighted averages, as a dict or as the text seqeval prints.
 */
import { countEntities, type EntityCounts } from './counts';
import { InvalidOptionError } from './errors';
import { resolvePrfSettings, scoresFromCounts, warnTagHook, type AveragedScores, type PerTypeScores } from './prf';
import { checkOptionKeys, ENTITY_KEYS, type ScoreOptions } from './options';
import { codePointLength, formatFixed, padStart } from './python-format';
import type { Sequences } from './validate';

/** One row of a report, keyed as seqeval's dict output. */
export interface ReportRow {
  precision: number;
  recall: number;
  'f1-score': number;
  support: number;
}

/** Per-type rows in sorted type order, then 'micro avg', 'macro avg', 'weighted avg'. */
export type ReportDict = Record<string, ReportRow>;

export interface ReportOptions extends Omit<ScoreOptions, 'average'> {
  /** Digits after the decimal point in the text. Default 2. */
  digits?: number;
  /** Return the dict instead of the text. Default false. */
  outputDict?: boolean;
}

export const AVERAGE_ROWS = ['micro avg', 'macro avg', 'weighted avg'] as const;

/** @internal Builds the dict from per-type counts (shared with the token-level report). */
export function reportFromCounts(counts: EntityCounts, options: Omit<ScoreOptions, 'average'>): ReportDict {
  const settings = (average: 'micro' | 'macro' | 'weighted' | null) =>
    resolvePrfSettings({ ...options, average }, null, ['precision', 'recall', 'f-score']);
  const perType = scoresFromCounts(counts, settings(null)) as PerTypeScores;
  const out: ReportDict = {};
  perType.labels.forEach((label, i) => {
    out[label] = {
      precision: perType.precision[i],
      recall: perType.recall[i],
      'f1-score': perType.fScore[i],
      support: perType.support[i],
    };
  });
  for (const average of ['micro', 'macro', 'weighted'] as const) {
    const s = scoresFromCounts(counts, settings(average)) as AveragedScores;
    out[`${average} avg`] = { precision: s.precision, recall: s.recall, 'f1-score': s.fScore, support: s.support };
  }
  return out;
}

/**
 * The text seqeval prints for a report dict: a header, one row per type, a blank line, the
 * average rows, a final newline. Floats with Python's rounding (`0.125` -> `0.12`).
 */
export function formatReport(report: ReportDict, options: { digits?: number } = {}): string {
  checkOptionKeys(options, ['digits'], 'formatReport');
  const digits = resolveDigits(options.digits);
  const names = Object.keys(report);
  const labels = names.filter((n) => !(AVERAGE_ROWS as readonly string[]).includes(n));
  const averages = AVERAGE_ROWS.filter((n) => n in report);
  let width = Math.max('weighted avg'.length, digits);
  for (const name of labels) width = Math.max(width, codePointLength(name));
  const row = (name: string, r: ReportRow): string =>
    `${padStart(name, width)} ` +
    [r.precision, r.recall, r['f1-score']].map((v) => ` ${padStart(formatFixed(v, digits), 9)}`).join('') +
    ` ${padStart(String(r.support), 9)}`;
  const header = `${' '.repeat(width)} ${['precision', 'recall', 'f1-score', 'support'].map((h) => ` ${padStart(h, 9)}`).join('')}`;
  const lines = [...labels.map((n) => row(n, report[n])), '', ...averages.map((n) => row(n, report[n])), ''];
  return `${header}\n\n${lines.join('\n')}`;
}

function resolveDigits(digits: number | undefined): number {
  const value = digits ?? 2;
  if (!Number.isInteger(value) || value < 0 || value > 100) {
    throw new InvalidOptionError('digits', 'an integer from 0 to 100', value);
  }
  return value;
}

/**
 * seqeval's classification report.
 *
 * @example
 * const yTrue = [['B-A', 'B-B', 'O', 'B-A']];
 * const yPred = [['O', 'B-B', 'B-C', 'B-A']];
 * classificationReport(yTrue, yPred, { outputDict: true })['weighted avg'];
 * // { precision: 1, recall: 0.6666666666666666, 'f1-score': 0.7777777777777777, support: 3 }
 */
export function classificationReport(
  yTrue: Sequences,
  yPred: Sequences,
  options: ReportOptions & { outputDict: true },
): ReportDict;
export function classificationReport(
  yTrue: Sequences,
  yPred: Sequences,
  options?: ReportOptions & { outputDict?: false },
): string;
export function classificationReport(yTrue: Sequences, yPred: Sequences, options?: ReportOptions): string | ReportDict;
export function classificationReport(
  yTrue: Sequences,
  yPred: Sequences,
  options: ReportOptions = {},
): string | ReportDict {
  checkOptionKeys(options, [...ENTITY_KEYS, 'zeroDivision', 'onWarning', 'digits', 'outputDict'], 'classificationReport');
  const { digits, outputDict, ...scoreOptions } = options;
  const digitsValue = resolveDigits(digits);
  const counts = countEntities(yTrue, yPred, scoreOptions, warnTagHook(scoreOptions));
  const report = reportFromCounts(counts, scoreOptions);
  return outputDict ? report : formatReport(report, { digits: digitsValue });
}
