import { InputTooLongError, ShapeError, ValueError } from './errors';

/**
 * The most tokens one tweet may have in `InferenceBiLstm.forward`/`forwardBatch` (both
 * kernels): longer inputs throw {@link InputTooLongError}. A tweet has at most a few hundred.
 */
export const MAX_TWEET_TOKENS = 65_536;

/**
 * One tweet's inputs for {@link InferenceBiLstm}: word ids, and, where the network has them,
 * character ids and the indices of its active 0/1 features (CSR).
 */
export interface TweetInputs {
  /** `[T]` word ids in [0, V); 0 is padding (the LSTM state carries over it). */
  words: ArrayLike<number>;
  /** `[T × maxChars]` char ids in [0, charVocabSize), token-major: FusedCharCNN's `[T, C]` input. */
  chars?: ArrayLike<number>;
  /** `[T + 1]` CSR offsets: token t's active features are `featureIndices[featureOffsets[t] … featureOffsets[t+1])`. */
  featureOffsets?: ArrayLike<number>;
  /** Indices in [0, featureDim) of the features that are 1 (every other feature is 0). */
  featureIndices?: ArrayLike<number>;
}

/** Word ids alone (a network without char CNN and features), or {@link TweetInputs}. */
export type InferenceInput = ArrayLike<number> | TweetInputs;

/** Inputs after validation. */
export interface CheckedInput {
  words: ArrayLike<number>;
  chars: ArrayLike<number> | null;
  featureOffsets: ArrayLike<number> | null;
  featureIndices: ArrayLike<number> | null;
}

/** What the network takes: vocabulary sizes, C, and the feature count (0 = none). */
export interface InputShape {
  vocabSize: number;
  charVocabSize: number;
  maxChars: number;
  featureDim: number;
}

const KEYS = new Set(['words', 'chars', 'featureOffsets', 'featureIndices']);

function isTweetInputs(x: InferenceInput): x is TweetInputs {
  return typeof x === 'object' && x !== null && !('length' in x);
}

function checkIds(op: string, name: string, ids: ArrayLike<number>, limit: number, width: number): void {
  for (let q = 0; q < ids.length; q++) {
    const v = ids[q];
    if (!(v >= 0 && v < limit && Number.isInteger(v))) {
      const where = width > 1 ? `token ${Math.floor(q / width)}, position ${q % width}` : `${q}`;
      throw new ValueError(op, name, `must lie in [0, ${limit}), got ${v} at ${where}`);
    }
  }
}

/**
 * Checks one tweet's inputs against the network: every id in range, the arrays' sizes, CSR
 * offsets non-decreasing from 0 to the number of indices, at most {@link MAX_TWEET_TOKENS}.
 * @param op names the caller, e.g. `InferenceBiLstm.forwardBatch (tweet 3)`
 */
export function checkInput(op: string, input: InferenceInput, shape: InputShape, index = 0): CheckedInput {
  const tweet: TweetInputs = isTweetInputs(input) ? input : { words: input };
  if (isTweetInputs(input)) {
    for (const key of Object.keys(input)) {
      if (!KEYS.has(key)) throw new ValueError(op, key, `is not an input; use words, chars, featureOffsets and featureIndices`);
    }
  }
  const words = tweet.words;
  if (words === undefined || typeof words.length !== 'number') throw new ValueError(op, 'words', 'must be an array of word ids');
  const T = words.length;
  if (T > MAX_TWEET_TOKENS) throw new InputTooLongError(op, index, T, MAX_TWEET_TOKENS);
  checkIds(op, isTweetInputs(input) ? 'words' : 'ids', words, shape.vocabSize, 1);
  let chars: ArrayLike<number> | null = null;
  if (shape.maxChars > 0) {
    if (tweet.chars === undefined) throw new ValueError(op, 'chars', `are required: the network has a char CNN; pass [T × ${shape.maxChars}] char ids`);
    chars = tweet.chars;
    if (chars.length !== T * shape.maxChars) throw new ShapeError(op, 'chars', `[${T * shape.maxChars}] (T × maxChars = ${T} × ${shape.maxChars})`, `[${chars.length}]`);
    checkIds(op, 'chars', chars, shape.charVocabSize, shape.maxChars);
  } else if (tweet.chars !== undefined) {
    throw new ValueError(op, 'chars', 'were given, but the network has no char CNN (config.charCnn)');
  }
  let featureOffsets: ArrayLike<number> | null = null;
  let featureIndices: ArrayLike<number> | null = null;
  if (shape.featureDim > 0) {
    if (tweet.featureOffsets === undefined || tweet.featureIndices === undefined) {
      throw new ValueError(op, 'featureOffsets', `and featureIndices are required: the network takes ${shape.featureDim} features per token (CSR: offsets [T + 1], indices)`);
    }
    featureOffsets = tweet.featureOffsets;
    featureIndices = tweet.featureIndices;
    if (featureOffsets.length !== T + 1) throw new ShapeError(op, 'featureOffsets', `[${T + 1}] (T + 1)`, `[${featureOffsets.length}]`);
    if (featureOffsets[0] !== 0) throw new ValueError(op, 'featureOffsets', `must start at 0, got ${featureOffsets[0]}`);
    for (let t = 0; t < T; t++) {
      if (!(featureOffsets[t + 1] >= featureOffsets[t]) || !Number.isInteger(featureOffsets[t + 1])) {
        throw new ValueError(op, 'featureOffsets', `must be non-decreasing integers, got ${featureOffsets[t]} then ${featureOffsets[t + 1]} at ${t}`);
      }
    }
    if (featureOffsets[T] !== featureIndices.length) {
      throw new ValueError(op, 'featureOffsets', `must end at featureIndices.length (${featureIndices.length}), got ${featureOffsets[T]}`);
    }
    checkIds(op, 'featureIndices', featureIndices, shape.featureDim, 1);
  } else if (tweet.featureOffsets !== undefined || tweet.featureIndices !== undefined) {
    throw new ValueError(op, 'featureOffsets', 'were given, but the network takes no features (config.featureDim)');
  }
  return { words, chars, featureOffsets, featureIndices };
}
