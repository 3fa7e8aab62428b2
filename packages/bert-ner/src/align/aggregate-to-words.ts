/**
 * Sub-token logits → one prediction per word, through the `wordIds` of the encoded batch.
 * The inverse of `alignLabels`: use it to evaluate on words (seqeval) whatever the training
 * labelled.
 */
import type * as tf from '@tensorflow/tfjs';
import { InvalidOptionError, LabelAlignmentError } from '../tokenize/errors';
import { combinePieces, WORD_AGGREGATIONS, type WordAggregation, type WordPrediction } from './combine-pieces';

export interface AggregateToWordsOptions {
  /** Default `'first'`. */
  strategy?: WordAggregation;
  /**
   * [B] words per sequence (e.g. `encodeWords(...).numWords`), so that trailing words with no
   * sub-token (empty or truncated) still get a `null` slot. Default: up to the last word seen.
   */
  numWords?: number[];
}

/**
 * @param logits [B, S, K] model logits (a tensor is read synchronously; it is not disposed)
 * @param wordIds [B, S] word index of each sub-token, `null` for special and padding tokens
 * @returns [B][words] one prediction per word; `null` for a word without sub-tokens
 * @example
 * const { logits } = model.predict(inputs);
 * aggregateToWords(logits, batch.wordIds, { strategy: 'sum' })[0][1];
 * // { labelId: 5, score: 0.93, probabilities: [...] }
 */
export function aggregateToWords(
  logits: tf.Tensor3D | number[][][],
  wordIds: Array<Array<number | null>>,
  options: AggregateToWordsOptions = {},
): Array<Array<WordPrediction | null>> {
  const strategy = options.strategy ?? 'first';
  if (!WORD_AGGREGATIONS.includes(strategy)) {
    throw new InvalidOptionError('strategy', `one of ${WORD_AGGREGATIONS.join(', ')}`, JSON.stringify(strategy), 'aggregateToWords');
  }
  const rows = Array.isArray(logits) ? logits : logits.arraySync();
  return wordIds.map((ids, b) => {
    const pieces: number[][][] = [];
    ids.forEach((w, i) => {
      if (w === null) return;
      (pieces[w] ??= []).push(rows[b][i]);
    });
    const n = options.numWords?.[b] ?? pieces.length;
    return Array.from({ length: n }, (_, w) => (pieces[w] ? combinePieces(pieces[w], strategy) : null));
  });
}

/**
 * Word predictions → tags, for seqeval. A word without a prediction gets `fill` (default `'O'`).
 * @param id2label id → tag as in `config.json` (string or number keys)
 */
export function predictionsToTags(
  predictions: Array<Array<WordPrediction | null>>,
  id2label: Record<number | string, string>,
  fill = 'O',
): string[][] {
  return predictions.map((row, b) =>
    row.map((p) => {
      if (p === null) return fill;
      const tag = id2label[p.labelId];
      if (tag === undefined) throw new LabelAlignmentError(b, `label id ${p.labelId} is not in id2label`);
      return tag;
    }),
  );
}
