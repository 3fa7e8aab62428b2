/**
 * Turns the logits of one word's sub-tokens into one prediction for the word.
 *
 * - `first`: the first piece's probabilities (matches first-sub-token training).
 * - `average`: the mean of the pieces' probabilities (softmax first, then average), as the HF pipeline.
 * - `max`: the probabilities of the piece whose top probability is highest (first on ties), as the HF pipeline.
 * - `sum`: softmax of the summed logits: the notebook's merge of sub-token predictions.
 */
import { argmax, softmax } from './softmax';

export type WordAggregation = 'first' | 'average' | 'max' | 'sum';
export const WORD_AGGREGATIONS: readonly WordAggregation[] = ['first', 'average', 'max', 'sum'];

export interface WordPrediction {
  /** Argmax of `probabilities` (first on ties). */
  labelId: number;
  /** `probabilities[labelId]`. */
  score: number;
  /** [K] class probabilities for the word. */
  probabilities: number[];
}

/**
 * @param pieces [P][K] logits of the word's P ≥ 1 sub-tokens, in order
 */
export function combinePieces(pieces: readonly number[][], strategy: WordAggregation): WordPrediction {
  let probabilities: number[];
  switch (strategy) {
    case 'first':
      probabilities = softmax(pieces[0]);
      break;
    case 'average': {
      const probs = pieces.map((p) => softmax(p));
      probabilities = probs[0].map((_, k) => probs.reduce((s, p) => s + p[k], 0) / probs.length);
      break;
    }
    case 'max': {
      const probs = pieces.map((p) => softmax(p));
      let best = 0;
      for (let i = 1; i < probs.length; i++) if (Math.max(...probs[i]) > Math.max(...probs[best])) best = i;
      probabilities = probs[best];
      break;
    }
    case 'sum':
      probabilities = softmax(pieces[0].map((_, k) => pieces.reduce((s, p) => s + p[k], 0)));
      break;
  }
  const labelId = argmax(probabilities);
  return { labelId, score: probabilities[labelId], probabilities };
}
