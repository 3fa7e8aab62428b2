/**
 * `tokenClassificationPipeline`: raw text in, entities out, with the same fields and values as
 * Hugging Face's `pipeline("token-classification", aggregation_strategy=…)`.
 */
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { BertForTokenClassification } from '../model/bert-for-token-classification';
import { BertTokenizer } from '../tokenize/bert-tokenizer';
import { checkTexts } from '../tokenize/check-texts';
import { checkOptionKeys, InvalidOptionError, TokenizerLoadError } from '../tokenize/errors';
import { toModelInputs } from '../tokenize/model-inputs';
import { aggregateEntities } from './aggregate-entities';
import { gatherPreEntities } from './pre-entities';
import type {
  AggregationStrategy,
  PipelineEntity,
  TokenClassificationPipeline,
  TokenClassificationPipelineOptions,
  TokenClassifierModel,
} from './types';

const STRATEGIES: readonly AggregationStrategy[] = ['none', 'simple', 'first', 'average', 'max'];

/**
 * Builds a named-entity recognizer from a model directory (or Hub id) or a loaded model.
 * Each text is tokenized with offsets, run through the model (texts batched and padded),
 * turned into per-token probabilities (softmax), aggregated with `aggregationStrategy`,
 * grouped, and only then filtered by `ignoreLabels`. `start`/`end` are JavaScript string
 * indices (`text.slice(start, end)`); they equal Python's for text without emoji.
 *
 * @example
 * const ner = await tokenClassificationPipeline('path/to/model', { aggregationStrategy: 'first' });
 * await ner('Watching the Lakers game at Staples Center');
 * // [{ entity_group: 'sportsteam', score: 0.97, word: 'lakers', start: 13, end: 19 },
 * //  { entity_group: 'facility', score: 0.91, word: 'staples center', start: 28, end: 42 }]
 */
export async function tokenClassificationPipeline(
  dirOrModel: string | TokenClassifierModel,
  options: TokenClassificationPipelineOptions = {},
): Promise<TokenClassificationPipeline> {
  checkOptionKeys(options, ['aggregationStrategy', 'ignoreLabels', 'tokenizer', 'batchSize', 'maxLength', 'truncation'], 'tokenClassificationPipeline');
  const strategy = options.aggregationStrategy ?? 'none';
  if (!STRATEGIES.includes(strategy)) {
    throw new InvalidOptionError(
      'aggregationStrategy',
      `one of ${STRATEGIES.join(', ')}`,
      JSON.stringify(strategy),
      'tokenClassificationPipeline',
    );
  }
  const batchSize = options.batchSize ?? 8;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new InvalidOptionError('batchSize', 'a positive integer', String(batchSize), 'tokenClassificationPipeline');
  }
  const ignore = new Set(options.ignoreLabels ?? ['O']);
  const model: TokenClassifierModel =
    typeof dirOrModel === 'string' ? await BertForTokenClassification.fromPretrained(dirOrModel) : dirOrModel;
  const tokenizer = options.tokenizer ?? tokenizerBeside(model);
  const { id2label } = model.config;
  const labelOf = (id: number): string => id2label[id] ?? `LABEL_${id}`;
  const joinTokens = (tokens: string[]): string => tokenizer.convertTokensToString(tokens);
  const maxLength = options.maxLength ?? model.config.maxPositionEmbeddings ?? tokenizer.modelMaxLength;

  async function run(texts: string[]): Promise<PipelineEntity[][]> {
    const results: PipelineEntity[][] = [];
    for (let from = 0; from < texts.length; from += batchSize) {
      const chunk = texts.slice(from, from + batchSize);
      const batch = await tokenizer.encodeText(chunk, { maxLength, truncation: options.truncation ?? 'error' });
      const inputs = toModelInputs(batch);
      let logits: number[][][];
      try {
        const out = model.predict(inputs);
        logits = await out.logits.array();
        out.logits.dispose();
      } finally {
        tf.dispose([inputs.inputIds, inputs.attentionMask, inputs.tokenTypeIds]);
      }
      chunk.forEach((text, b) => {
        const pre = gatherPreEntities({
          text,
          inputIds: batch.inputIds[b],
          tokens: batch.tokens[b],
          specialTokensMask: batch.specialTokensMask[b],
          offsets: batch.offsets[b],
          logits: logits[b],
          unkId: tokenizer.unkToken?.id,
          continuingSubwordPrefix: tokenizer.continuingSubwordPrefix,
        });
        const entities = aggregateEntities(pre, strategy, labelOf, joinTokens);
        results.push(entities.filter((e) => !ignore.has('entity' in e ? e.entity : e.entity_group)));
      });
    }
    return results;
  }

  function pipeline(text: string): Promise<PipelineEntity[]>;
  function pipeline(texts: string[]): Promise<PipelineEntity[][]>;
  async function pipeline(input: string | string[]): Promise<PipelineEntity[] | PipelineEntity[][]> {
    checkTexts(input, 'tokenClassificationPipeline');
    if (typeof input === 'string') return (await run([input]))[0];
    return run(input);
  }
  return pipeline;
}

function tokenizerBeside(model: TokenClassifierModel): BertTokenizer {
  if (model.tokenizerPath === undefined) {
    throw new TokenizerLoadError(
      'tokenClassificationPipeline: the model has no tokenizer.json beside its weights; pass options.tokenizer ' +
        '(e.g. BertTokenizer.fromPretrained(dir))',
    );
  }
  return BertTokenizer.fromPretrained(path.dirname(model.tokenizerPath));
}
