/** Token-level scores of seqeval: `accuracy_score` and `performance_measure`. */
import { EmptyInputError } from './errors';
import { checkConsistentLength, type Sequences } from './validate';

/**
 * Fraction of tokens whose predicted tag equals the true tag (over all tokens, 'O' included).
 * @throws EmptyInputError when there are no tokens (seqeval divides by zero).
 * @example accuracyScore([['O', 'B-PER', 'I-PER']], [['O', 'B-PER', 'O']]); // 0.6666666666666666
 */
export function accuracyScore(yTrue: Sequences, yPred: Sequences): number {
  const tokens = checkConsistentLength(yTrue, yPred);
  if (tokens === 0) throw new EmptyInputError('accuracyScore');
  let correct = 0;
  for (let s = 0; s < yTrue.length; s += 1) {
    const t = yTrue[s];
    const p = yPred[s];
    for (let j = 0; j < t.length; j += 1) if (t[j] === p[j]) correct += 1;
  }
  return correct / tokens;
}

/** seqeval's token counts (TP: equal and not both 'O'; FP: different and predicted not 'O'; FN: true not 'O', predicted 'O'; TN: both 'O'). */
export interface PerformanceMeasure {
  TP: number;
  FP: number;
  FN: number;
  TN: number;
}

/**
 * seqeval's `performance_measure`, token by token. Note that FP and FN overlap: a token
 * tagged 'B-PER' and predicted 'B-LOC' is a FP only, not also a FN.
 */
export function performanceMeasure(yTrue: Sequences, yPred: Sequences): PerformanceMeasure {
  checkConsistentLength(yTrue, yPred);
  const out: PerformanceMeasure = { TP: 0, FP: 0, FN: 0, TN: 0 };
  for (let s = 0; s < yTrue.length; s += 1) {
    const t = yTrue[s];
    const p = yPred[s];
    for (let j = 0; j < t.length; j += 1) {
      const a = t[j];
      const b = p[j];
      if (a === b) {
        if (a === 'O') out.TN += 1;
        else out.TP += 1;
      } else if (b !== 'O') {
        out.FP += 1;
      }
      if (a !== 'O' && b === 'O') out.FN += 1;
    }
  }
  return out;
}
