/**
 * The model and tokenizer `twner train bert` starts from: a checkpoint (local directory or Hub
 * id) whose head is fitted to the WNUT16 labels, or a random initialisation (`--from-scratch`)
 * that uses the checkpoint's tokenizer only. A from-scratch model is NOT pretrained.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BertForTokenClassification,
  BertNerError,
  BertTokenizer,
  ModelDownloadError,
  parseBertConfig,
  resolveModelDir,
  TokenizerLoadError,
} from '@twner/bert-ner';
import { TaggerError, EXIT_FAILURE, EXIT_USAGE } from '@twner/tagger';
import { scratchConfig } from './presets';

export interface LoadedBert {
  model: BertForTokenClassification;
  tokenizer: BertTokenizer;
  /** Directory the tokenizer (and the weights, unless from scratch) came from. */
  dir: string;
  /** False for `--from-scratch`: random weights, no pre-training. */
  fromCheckpoint: boolean;
  /** Lines for the console and the run folder: where the weights came from and what was initialised. */
  notes: string[];
}

export interface LoadBertOptions {
  model: string;
  fromScratch: boolean;
  config: string;
  labels: string[];
  seed: number;
  /** Per-request timeout for Hub downloads in ms. Default 60 s. */
  timeoutMs?: number;
}

const SHARED_FIXTURE_HINT = 'e.g. --model ../shared/fixtures/hf-tiny-bert/model for the tiny random test model';

/** Local directory for `model`, downloading a Hub id into the Hugging Face cache when online. */
export async function resolveModel(model: string, timeoutMs = 60_000): Promise<string> {
  const timedFetch: typeof fetch = (input, init) => fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
  try {
    return await resolveModelDir(model, { fetch: timedFetch });
  } catch (error) {
    if (error instanceof ModelDownloadError) {
      throw new TaggerError(
        `Cannot get '${model}' from the Hugging Face Hub (offline or unreachable). Download it once (huggingface-cli download ${model}) ` +
          `and pass its folder with --model <dir> (${SHARED_FIXTURE_HINT}). Cause: ${error.message.split('. ')[0]}`,
        EXIT_USAGE,
        { cause: error },
      );
    }
    if (error instanceof BertNerError) throw new TaggerError(`--model ${model}: ${error.message}; pass --model <dir> (${SHARED_FIXTURE_HINT})`, EXIT_USAGE, { cause: error });
    throw error;
  }
}

function sameLabelSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((l) => b.includes(l));
}

/** Loads the tokenizer and builds the model to fine-tune. */
export async function loadBertForTraining(options: LoadBertOptions): Promise<LoadedBert> {
  const dir = await resolveModel(options.model, options.timeoutMs);
  let tokenizer: BertTokenizer;
  try {
    tokenizer = BertTokenizer.fromPretrained(dir);
  } catch (error) {
    if (error instanceof TokenizerLoadError) throw new TaggerError(`--model ${options.model}: ${error.message}`, EXIT_USAGE, { cause: error });
    throw error;
  }
  const notes: string[] = [];
  if (options.fromScratch) {
    const config = scratchConfig(options.config, { vocabSize: tokenizer.vocabSize, padTokenId: tokenizer.padToken.id }, options.labels);
    const model = BertForTokenClassification.create(config, { seed: options.seed });
    notes.push(
      `NOT PRETRAINED: --from-scratch --config ${options.config} initialises all ${model.numParameters.toLocaleString('en-US')} parameters at random ` +
        `(hidden ${config.hiddenSize}, ${config.numHiddenLayers} layers, ${config.numAttentionHeads} heads); only the tokenizer comes from ${dir}. ` +
        'Expect scores far below a pretrained BERT.',
    );
    return { model, tokenizer, dir, fromCheckpoint: false, notes };
  }

  let checkpointLabels: string[];
  try {
    const config = parseBertConfig(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')), join(dir, 'config.json'));
    checkpointLabels = Object.values(config.id2label);
  } catch (cause) {
    throw new TaggerError(`--model ${options.model}: cannot read ${join(dir, 'config.json')}: ${cause instanceof Error ? cause.message : String(cause)}`, EXIT_USAGE, { cause });
  }
  // Keep a head already trained for these labels (and its label order); else start a new one.
  const keepHead = sameLabelSet(checkpointLabels, options.labels);
  let model: BertForTokenClassification;
  try {
    model = await BertForTokenClassification.fromPretrained(dir, {
      ...(keepHead ? {} : { labels: options.labels, ignoreMismatchedSizes: true }),
      seed: options.seed,
    });
  } catch (error) {
    if (error instanceof BertNerError) throw new TaggerError(`--model ${options.model}: ${error.message}`, EXIT_FAILURE, { cause: error });
    throw error;
  }
  const { newlyInitialized, unused } = model.loadReport;
  notes.push(
    `weights: ${model.numParameters.toLocaleString('en-US')} parameters from ${dir}` +
      (newlyInitialized.length > 0 ? `; newly initialised: ${newlyInitialized.join(', ')}` : '; head kept (same labels)') +
      (unused.length > 0 ? `; unused checkpoint tensors: ${unused.length}` : ''),
  );
  notes.push('Scores depend on how the checkpoint was pretrained; a random checkpoint (such as the hf-tiny-bert test fixture) is not pretrained.');
  return { model, tokenizer, dir, fromCheckpoint: true, notes };
}
