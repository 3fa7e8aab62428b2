import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunFolderError } from '../errors';

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
  };
  labels: string[];
  constrained: boolean;
  useCasing: boolean;
  gazetteerLists: string[];
  gazetteerScheme?: 'BI' | 'BIES';
  /** How tokens find their word row: `glove6b` with the GloVe 6B vectors (absent: `exact`). */
  wordLookup?: 'exact' | 'glove6b';
  ensemble?: { seeds: number[] };
  [key: string]: unknown;
}

/** A run folder checked and read, weights not yet loaded. */
export interface RunFolder {
  dir: string;
  /** 1 for folders written before the `format` field, else the field. */
  format: number;
  config: RunConfig;
  /** Network folders: `model/`, then `members/2/`, … */
  netDirs: string[];
  crfs: SavedCrf[];
}

async function readJson(dir: string, file: string): Promise<unknown> {
  const path = join(dir, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RunFolderError(dir, `${file} is missing (a half-written or incomplete run folder?)`);
    if (code === 'EISDIR') throw new RunFolderError(dir, `${file} is a folder, expected a JSON file`);
    throw new RunFolderError(dir, `cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RunFolderError(dir, `${file} is not valid JSON (${(error as Error).message}); the run folder is damaged or was cut off while written`, { cause: error });
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
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
  if (c.wordLookup !== undefined && c.wordLookup !== 'exact' && c.wordLookup !== 'glove6b') problems.push('"wordLookup" must be "exact" or "glove6b"');
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
  if (m.recurrentActivation !== undefined && m.recurrentActivation !== 'sigmoid' && m.recurrentActivation !== 'hardSigmoid') problems.push('"model.recurrentActivation" must be "sigmoid" or "hardSigmoid"');
  if (m.charKernels !== undefined && !(Array.isArray(m.charKernels) && m.charKernels.every((w) => isInt(w, 1)))) problems.push('"model.charKernels" must be an array of integers ≥ 1');
  if (Array.isArray(c.labels) && isInt(m.numTags, 1) && c.labels.length !== m.numTags) problems.push(`"model.numTags" is ${m.numTags} but "labels" holds ${c.labels.length}`);
  return problems;
}

function checkCrf(dir: string, file: string, value: unknown, K: number): SavedCrf {
  const vec = (v: unknown): v is number[] => Array.isArray(v) && v.length === K && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!isObject(value) || !Array.isArray(value.transitions) || value.transitions.length !== K || !value.transitions.every(vec) || !vec(value.start) || !vec(value.end)) {
    throw new RunFolderError(dir, `${file} must hold finite "transitions" [${K}][${K}], "start" [${K}] and "end" [${K}] (${K} labels in config.json)`);
  }
  return value as unknown as SavedCrf;
}

/** Byte count the manifest of a `model.json` promises for its weight files. */
function manifestBytes(manifest: unknown): number | null {
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
 * Opens a run folder written by `twner run` / `trainTagger` (any format up to
 * {@link RUN_FOLDER_FORMAT}): checks that it is complete and consistent and reads its config and
 * CRFs. Throws a {@link RunFolderError} naming the file and the problem: not a run folder, a
 * Hugging Face / BERT folder, half-written, from a newer twner, or inconsistent.
 */
export async function openRunFolder(dir: string): Promise<RunFolder> {
  if (!existsSync(dir)) throw new RunFolderError(dir, 'no such folder');
  if (!statSync(dir).isDirectory()) throw new RunFolderError(dir, 'is a file; give a run folder (written by `twner run`)');
  if (existsSync(join(dir, 'run.json'))) throw new RunFolderError(dir, 'is a BERT run (run.json); load it with the BERT tagger (`twner predict` handles both)');
  if (!existsSync(join(dir, 'vocab.json')) && ['model.safetensors', 'pytorch_model.bin', 'tf_model.h5', 'tokenizer.json'].some((f) => existsSync(join(dir, f)))) {
    throw new RunFolderError(dir, 'is a Hugging Face checkpoint, not a BiLSTM-CRF run folder; fine-tune it with `twner train bert --model <dir>` first');
  }
  if (!existsSync(join(dir, 'config.json'))) throw new RunFolderError(dir, 'is not a twner run folder: config.json is missing');
  const raw = await readJson(dir, 'config.json');
  if (isObject(raw) && isInt(raw.format, 1) && (raw.format as number) > RUN_FOLDER_FORMAT) {
    throw new RunFolderError(dir, `was written by a newer twner (run-folder format ${raw.format}; this version reads up to ${RUN_FOLDER_FORMAT}): upgrade @twner/tagger`);
  }
  const problems = configProblems(raw);
  if (problems.length > 0) throw new RunFolderError(dir, `config.json does not describe a twner model: ${problems.join('; ')}`);
  const config = raw as RunConfig;
  const seeds = config.ensemble?.seeds ?? [config.model.seed];
  const netDirs = [join(dir, 'model'), ...seeds.slice(1).map((_, i) => join(dir, 'members', String(i + 2)))];
  for (const f of ['vocab.json']) if (!existsSync(join(dir, f))) throw new RunFolderError(dir, `${f} is missing (a half-written run folder?)`);
  if (config.model.charVocabSize > 0 && !existsSync(join(dir, 'chars.json'))) throw new RunFolderError(dir, 'chars.json is missing but the model has a char CNN');
  const crfs: SavedCrf[] = [];
  for (const net of netDirs) {
    const rel = net.slice(dir.length + 1);
    const modelJson = await readJson(dir, join(rel, 'model.json'));
    const manifest = isObject(modelJson) ? modelJson.weightsManifest : undefined;
    const promised = manifestBytes(manifest);
    if (promised === null) throw new RunFolderError(dir, `${join(rel, 'model.json')} has no valid weightsManifest`);
    const paths = (manifest as { paths: string[] }[]).flatMap((g) => g.paths ?? []);
    let bytes = 0;
    for (const p of paths) {
      const file = join(net, p);
      if (!existsSync(file)) throw new RunFolderError(dir, `${join(rel, p)} is missing (a half-written run folder?)`);
      bytes += statSync(file).size;
    }
    if (bytes !== promised) throw new RunFolderError(dir, `${join(rel, paths[0] ?? 'weights.bin')} holds ${bytes} bytes, model.json promises ${promised}: the weights were cut off`);
    crfs.push(checkCrf(dir, join(rel, 'crf.json'), await readJson(dir, join(rel, 'crf.json')), config.labels.length));
  }
  return { dir, format: config.format ?? 1, config, netDirs, crfs };
}

/** Reads a JSON file of a run folder with the folder's error messages. */
export function readRunJson(dir: string, file: string): Promise<unknown> {
  return readJson(dir, file);
}
