import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { type BertConfig, numLabels } from '../config';
import { InputShapeError } from '../errors';
import { checkOptionKeys } from '../tokenize/errors';
import { type HubOptions, readCheckpoint, resolveModelDir } from '../from-pretrained';
import { savePretrained } from '../save-pretrained';
import { maskedCrossEntropy } from '../train/masked-cross-entropy';
import { type LoadReport, matchCheckpoint } from './checkpoint';
import { tokenClassifier } from './classifier';
import { bertEncoder } from './encoder';
import { type ParameterSpec, bertParameterSpecs, fromTorchLayout, initialValue } from './parameters';

/** Model inputs, all [B, T]. Ids are cast to int32 when given as float. */
export interface TokenClassificationInputs {
  /** Token ids, [CLS] … [SEP] then padding. */
  inputIds: tf.Tensor2D;
  /** 1 for real tokens, 0 for padding. Default: all ones. */
  attentionMask?: tf.Tensor2D;
  /** Segment ids. Default: all zeros. */
  tokenTypeIds?: tf.Tensor2D;
}

/** Options of {@link BertForTokenClassification.predict}. */
export interface PredictOptions {
  /** Also return the embeddings' output and each layer's output (N + 1 tensors of [B, T, H]). */
  outputHiddenStates?: boolean;
  /** Apply dropout (training mode). Default false. */
  training?: boolean;
}

/** What {@link BertForTokenClassification.predict} returns; the caller owns (and disposes) the tensors. */
export interface TokenClassifierOutput {
  /** [B, T, K] unnormalised label scores. */
  logits: tf.Tensor3D;
  /** [B, T, H] each, when `outputHiddenStates`. */
  hiddenStates?: tf.Tensor3D[];
}

/** Options of {@link BertForTokenClassification.fromPretrained}. */
export interface FromPretrainedOptions extends HubOptions {
  /**
   * Label names for the head, by id. Replace the checkpoint's `id2label`; when their number
   * differs from a checkpoint head's, pass `ignoreMismatchedSizes` to start a new head.
   */
  labels?: string[];
  /**
   * Re-initialise a classifier whose size differs from the labels instead of throwing. As it
   * starts a new head, it also allows a checkpoint without one (as `allowNewHead`).
   */
  ignoreMismatchedSizes?: boolean;
  /**
   * Start a new, randomly initialised classifier when the checkpoint has none (a base model such
   * as bert-base-uncased, for fine-tuning). Without it such a checkpoint is refused, so that a
   * prediction never runs on a random head. A head partly present is refused either way.
   */
  allowNewHead?: boolean;
  /** Seed for the weights that are newly initialised. */
  seed?: number;
}

/** Options of {@link BertForTokenClassification.create}. */
export interface CreateOptions {
  /** Seed of the random initialisation. */
  seed?: number;
}

const FROM_PRETRAINED_KEYS: readonly (keyof FromPretrainedOptions)[] = [
  'revision',
  'cacheDir',
  'accessToken',
  'localFilesOnly',
  'fetch',
  'hubUrl',
  'labels',
  'ignoreMismatchedSizes',
  'allowNewHead',
  'seed',
];

let modelCount = 0;

function checkInput(name: string, t: tf.Tensor | undefined, like: [number, number] | undefined): void {
  if (t === undefined) return;
  if (t.rank !== 2) throw new InputShapeError(name, 'a rank-2 tensor [B, T]', `rank ${t.rank} [${t.shape.join(', ')}]`, 'BertForTokenClassification.predict');
  if (like && (t.shape[0] !== like[0] || t.shape[1] !== like[1])) {
    throw new InputShapeError(name, `shape [${like.join(', ')}] like inputIds`, `[${t.shape.join(', ')}]`, 'BertForTokenClassification.predict');
  }
}

/**
 * BERT with a token classification head, numerically the same as Hugging Face's
 * `BertForTokenClassification`, on TensorFlow.js variables named as in transformers.
 *
 * @example
 * const model = await BertForTokenClassification.fromPretrained('bert-base-uncased', { labels: ['O', 'B-person', 'I-person'] });
 * const { logits } = model.predict({ inputIds, attentionMask }); // [B, T, 3]
 */
export class BertForTokenClassification {
  /** The model's configuration (`config.json`, camelCased). */
  readonly config: BertConfig;
  /** Directory the model was loaded from (a Hub cache snapshot for hub ids). */
  readonly modelDir: string | undefined;
  /** `tokenizer.json` beside the weights, when present. */
  readonly tokenizerPath: string | undefined;
  /** Newly initialised and unused tensors of the checkpoint. */
  readonly loadReport: LoadReport;
  private readonly specs: ParameterSpec[];
  private readonly weights = new Map<string, tf.Variable>();
  private disposed = false;

  private constructor(config: BertConfig, values: Map<string, Float32Array>, report: LoadReport, modelDir: string | undefined, seed: number | undefined) {
    this.config = config;
    this.modelDir = modelDir;
    const tokenizer = modelDir ? path.join(modelDir, 'tokenizer.json') : undefined;
    this.tokenizerPath = tokenizer && existsSync(tokenizer) ? tokenizer : undefined;
    this.loadReport = report;
    this.specs = bertParameterSpecs(config);
    const id = modelCount++;
    this.specs.forEach((spec, i) => {
      const data = values.get(spec.name);
      const init = data ? fromTorchLayout(spec, data) : initialValue(spec, config, seed === undefined ? undefined : seed + i);
      this.weights.set(spec.name, tf.variable(init, true, `bert-ner-${id}/${spec.name}`));
      init.dispose();
    });
  }

  /** A randomly initialised model for `config` (Hugging Face's initialisation). */
  static create(config: BertConfig, options: CreateOptions = {}): BertForTokenClassification {
    const names = bertParameterSpecs(config).map((s) => s.name);
    return new BertForTokenClassification(config, new Map(), { source: 'random', newlyInitialized: names, unused: [] }, undefined, options.seed);
  }

  /**
   * Loads a checkpoint saved by transformers' `save_pretrained` (or {@link savePretrained}):
   * a local directory or a Hugging Face Hub id, downloaded into the Hub cache.
   * float16 and bfloat16 weights become float32. A base checkpoint (e.g. `bert-base-uncased`)
   * gets a new randomly initialised classifier for `labels` only with `allowNewHead: true`
   * (fine-tuning); without it, a checkpoint missing any classifier tensor is refused.
   *
   * @throws ConfigError, UnsupportedArchitectureError, WeightsMismatchError, SafetensorsError, ModelDownloadError
   */
  static async fromPretrained(dirOrHubId: string, options: FromPretrainedOptions = {}): Promise<BertForTokenClassification> {
    checkOptionKeys(options, FROM_PRETRAINED_KEYS, 'BertForTokenClassification.fromPretrained');
    const dir = await resolveModelDir(dirOrHubId, options);
    const checkpoint = await readCheckpoint(dir);
    const config = checkpoint.config;
    if (options.labels) {
      config.id2label = Object.fromEntries(options.labels.map((l, i) => [i, l]));
      config.label2id = Object.fromEntries(options.labels.map((l, i) => [l, i]));
    }
    const source = path.basename(checkpoint.weightsFile) === checkpoint.weightsFile ? dirOrHubId : checkpoint.weightsFile;
    const { values, report } = matchCheckpoint(bertParameterSpecs(config), checkpoint.tensors, source, {
      ignoreMismatchedSizes: options.ignoreMismatchedSizes,
      allowNewHead: options.allowNewHead,
    });
    return new BertForTokenClassification(config, values, report, dir, options.seed);
  }

  /**
   * Runs the model. Dropout only when `training`.
   * @returns logits [B, T, K] and, with `outputHiddenStates`, N + 1 hidden states [B, T, H]
   */
  predict(inputs: TokenClassificationInputs, options: PredictOptions = {}): TokenClassifierOutput {
    this.assertAlive();
    const { inputIds } = inputs;
    checkInput('inputIds', inputIds, undefined);
    const shape: [number, number] = [inputIds.shape[0], inputIds.shape[1]];
    checkInput('attentionMask', inputs.attentionMask, shape);
    checkInput('tokenTypeIds', inputs.tokenTypeIds, shape);
    if (shape[1] > this.config.maxPositionEmbeddings) {
      throw new InputShapeError(
        'inputIds',
        `at most max_position_embeddings = ${this.config.maxPositionEmbeddings} tokens per sequence`,
        `${shape[1]}`,
        'BertForTokenClassification.predict',
      );
    }
    const training = options.training ?? false;
    return tf.tidy(() => {
      const ids = tf.cast(inputIds, 'int32') as tf.Tensor2D;
      const states = bertEncoder(
        this.weights,
        this.config,
        {
          inputIds: ids,
          attentionMask: inputs.attentionMask ?? tf.onesLike(ids),
          tokenTypeIds: inputs.tokenTypeIds ? (tf.cast(inputs.tokenTypeIds, 'int32') as tf.Tensor2D) : tf.zerosLike(ids),
        },
        training,
      );
      const logits = tokenClassifier(this.weights, this.config, states[states.length - 1], training);
      return options.outputHiddenStates ? { logits, hiddenStates: states } : { logits };
    });
  }

  /**
   * Mean cross-entropy of the logits against `labels` [B, T] (−100 = ignored), as
   * transformers' `BertForTokenClassification(labels=…).loss`.
   */
  loss(inputs: TokenClassificationInputs, labels: tf.Tensor2D, options: { training?: boolean } = {}): tf.Scalar {
    return tf.tidy(() => maskedCrossEntropy(this.predict(inputs, { training: options.training ?? false }).logits, labels));
  }

  /** The model's variables by Hugging Face parameter name. Linear weights are `[in, out]` (PyTorch's transposed). */
  namedWeights(): Map<string, tf.Variable> {
    this.assertAlive();
    return new Map(this.weights);
  }

  /** Parameter names and PyTorch shapes, in Hugging Face's order. */
  parameterSpecs(): ParameterSpec[] {
    return this.specs.map((s) => ({ ...s, shape: [...s.shape] }));
  }

  /** Number of label classes (K). */
  get numLabels(): number {
    return numLabels(this.config);
  }

  /** Total number of parameters. */
  get numParameters(): number {
    return this.specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  }

  /**
   * Writes `config.json`, `model.safetensors` (PyTorch layout, HF names), and copies
   * `tokenizer.json` / `tokenizer_config.json`, so Python's
   * `BertForTokenClassification.from_pretrained(dir)` loads it.
   */
  async savePretrained(dir: string, options: { tokenizerDir?: string } = {}): Promise<void> {
    this.assertAlive();
    await savePretrained(
      { config: this.config, specs: this.specs, weights: this.weights },
      dir,
      { tokenizerDir: options.tokenizerDir ?? this.modelDir },
    );
  }

  /** Frees every variable. The model cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    for (const v of this.weights.values()) v.dispose();
    this.weights.clear();
    this.disposed = true;
  }

  private assertAlive(): void {
    if (this.disposed) throw new InputShapeError('this', 'a live model', 'a disposed model', 'BertForTokenClassification');
  }
}
