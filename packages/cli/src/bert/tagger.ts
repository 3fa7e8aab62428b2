/**
 * A fine-tuned BERT as a word tagger: words in, one IOB2 tag (and its probability) per word out.
 * Sub-token logits become word predictions with `aggregateToWords` (first | average | max |
 * sum); words cut off by `maxLength` are tagged `O`.
 */
import * as tf from '@tensorflow/tfjs';
import {
  aggregateToWords,
  type BertForTokenClassification,
  type BertTokenizer,
  predictionsToTags,
  toModelInputs,
  type WordAggregation,
} from '@twner/bert-ner';

export interface WordTags {
  /** [N][words] predicted tags. */
  tags: string[][];
  /** [N][words] probability of each predicted tag (0 for words cut off). */
  scores: number[][];
  /** Tweets whose tail was cut off by `maxLength`. */
  truncated: number;
}

export interface BertTaggerOptions {
  aggregation: WordAggregation;
  maxLength: number;
  /** Tweets per forward pass. Default 64. */
  batchSize?: number;
}

export class BertTagger {
  constructor(
    readonly model: BertForTokenClassification,
    readonly tokenizer: BertTokenizer,
    readonly options: BertTaggerOptions,
  ) {}

  /**
   * Tags tweets; batches are formed from tweets of similar length (sorted), results come back
   * in input order.
   * @param sentences [N][words]
   */
  async tagWords(sentences: readonly (readonly string[])[], onBatch?: (done: number) => void): Promise<WordTags> {
    const batchSize = this.options.batchSize ?? 64;
    const order = sentences.map((s, i) => ({ i, n: s.join(' ').length })).sort((a, b) => a.n - b.n).map((x) => x.i);
    const tags: string[][] = new Array(sentences.length);
    const scores: number[][] = new Array(sentences.length);
    let truncated = 0;
    for (let from = 0; from < order.length; from += batchSize) {
      const idx = order.slice(from, from + batchSize);
      const words = idx.map((i) => [...sentences[i]]);
      const batch = await this.tokenizer.encodeWords(words, { maxLength: this.options.maxLength, truncation: 'tokens' });
      const inputs = toModelInputs(batch);
      let logits: number[][][];
      try {
        const out = this.model.predict(inputs);
        logits = await out.logits.array();
        out.logits.dispose();
      } finally {
        tf.dispose([inputs.inputIds, inputs.attentionMask, inputs.tokenTypeIds]);
      }
      const predictions = aggregateToWords(logits, batch.wordIds, { strategy: this.options.aggregation, numWords: batch.numWords });
      const batchTags = predictionsToTags(predictions, this.model.config.id2label);
      idx.forEach((i, b) => {
        tags[i] = batchTags[b];
        scores[i] = predictions[b].map((p) => (p === null ? 0 : p.score));
        if (batch.truncated[b]) truncated++;
      });
      onBatch?.(Math.min(order.length, from + batchSize));
    }
    return { tags, scores, truncated };
  }
}
