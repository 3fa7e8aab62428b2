/** Input checks shared by every metric: the shapes of yTrue and yPred must agree. */
import { InconsistentLengthError, InvalidInputError } from './errors';

/** Tag sequences, one per sentence. */
export type Sequences = readonly (readonly string[])[];

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `a value of type ${typeof value} (${String(value)})`;
  return `a value of type ${typeof value}`;
}

/**
 * Throws {@link InvalidInputError} naming sentence and position of the first tag that is not a
 * string (null, a number, a nested array…), which would otherwise fail deep inside with a
 * TypeError or be scored as a type of its own.
 * @internal
 */
export function checkTags(sequences: Sequences, argument: string): void {
  for (let s = 0; s < sequences.length; s += 1) {
    const sentence = sequences[s];
    if (!Array.isArray(sentence)) throw new InvalidInputError(argument, s, describe(sentence));
    for (let j = 0; j < sentence.length; j += 1) {
      if (typeof sentence[j] !== 'string') throw new InvalidInputError(argument, s, describe(sentence[j]), j);
    }
  }
}

/**
 * Checks one argument given as tag sequences: an array of sentences of string tags.
 * @internal
 */
export function checkSequences(sequences: Sequences, argument: string): void {
  if (!Array.isArray(sequences)) throw new InvalidInputError(argument, -1, describe(sequences));
  checkTags(sequences, argument);
}

/**
 * seqeval's `check_consistent_length`, with a place: throws for non-array input, a different
 * number of sentences, the first sentence whose lengths differ, or the first tag that is not a
 * string. Returns the token count.
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
  checkTags(yTrue, 'yTrue');
  checkTags(yPred, 'yPred');
  return tokens;
}
