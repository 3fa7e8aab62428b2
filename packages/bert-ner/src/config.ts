import { ConfigError, UnsupportedArchitectureError } from './errors';

/** Activation functions a BERT config may name in `hidden_act`. */
export type HiddenAct = 'gelu' | 'gelu_new' | 'gelu_pytorch_tanh' | 'gelu_fast' | 'relu' | 'silu' | 'swish' | 'tanh';

const HIDDEN_ACTS: readonly HiddenAct[] = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'gelu_fast', 'relu', 'silu', 'swish', 'tanh'];

/**
 * A BERT configuration, camelCased from Hugging Face's `config.json`. Defaults are those of
 * `transformers.BertConfig` (bert-base-uncased sizes).
 */
export interface BertConfig {
  vocabSize: number;
  hiddenSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  intermediateSize: number;
  hiddenAct: HiddenAct;
  hiddenDropoutProb: number;
  attentionProbsDropoutProb: number;
  /** Dropout before the classifier; `null` means `hiddenDropoutProb` (as in transformers). */
  classifierDropout: number | null;
  maxPositionEmbeddings: number;
  typeVocabSize: number;
  initializerRange: number;
  layerNormEps: number;
  padTokenId: number;
  /** Label names by id, as HF writes them (`{"0": "O", …}` in the file). */
  id2label: Record<number, string>;
  label2id: Record<string, number>;
  /** `architectures` of the file, e.g. `["BertForTokenClassification"]`. */
  architectures: string[];
  /** Every other key of the original file, kept so that saving round-trips it. */
  extra: Record<string, unknown>;
}

/** Number of labels of a config (size of `id2label`). */
export function numLabels(config: BertConfig): number {
  return Object.keys(config.id2label).length;
}

const DEFAULTS = {
  vocab_size: 30522,
  hidden_size: 768,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  intermediate_size: 3072,
  hidden_act: 'gelu',
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  classifier_dropout: null,
  max_position_embeddings: 512,
  type_vocab_size: 2,
  initializer_range: 0.02,
  layer_norm_eps: 1e-12,
  pad_token_id: 0,
} as const;

const KNOWN_KEYS = new Set<string>([...Object.keys(DEFAULTS), 'id2label', 'label2id', 'num_labels', 'architectures', 'model_type', 'position_embedding_type', 'dtype', 'torch_dtype']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveInt(raw: Record<string, unknown>, key: keyof typeof DEFAULTS, file: string | undefined): number {
  const value = raw[key] ?? DEFAULTS[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`config ${key} must be a positive integer, got ${JSON.stringify(value)}`, { file, field: key });
  }
  return value;
}

function probability(raw: Record<string, unknown>, key: keyof typeof DEFAULTS, file: string | undefined): number {
  const value = raw[key] ?? DEFAULTS[key];
  if (typeof value !== 'number' || value < 0 || value >= 1) {
    throw new ConfigError(`config ${key} must be a number in [0, 1), got ${JSON.stringify(value)}`, { file, field: key });
  }
  return value;
}

function labelsFrom(raw: Record<string, unknown>, file: string | undefined): { id2label: Record<number, string>; label2id: Record<string, number> } {
  const id2label: Record<number, string> = {};
  if (isRecord(raw.id2label)) {
    for (const [key, name] of Object.entries(raw.id2label)) {
      const id = Number(key);
      if (!Number.isInteger(id) || id < 0 || typeof name !== 'string') {
        throw new ConfigError(`config id2label must map integer ids to names, got ${JSON.stringify(key)}: ${JSON.stringify(name)}`, {
          file,
          field: 'id2label',
        });
      }
      id2label[id] = name;
    }
  } else {
    // transformers' default: num_labels (2 when absent) labels named LABEL_i.
    const n = typeof raw.num_labels === 'number' ? raw.num_labels : 2;
    for (let i = 0; i < n; i++) id2label[i] = `LABEL_${i}`;
  }
  const ids = Object.keys(id2label).map(Number).sort((a, b) => a - b);
  ids.forEach((id, i) => {
    if (id !== i) throw new ConfigError(`config id2label ids must be 0..${ids.length - 1} without gaps, found id ${id}`, { file, field: 'id2label' });
  });
  const label2id: Record<string, number> = {};
  for (const id of ids) label2id[id2label[id]] = id;
  return { id2label, label2id };
}

/**
 * Parses a Hugging Face BERT `config.json` object. Throws {@link UnsupportedArchitectureError}
 * for a `model_type` other than `bert` or a position embedding type other than `absolute`,
 * {@link ConfigError} for invalid sizes.
 */
export function parseBertConfig(raw: unknown, file?: string): BertConfig {
  if (!isRecord(raw)) throw new ConfigError(`config must be a JSON object, got ${JSON.stringify(raw)?.slice(0, 80)}`, { file });
  const modelType = raw.model_type;
  const architectures = Array.isArray(raw.architectures) ? raw.architectures.filter((a): a is string => typeof a === 'string') : [];
  if (modelType !== undefined && modelType !== 'bert') {
    throw new UnsupportedArchitectureError(
      `Only BERT checkpoints are supported (model_type "bert"), got model_type ${JSON.stringify(modelType)}` +
        (architectures.length > 0 ? ` with architectures ${architectures.join(', ')}` : '') +
        (file ? ` in ${file}` : ''),
      { modelType: String(modelType), architectures },
    );
  }
  const unsupportedArch = architectures.filter((a) => !a.startsWith('Bert'));
  if (unsupportedArch.length > 0) {
    throw new UnsupportedArchitectureError(`Unsupported architectures ${unsupportedArch.join(', ')}${file ? ` in ${file}` : ''}; expected Bert*`, {
      modelType: typeof modelType === 'string' ? modelType : undefined,
      architectures,
    });
  }
  const positionType = raw.position_embedding_type ?? 'absolute';
  if (positionType !== 'absolute') {
    throw new UnsupportedArchitectureError(`Only absolute position embeddings are supported, got position_embedding_type ${JSON.stringify(positionType)}`, {
      modelType: 'bert',
      architectures,
    });
  }
  const hiddenAct = raw.hidden_act ?? DEFAULTS.hidden_act;
  if (typeof hiddenAct !== 'string' || !(HIDDEN_ACTS as readonly string[]).includes(hiddenAct)) {
    throw new ConfigError(`config hidden_act must be one of ${HIDDEN_ACTS.join(', ')}, got ${JSON.stringify(hiddenAct)}`, { file, field: 'hidden_act' });
  }
  const hiddenSize = positiveInt(raw, 'hidden_size', file);
  const numAttentionHeads = positiveInt(raw, 'num_attention_heads', file);
  if (hiddenSize % numAttentionHeads !== 0) {
    throw new ConfigError(`config hidden_size ${hiddenSize} is not a multiple of num_attention_heads ${numAttentionHeads}`, { file, field: 'hidden_size' });
  }
  const classifierDropout = raw.classifier_dropout ?? null;
  if (classifierDropout !== null && (typeof classifierDropout !== 'number' || classifierDropout < 0 || classifierDropout >= 1)) {
    throw new ConfigError(`config classifier_dropout must be null or a number in [0, 1), got ${JSON.stringify(classifierDropout)}`, {
      file,
      field: 'classifier_dropout',
    });
  }
  const layerNormEps = raw.layer_norm_eps ?? DEFAULTS.layer_norm_eps;
  if (typeof layerNormEps !== 'number' || !(layerNormEps > 0)) {
    throw new ConfigError(`config layer_norm_eps must be a positive number, got ${JSON.stringify(layerNormEps)}`, { file, field: 'layer_norm_eps' });
  }
  const initializerRange = raw.initializer_range ?? DEFAULTS.initializer_range;
  const padTokenId = raw.pad_token_id ?? DEFAULTS.pad_token_id;
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) if (!KNOWN_KEYS.has(key)) extra[key] = value;
  return {
    vocabSize: positiveInt(raw, 'vocab_size', file),
    hiddenSize,
    numHiddenLayers: positiveInt(raw, 'num_hidden_layers', file),
    numAttentionHeads,
    intermediateSize: positiveInt(raw, 'intermediate_size', file),
    hiddenAct: hiddenAct as HiddenAct,
    hiddenDropoutProb: probability(raw, 'hidden_dropout_prob', file),
    attentionProbsDropoutProb: probability(raw, 'attention_probs_dropout_prob', file),
    classifierDropout,
    maxPositionEmbeddings: positiveInt(raw, 'max_position_embeddings', file),
    typeVocabSize: positiveInt(raw, 'type_vocab_size', file),
    initializerRange: typeof initializerRange === 'number' ? initializerRange : DEFAULTS.initializer_range,
    layerNormEps,
    padTokenId: typeof padTokenId === 'number' ? padTokenId : DEFAULTS.pad_token_id,
    ...labelsFrom(raw, file),
    architectures,
    extra,
  };
}

/** A config with bert-base-uncased sizes, overridden by `overrides` (for tests and benchmarks). */
export function createBertConfig(overrides: Partial<BertConfig> & { labels?: string[] } = {}): BertConfig {
  const { labels, ...rest } = overrides;
  const base = parseBertConfig({ model_type: 'bert', architectures: ['BertForTokenClassification'] });
  const config: BertConfig = { ...base, ...rest };
  if (labels) {
    config.id2label = Object.fromEntries(labels.map((l, i) => [i, l]));
    config.label2id = Object.fromEntries(labels.map((l, i) => [l, i]));
  } else if (rest.id2label && !rest.label2id) {
    config.label2id = Object.fromEntries(Object.entries(rest.id2label).map(([i, l]) => [l, Number(i)]));
  }
  return config;
}

/**
 * The `config.json` object Hugging Face writes for this config (snake_case keys, string ids
 * in `id2label`), with every unknown key of the original file kept.
 */
export function bertConfigToJson(config: BertConfig, architecture = 'BertForTokenClassification'): Record<string, unknown> {
  const ids = Object.keys(config.id2label)
    .map(Number)
    .sort((a, b) => a - b);
  const json: Record<string, unknown> = {
    ...config.extra,
    architectures: [architecture],
    attention_probs_dropout_prob: config.attentionProbsDropoutProb,
    classifier_dropout: config.classifierDropout,
    hidden_act: config.hiddenAct,
    hidden_dropout_prob: config.hiddenDropoutProb,
    hidden_size: config.hiddenSize,
    id2label: Object.fromEntries(ids.map((id) => [String(id), config.id2label[id]])),
    initializer_range: config.initializerRange,
    intermediate_size: config.intermediateSize,
    label2id: Object.fromEntries(ids.map((id) => [config.id2label[id], id])),
    layer_norm_eps: config.layerNormEps,
    max_position_embeddings: config.maxPositionEmbeddings,
    model_type: 'bert',
    num_attention_heads: config.numAttentionHeads,
    num_hidden_layers: config.numHiddenLayers,
    pad_token_id: config.padTokenId,
    position_embedding_type: 'absolute',
    type_vocab_size: config.typeVocabSize,
    vocab_size: config.vocabSize,
  };
  json.dtype = 'float32';
  return Object.fromEntries(Object.keys(json)
    .sort()
    .map((k) => [k, json[k]]));
}
