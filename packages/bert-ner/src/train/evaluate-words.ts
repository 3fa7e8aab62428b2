import * as tf from '@tensorflow/tfjs';
import { f1Score } from '@twner/metrics-seqeval';
import type { BertForTokenClassification } from '../model/bert-for-token-classification';
import { type TrainingExample, padBatch } from './batch';
import { IGNORE_INDEX } from './masked-cross-entropy';

/** Word-level gold and predicted tags, and seqeval's micro entity F1 over them. */
export interface WordEvaluation {
  yTrue: string[][];
  yPred: string[][];
  /** seqeval `f1_score` (default mode, micro average, 0 when undefined). */
  f1: number;
}

/**
 * Positions scored for one example: the first sub-token of each word when `wordIds` are given,
 * otherwise every labelled position (which is one per word under first-sub-token alignment).
 */
function scoredPositions(example: TrainingExample): number[] {
  if (example.wordIds) {
    const seen = new Set<number>();
    const positions: number[] = [];
    example.wordIds.forEach((w, i) => {
      if (w !== null && !seen.has(w)) {
        seen.add(w);
        positions.push(i);
      }
    });
    return positions;
  }
  return example.labels.flatMap((l, i) => (l === IGNORE_INDEX ? [] : [i]));
}

/**
 * Tags each word by the arg-max label of its first sub-token and scores the entities with
 * @twner/metrics-seqeval: words, not sub-tokens, as the CoNLL evaluation expects.
 */
export function evaluateWords(model: BertForTokenClassification, examples: TrainingExample[], batchSize = 32): WordEvaluation {
  const yTrue: string[][] = [];
  const yPred: string[][] = [];
  const { id2label, padTokenId } = model.config;
  for (let start = 0; start < examples.length; start += batchSize) {
    const chunk = examples.slice(start, start + batchSize);
    const batch = padBatch(chunk, padTokenId, model.numLabels);
    const predicted = tf.tidy(() => tf.argMax(model.predict(batch).logits, -1).arraySync() as number[][]);
    tf.dispose([batch.inputIds, batch.attentionMask, batch.tokenTypeIds, batch.labels]);
    chunk.forEach((example, b) => {
      const positions = scoredPositions(example);
      yTrue.push(positions.map((p) => (example.labels[p] === IGNORE_INDEX ? 'O' : id2label[example.labels[p]])));
      yPred.push(positions.map((p) => id2label[predicted[b][p]]));
    });
  }
  return { yTrue, yPred, f1: f1Score(yTrue, yPred, { zeroDivision: 0 }) };
}
