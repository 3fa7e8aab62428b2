/**
 * Options of `twner train bert`, parsed and checked before any work starts: a bad value is a
 * usage error (exit 2) that names the flag, what it expects and what it got.
 */
import { WORD_AGGREGATIONS, type WordAggregation } from '@twner/bert-ner';
import { TaggerError, EXIT_USAGE } from '@twner/tagger';
import { parseNumberText } from '../number-text';

export interface TrainBertOptions {
  /** Local model directory or Hugging Face Hub id. */
  model: string;
  /** Random initialisation with `config` instead of the checkpoint's weights. */
  fromScratch: boolean;
  /** Preset name or `config.json` path for `fromScratch`. */
  config: string;
  labelAllTokens: boolean;
  aggregation: WordAggregation;
  lr: number;
  epochs: number;
  batchSize: number;
  warmupRatio: number;
  weightDecay: number;
  /** Epochs without a better dev F1 before stopping. */
  patience: number;
  /** Longest sequence in sub-tokens, [CLS]/[SEP] included. */
  maxLength: number;
  maxGradNorm: number;
  /** First N training tweets only (0 = all). */
  limitTrain: number;
  /** First N dev and test tweets only (0 = all). */
  limitEval: number;
  seed: number;
  dataDir: string | undefined;
  outDir: string;
  /** The run folder itself (default: a new one under `outDir`). */
  out?: string;
  backend: string;
}

/** The raw values commander hands over (strings for valued flags). */
export type RawTrainBertOptions = Partial<Record<keyof TrainBertOptions, string | boolean | undefined>>;

export const TRAIN_BERT_DEFAULTS = {
  model: 'bert-base-uncased',
  config: 'tiny',
  aggregation: 'first',
  lr: '5e-5',
  epochs: '3',
  batchSize: '16',
  warmupRatio: '0.1',
  weightDecay: '0.01',
  patience: '2',
  maxLength: '128',
  maxGradNorm: '1',
  limitTrain: '0',
  limitEval: '0',
  seed: '42',
  outDir: 'runs',
  backend: 'auto',
} as const;

function usage(flag: string, expected: string, got: unknown): TaggerError {
  return new TaggerError(`--${flag}: expected ${expected}, received ${JSON.stringify(got)}`, EXIT_USAGE);
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function numberOf(raw: RawTrainBertOptions, key: keyof typeof TRAIN_BERT_DEFAULTS): number {
  const value = raw[key] ?? TRAIN_BERT_DEFAULTS[key];
  const n = typeof value === 'string' ? parseNumberText(value) : NaN;
  if (!Number.isFinite(n)) throw usage(kebab(key), 'a number', value);
  return n;
}

function integerOf(raw: RawTrainBertOptions, key: keyof typeof TRAIN_BERT_DEFAULTS, min: number): number {
  const n = numberOf(raw, key);
  if (!Number.isInteger(n) || n < min) throw usage(kebab(key), `an integer ≥ ${min}`, raw[key] ?? TRAIN_BERT_DEFAULTS[key]);
  return n;
}

function stringOf(raw: RawTrainBertOptions, key: keyof TrainBertOptions, fallback: string): string {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '') throw usage(kebab(key), 'a non-empty value', value);
  return value;
}

/** Checks and converts commander's values. */
export function parseTrainBertOptions(raw: RawTrainBertOptions): TrainBertOptions {
  const aggregation = stringOf(raw, 'aggregation', TRAIN_BERT_DEFAULTS.aggregation);
  if (!(WORD_AGGREGATIONS as readonly string[]).includes(aggregation)) {
    throw usage('aggregation', `one of ${WORD_AGGREGATIONS.join(', ')}`, aggregation);
  }
  const lr = numberOf(raw, 'lr');
  if (lr <= 0) throw usage('lr', 'a positive number', raw.lr);
  const warmupRatio = numberOf(raw, 'warmupRatio');
  if (warmupRatio < 0 || warmupRatio >= 1) throw usage('warmup-ratio', 'a number in [0, 1)', raw.warmupRatio);
  const weightDecay = numberOf(raw, 'weightDecay');
  if (weightDecay < 0) throw usage('weight-decay', 'a number ≥ 0', raw.weightDecay);
  const maxGradNorm = numberOf(raw, 'maxGradNorm');
  if (maxGradNorm <= 0) throw usage('max-grad-norm', 'a positive number', raw.maxGradNorm);
  const dataDir = raw.dataDir;
  return {
    model: stringOf(raw, 'model', TRAIN_BERT_DEFAULTS.model),
    fromScratch: raw.fromScratch === true,
    config: stringOf(raw, 'config', TRAIN_BERT_DEFAULTS.config),
    labelAllTokens: raw.labelAllTokens === true,
    aggregation: aggregation as WordAggregation,
    lr,
    epochs: integerOf(raw, 'epochs', 1),
    batchSize: integerOf(raw, 'batchSize', 1),
    warmupRatio,
    weightDecay,
    patience: integerOf(raw, 'patience', 0),
    maxLength: integerOf(raw, 'maxLength', 3),
    maxGradNorm,
    limitTrain: integerOf(raw, 'limitTrain', 0),
    limitEval: integerOf(raw, 'limitEval', 0),
    seed: integerOf(raw, 'seed', 0),
    dataDir: typeof dataDir === 'string' && dataDir !== '' ? dataDir : undefined,
    outDir: stringOf(raw, 'outDir', TRAIN_BERT_DEFAULTS.outDir),
    ...(typeof raw.out === 'string' && raw.out !== '' ? { out: raw.out } : {}),
    backend: stringOf(raw, 'backend', TRAIN_BERT_DEFAULTS.backend),
  };
}
