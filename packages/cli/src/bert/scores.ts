/**
 * Entity-level scores of predicted tags against gold (seqeval default mode = conlleval
 * rules), shared by `train bert` and `compare`.
 */
import { classificationReport, conlleval, formatReport } from '@twner/metrics-seqeval';

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
  /** Gold entities. */
  support: number;
}

export interface EntityScores {
  /** Micro average over all entities. */
  overall: Prf;
  macro: Prf;
  /** By entity type, sorted. */
  perType: Record<string, Prf>;
  /** seqeval's `classification_report` text (4 digits). */
  report: string;
  /** conlleval's output text. */
  conlleval: string;
  /** Token accuracy as conlleval counts it (%), padding never included. */
  tokenAccuracy: number;
}

const AVERAGES = new Set(['micro avg', 'macro avg', 'weighted avg']);

export function scoreTags(gold: readonly (readonly string[])[], pred: readonly (readonly string[])[]): EntityScores {
  const yTrue = gold.map((s) => [...s]);
  const yPred = pred.map((s) => [...s]);
  const dict = classificationReport(yTrue, yPred, { outputDict: true, zeroDivision: 0 });
  const prf = (name: string): Prf => {
    const row = dict[name];
    return row ? { precision: row.precision, recall: row.recall, f1: row['f1-score'], support: row.support } : { precision: 0, recall: 0, f1: 0, support: 0 };
  };
  const perType: Record<string, Prf> = {};
  for (const name of Object.keys(dict)) if (!AVERAGES.has(name)) perType[name] = prf(name);
  const ce = conlleval(yTrue, yPred);
  return {
    overall: prf('micro avg'),
    macro: prf('macro avg'),
    perType,
    report: formatReport(dict, { digits: 4 }),
    conlleval: ce.text,
    tokenAccuracy: ce.accuracy,
  };
}
