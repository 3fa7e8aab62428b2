/**
 * What a run folder's `config.json` and `crf.json` hold, and their checks: no file system here,
 * so that browsers (which get the files by other means) check a model the same way.
 */
import { RunFolderError } from '../errors';
import { WORD_LOOKUPS, type WordLookup } from '../data/word-lookup';

/**
 * The run-folder format this version writes. History:
 * - 1 (no `format` field): runs written before twner 0.2 — read as they are.
 * - 2: `config.json` has `format: 2` and `kind: "bilstm-crf"`; everything else as in 1.
 * The contract is documented in the package README and in `run-folder.schema.json`.
 */
export const RUN_FOLDER_FORMAT = 2;

/** The CRF of one network, as `crf.json` holds it. */
export interface SavedCrf {
  transitions: number[][];
  start: number[];
  end: number[];
}

/** What `config.json` of a BiLSTM-CRF run holds (format 2; format 1 lacks `format` and `kind`). */
export interface RunConfig {
  format?: number;
  kind?: 'bilstm-crf';
  /** The emission network's sizes and choices (what `buildEmissionModel` takes). */
  model: {
    arch: 'notebook' | 'char-gazetteer';
    vocabSize: number;
    embeddingDim: number;
    charVocabSize: number;
    charDim: number;
    charFilters: number;
    charKernel: number;
    /** Several char CNN widths, `charFilters` filters each, concatenated (absent: just `charKernel`). */
    charKernels?: number[];
    maxChars: number;
    featureDim: number;
    units: number;
    layers: number;
    dropout: number;
    /** Size of the TimeDistributed Dense(relu) layer before the emissions (notebook: 25; 0 = none). */
    denseUnits: number;
    numTags: number;
    seed: number;
    fused: boolean;
    /** The LSTM gates' activation: Keras 2 and PyTorch use `sigmoid`; runs saved before the option existed keep tfjs-layers' `hardSigmoid`. */
    recurrentActivation?: 'sigmoid' | 'hardSigmoid';
    /** Char CNN as one `FusedCharCNN` layer; absent in runs saved before it existed, which keep the layer composition. */
    charCnnFused?: boolean;
    /** Initial LSTM weights: `keras` (the notebook's) or `tfjs` (absent). */
    lstmInit?: 'keras' | 'tfjs';
    /** Dropout masks shared by every token of a sentence (variational dropout) instead of drawn per token (absent). Training only. */
    variationalDropout?: boolean;
  };
  labels: string[];
  constrained: boolean;
  useCasing: boolean;
  gazetteerLists: string[];
  gazetteerScheme?: 'BI' | 'BIES';
  /** How tokens find their word row (`WordLookup`): `glove6b` with the GloVe 6B vectors (absent: `exact`). */
  wordLookup?: WordLookup;
  ensemble?: { seeds: number[] };
  [key: string]: unknown;
}

/** A plain JSON object (not an array, not null). */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min = 0): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min;

/** Checks a parsed `config.json` against the format (what `run-folder.schema.json` says); returns the problems. */
export function configProblems(value: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(value)) return ['config.json is not a JSON object'];
  const c = value;
  if (c.format !== undefined && !isInt(c.format, 1)) problems.push('"format" must be an integer ≥ 1');
  if (c.kind !== undefined && c.kind !== 'bilstm-crf') problems.push(`"kind" must be "bilstm-crf", got ${JSON.stringify(c.kind)}`);
  if (!Array.isArray(c.labels) || c.labels.length === 0 || !c.labels.every((l) => typeof l === 'string')) problems.push('"labels" must be a non-empty array of strings');
  for (const key of ['constrained', 'useCasing'] as const) if (typeof c[key] !== 'boolean') problems.push(`"${key}" must be true or false`);
  if (!Array.isArray(c.gazetteerLists) || !c.gazetteerLists.every((l) => typeof l === 'string')) problems.push('"gazetteerLists" must be an array of strings');
  if (c.gazetteerScheme !== undefined && c.gazetteerScheme !== 'BI' && c.gazetteerScheme !== 'BIES') problems.push('"gazetteerScheme" must be "BI" or "BIES"');
  if (c.wordLookup !== undefined && !WORD_LOOKUPS.includes(c.wordLookup as WordLookup)) {
    problems.push(`"wordLookup" must be one of ${WORD_LOOKUPS.map((l) => JSON.stringify(l)).join(', ')}, got ${JSON.stringify(c.wordLookup)}`);
  }
  if (c.ensemble !== undefined && !(isObject(c.ensemble) && Array.isArray(c.ensemble.seeds) && c.ensemble.seeds.length >= 1 && c.ensemble.seeds.every((s) => isInt(s)))) {
    problems.push('"ensemble" must be {"seeds": [integers]}');
  }
  const m = c.model;
  if (!isObject(m)) {
    problems.push('"model" must be an object');
    return problems;
  }
  if (m.arch !== 'notebook' && m.arch !== 'char-gazetteer') problems.push(`"model.arch" must be "notebook" or "char-gazetteer", got ${JSON.stringify(m.arch)}`);
  for (const key of ['vocabSize', 'embeddingDim', 'units', 'layers', 'numTags']) if (!isInt(m[key], 1)) problems.push(`"model.${key}" must be an integer ≥ 1`);
  for (const key of ['charVocabSize', 'charDim', 'charFilters', 'charKernel', 'maxChars', 'featureDim', 'denseUnits', 'seed']) if (!isInt(m[key])) problems.push(`"model.${key}" must be an integer ≥ 0`);
  if (typeof m.dropout !== 'number' || !(m.dropout >= 0 && m.dropout < 1)) problems.push('"model.dropout" must be a number in [0, 1)');
  if (typeof m.fused !== 'boolean') problems.push('"model.fused" must be true or false');
  if (m.variationalDropout !== undefined && typeof m.variationalDropout !== 'boolean') problems.push('"model.variationalDropout" must be true or false');
  if (m.recurrentActivation !== undefined && m.recurrentActivation !== 'sigmoid' && m.recurrentActivation !== 'hardSigmoid') problems.push('"model.recurrentActivation" must be "sigmoid" or "hardSigmoid"');
  if (m.charKernels !== undefined && !(Array.isArray(m.charKernels) && m.charKernels.every((w) => isInt(w, 1)))) problems.push('"model.charKernels" must be an array of integers ≥ 1');
  if (Array.isArray(c.labels) && isInt(m.numTags, 1) && c.labels.length !== m.numTags) problems.push(`"model.numTags" is ${m.numTags} but "labels" holds ${c.labels.length}`);
  return problems;
}

export function checkCrf(dir: string, file: string, value: unknown, K: number): SavedCrf {
  const vec = (v: unknown): v is number[] => Array.isArray(v) && v.length === K && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!isObject(value) || !Array.isArray(value.transitions) || value.transitions.length !== K || !value.transitions.every(vec) || !vec(value.start) || !vec(value.end)) {
    throw new RunFolderError(dir, `${file} must hold finite "transitions" [${K}][${K}], "start" [${K}] and "end" [${K}] (${K} labels in config.json)`);
  }
  return value as unknown as SavedCrf;
}

/** Byte count the manifest of a `model.json` promises for its weight files. */
export function manifestBytes(manifest: unknown): number | null {
  if (!Array.isArray(manifest)) return null;
  let total = 0;
  for (const group of manifest) {
    if (!isObject(group) || !Array.isArray(group.weights)) return null;
    for (const w of group.weights) {
      if (!isObject(w) || !Array.isArray(w.shape)) return null;
      const size = (w.shape as number[]).reduce((a, b) => a * b, 1);
      total += size * (w.dtype === 'float32' || w.dtype === 'int32' || w.dtype === undefined ? 4 : 1);
    }
  }
  return total;
}


/**
 * A parsed `config.json` checked as every loader checks it: a newer format is refused first
 * (its fields may mean something else), then the problems of {@link configProblems}. `where`
 * names the folder (or URL) in the {@link RunFolderError}.
 */
export function checkRunConfig(where: string, raw: unknown): RunConfig {
  if (isObject(raw) && isInt(raw.format, 1) && (raw.format as number) > RUN_FOLDER_FORMAT) {
    throw new RunFolderError(where, `was written by a newer twner (run-folder format ${raw.format}; this version reads up to ${RUN_FOLDER_FORMAT}): upgrade @twner/tagger`);
  }
  const problems = configProblems(raw);
  if (problems.length > 0) throw new RunFolderError(where, `config.json does not describe a twner model: ${problems.join('; ')}`);
  return raw as RunConfig;
}

/** The networks' folders of a run, relative to it: `model`, then `members/2`, … for an ensemble. */
export function netFolders(config: RunConfig): string[] {
  const seeds = config.ensemble?.seeds ?? [config.model.seed];
  return ['model', ...seeds.slice(1).map((_, i) => `members/${i + 2}`)];
}
