/**
 * Types of the token-classification pipeline. Field names are Hugging Face's (`entity_group`,
 * `start`, `end`) so results compare one to one with Python's `pipeline("ner")`.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BertTokenizer } from '../tokenize/bert-tokenizer';
import type { TruncationPolicy } from '../tokenize/types';

/**
 * How sub-tokens become entities (Hugging Face's `aggregation_strategy`):
 * - `none`: one result per sub-token (`entity`, `index`), no grouping.
 * - `simple`: sub-tokens grouped into entities by their B-/I- tags; a word can be cut apart.
 * - `first` | `average` | `max`: sub-tokens first merged into words (first piece's label, mean
 *   of probabilities, or the most confident piece), then words grouped into entities.
 */
export type AggregationStrategy = 'none' | 'simple' | 'first' | 'average' | 'max';

/** One sub-token (`aggregationStrategy: 'none'`). */
export interface TokenEntity {
  /** Predicted tag, e.g. `B-person`. */
  entity: string;
  /** Probability of that tag. */
  score: number;
  /** Position of the sub-token in the encoded sequence (`[CLS]` is 0). */
  index: number;
  /** The sub-token (`##le`), or the original text for the unknown token. */
  word: string;
  /** `[start, end)` in the input text, as JavaScript string indices. */
  start: number;
  end: number;
}

/** One entity (every strategy but `none`). */
export interface EntityGroup {
  /** Entity type without its B-/I- prefix, e.g. `person`. */
  entity_group: string;
  /** Mean score of the grouped sub-tokens or words. */
  score: number;
  /** Grouped tokens joined by the tokenizer's decoder (`##` pieces glued). */
  word: string;
  start: number;
  end: number;
}

export type PipelineEntity = TokenEntity | EntityGroup;

/** The model side the pipeline needs; `BertForTokenClassification` fits. */
export interface TokenClassifierModel {
  predict(inputs: { inputIds: tf.Tensor2D; attentionMask?: tf.Tensor2D; tokenTypeIds?: tf.Tensor2D }): {
    logits: tf.Tensor3D;
  };
  config: { id2label: Record<number, string>; maxPositionEmbeddings?: number };
  /** `tokenizer.json` beside the weights, used when no `tokenizer` option is given. */
  tokenizerPath?: string;
}

export interface TokenClassificationPipelineOptions {
  /** Default `'none'`, as Hugging Face. */
  aggregationStrategy?: AggregationStrategy;
  /** Labels (or entity groups) to drop after grouping. Default `['O']`. */
  ignoreLabels?: string[];
  /** Tokenizer to use; default: the one in the model's directory. */
  tokenizer?: BertTokenizer;
  /** Texts per forward pass. Default 8. */
  batchSize?: number;
  /** Longest sequence, special tokens included. Default: the model's `maxPositionEmbeddings`. */
  maxLength?: number;
  /** What to do with longer texts. Default `'error'` (see `TruncationPolicy`). */
  truncation?: TruncationPolicy;
}

/** The function the pipeline factory returns. */
export interface TokenClassificationPipeline {
  (text: string): Promise<PipelineEntity[]>;
  (texts: string[]): Promise<PipelineEntity[][]>;
}
