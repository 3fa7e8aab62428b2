/** Input checks shared by every metric: the shapes of yTrue and yPred must agree. */
import { InconsistentLengthError, InvalidInputError } from './errors';

/** Tag sequences, one per sentence. */
export type Sequences = readonly (readonly string[])[];

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value)}` : `a value of type ${typeof value}`;
}

/**
 * seqeval's `check_consistent_length`, with a place: throws for non-array input, a different
 * number of sentences, or the first sentence whose lengths differ. Returns the token count.
 * @internal
 */
export function checkConsistentLength(yTrue: Sequences, yPred: Sequences): number {
  if (!Array.isArray(yTrue)) throw new InvalidInputError('yTrue', -1, describe(yTrue));
  if (!Array.isArray(yPred)) throw new InvalidInputError('yPred', -1, describe(yPred));
  const n = Math.min(yTrue.length, yPred.length);
  let tokens = 0;
  for (let s = 0; s < n; s += 1) {
    const t = yTrue[s];
    const p = yPred[s];
    if (!Array.isArray(t)) throw new InvalidInputError('yTrue', s, describe(t));
    if (!Array.isArray(p)) throw new InvalidInputError('yPred', s, describe(p));
    if (t.length !== p.length) throw new InconsistentLengthError('tokens', s, t.length, p.length);
    tokens += t.length;
  }
  if (yTrue.length !== yPred.length) {
    throw new InconsistentLengthError('sentences', n, yTrue.length, yPred.length);
  }
  return tokens;
}
