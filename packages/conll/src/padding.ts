import { checkOptions, oneOf } from './options';
import { describeValue } from './quote';
import { ConllUsageError, VocabularyError } from './errors';

const isNumber = (value: unknown): string | undefined => (typeof value === 'number' ? undefined : 'a number');
const PAD_OPTIONS = { length: isNumber, value: isNumber, padding: oneOf(['pre', 'post']), truncating: oneOf(['pre', 'post']) };

export interface PadOptions {
  /** Target length; default the longest sequence. */
  length?: number;
  /** Value for padded positions (default 0, the vocabulary's padding index). */
  value?: number;
  /** Pad at the end (`post`, default) or the start (`pre`). */
  padding?: 'pre' | 'post';
  /** Cut from the end (`post`, default) or the start (`pre`) of longer sequences. */
  truncating?: 'pre' | 'post';
}

/** Padded sequences `[N, T]` and their mask `[N, T]` (1 real, 0 padding). */
export interface Padded {
  ids: number[][];
  mask: number[][];
  /** Real length of each sequence after truncation. */
  lengths: number[];
}

/**
 * Pads or truncates index sequences to one length and returns the mask of real positions.
 *
 * @example padSequences([[5, 6], [7]], { length: 3 }).ids // [[5, 6, 0], [7, 0, 0]]
 */
export function padSequences(sequences: readonly (readonly number[])[], options: PadOptions = {}): Padded {
  checkOptions(options, PAD_OPTIONS, 'padSequences');
  if (!Array.isArray(sequences) || !sequences.every((s) => Array.isArray(s))) {
    throw new ConllUsageError('INVALID_ARGUMENT', 'sequences', `padSequences: sequences must be an array of index arrays (number[][]), received ${describeValue(sequences)}`);
  }
  const length = options.length ?? Math.max(0, ...sequences.map((s) => s.length));
  if (!Number.isInteger(length) || length < 0) throw new VocabularyError('BAD_OPTION', `expected a length that is an integer >= 0, received ${length}`);
  const value = options.value ?? 0;
  const ids: number[][] = [];
  const mask: number[][] = [];
  const lengths: number[] = [];
  for (const sequence of sequences) {
    const kept = sequence.length <= length ? [...sequence] : options.truncating === 'pre' ? sequence.slice(sequence.length - length) : sequence.slice(0, length);
    const pad = new Array<number>(length - kept.length).fill(value);
    const ones = new Array<number>(kept.length).fill(1);
    const zeros = new Array<number>(pad.length).fill(0);
    const pre = options.padding === 'pre';
    ids.push(pre ? [...pad, ...kept] : [...kept, ...pad]);
    mask.push(pre ? [...zeros, ...ones] : [...ones, ...zeros]);
    lengths.push(kept.length);
  }
  return { ids, mask, lengths };
}

/**
 * Splits sequences into batches of `batchSize` (the last may be smaller), each padded to its own
 * longest sequence (capped by `maxLength`). `indices` gives each row's position in the input.
 */
export function batchSequences(
  sequences: readonly (readonly number[])[],
  batchSize: number,
  options: { maxLength?: number; value?: number } = {},
): (Padded & { indices: number[] })[] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new VocabularyError('BAD_OPTION', `expected a batch size that is an integer >= 1, received ${batchSize}`);
  const batches: (Padded & { indices: number[] })[] = [];
  for (let start = 0; start < sequences.length; start += batchSize) {
    const part = sequences.slice(start, start + batchSize);
    const longest = Math.max(...part.map((s) => s.length));
    const padded = padSequences(part, { length: Math.min(longest, options.maxLength ?? longest), value: options.value });
    batches.push({ ...padded, indices: part.map((_, k) => start + k) });
  }
  return batches;
}
