import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TokenVocabulary } from '@twner/conll';
import { CliError, EXIT_USAGE } from '../errors';
import type { Gazetteer, GazetteerScheme } from '../features/gazetteer';
import type { CharIndex } from '../features/chars';
import { charLookup } from '../features/chars';
import type { ModelConfig } from '../models/bilstm-crf';
import { crfDecoder, crfParamsFromArrays, iob2Constraints, type CrfParams } from '../models/crf';
import { averageCrf } from '../models/ensemble';
import { encodeSentence, type Encoder } from '../models/encode';
import { predictIds } from '../train/predict';
import { loadModel, saveModel } from './model-io';

/** What `config.json` holds besides the training flags. */
export interface SavedConfig {
  model: ModelConfig;
  labels: string[];
  constrained: boolean;
  useCasing: boolean;
  gazetteerLists: string[];
  /** Absent in runs saved before the option existed: `BI`. */
  gazetteerScheme?: GazetteerScheme;
  /** An ensemble's seeds (member 1 in `model/`, member k in `members/<k>/`); absent: one model. */
  ensemble?: { seeds: number[] };
  [key: string]: unknown;
}

export interface SavedCrf {
  transitions: number[][];
  start: number[];
  end: number[];
}

/** Writes the model folder of a run: model.json + weights.bin, crf.json, vocab.json, chars.json, labels.json, config.json. */
export async function saveBundle(
  dir: string,
  parts: {
    model: tf.LayersModel;
    crf: CrfParams;
    vocab: TokenVocabulary;
    chars: CharIndex | null;
    config: SavedConfig;
    /** Ensemble members 2..n (same inputs as `model`), each with its own CRF. */
    members?: readonly { model: tf.LayersModel; crf: CrfParams }[];
  },
): Promise<void> {
  const folders = [join(dir, 'model'), ...(parts.members ?? []).map((_, i) => memberDir(dir, i + 2))];
  const nets = [{ model: parts.model, crf: parts.crf }, ...(parts.members ?? [])];
  for (const [i, net] of nets.entries()) await saveNet(folders[i], net.model, net.crf);
  await writeFile(join(dir, 'vocab.json'), JSON.stringify(parts.vocab.toJSON()));
  await writeFile(join(dir, 'labels.json'), JSON.stringify(parts.config.labels, null, 1));
  if (parts.chars) await writeFile(join(dir, 'chars.json'), JSON.stringify(parts.chars));
  await writeFile(join(dir, 'config.json'), JSON.stringify(parts.config, null, 2));
}

/** Folder of ensemble member k ≥ 2 in a run folder. */
function memberDir(dir: string, k: number): string {
  return join(dir, 'members', String(k));
}

/** Writes one emission network and its CRF to a folder: `model.json` + `weights.bin`, `crf.json`. */
export async function saveNet(folder: string, model: tf.LayersModel, crf: CrfParams): Promise<void> {
  await mkdir(folder, { recursive: true });
  await saveModel(model, folder);
  const saved: SavedCrf = {
    transitions: crf.transitions.arraySync() as number[][],
    start: crf.start.arraySync() as number[],
    end: crf.end.arraySync() as number[],
  };
  await writeFile(join(folder, 'crf.json'), JSON.stringify(saved));
}

/** Reads a folder written by {@link saveNet}. */
export async function loadNet(folder: string): Promise<{ model: tf.LayersModel; crf: CrfParams }> {
  const model = await loadModel(folder);
  return { model, crf: crfParamsFromArrays(JSON.parse(await readFile(join(folder, 'crf.json'), 'utf8')) as SavedCrf) };
}

/** A loaded tagger: tokens in, IOB2 tags out. */
export interface LoadedTagger {
  config: SavedConfig;
  tag(sentences: readonly (readonly string[])[]): string[][];
  dispose(): void;
}

/**
 * Loads a run folder written by `twner run`. The gazetteer (when the model uses one) is passed in,
 * located like the training lexicon.
 */
export async function loadBundle(dir: string, gazetteer: Gazetteer | null): Promise<LoadedTagger> {
  for (const f of ['config.json', 'vocab.json', join('model', 'model.json'), join('model', 'crf.json')]) {
    if (!existsSync(join(dir, f))) throw new CliError(`${dir} is not a twner run folder: ${f} is missing`, EXIT_USAGE);
  }
  const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as SavedConfig;
  const vocab = TokenVocabulary.fromJSON(JSON.parse(await readFile(join(dir, 'vocab.json'), 'utf8')));
  const chars = existsSync(join(dir, 'chars.json'))
    ? (JSON.parse(await readFile(join(dir, 'chars.json'), 'utf8')) as CharIndex)
    : null;
  const seeds = config.ensemble?.seeds ?? [];
  const folders = [join(dir, 'model'), ...seeds.slice(1).map((_, i) => memberDir(dir, i + 2))];
  for (const f of folders.slice(1)) {
    if (!existsSync(join(f, 'model.json'))) throw new CliError(`${dir}: ensemble member ${f} is missing (config.json lists ${seeds.length} members)`, EXIT_USAGE);
  }
  const nets = await Promise.all(folders.map((f) => loadNet(f)));
  const models = nets.map((n) => n.model);
  const crfs = nets.map((n) => n.crf);
  if (config.gazetteerLists.length > 0 && !gazetteer) {
    throw new CliError('this model uses gazetteer features: pass --lexicon-dir or set TWNER_LEXICON_DIR', EXIT_USAGE);
  }
  const encoder: Encoder = {
    vocab,
    chars: chars && config.model.charVocabSize > 0 ? charLookup(chars) : null,
    maxChars: config.model.maxChars,
    gazetteer: config.gazetteerLists.length > 0 ? gazetteer : null,
    gazetteerScheme: config.gazetteerScheme ?? 'BI',
    useCasing: config.useCasing,
    label2id: Object.fromEntries(config.labels.map((l, i) => [l, i])),
  };
  const params = crfs.length === 1 ? crfs[0] : averageCrf(crfs);
  if (crfs.length > 1) for (const c of crfs) tf.dispose([c.transitions, c.start, c.end]);
  const decoder = crfDecoder(params, config.constrained ? iob2Constraints(config.labels) : undefined);
  return {
    config,
    tag(sentences) {
      const data = sentences.map((tokens) => encodeSentence(encoder, tokens));
      const nonEmpty = data.filter((d) => d.length > 0);
      const ids = nonEmpty.length === 0 ? [] : predictIds(
        { model: models, decoder, withChars: encoder.chars !== null, maxChars: encoder.maxChars, featureDim: config.model.featureDim },
        nonEmpty,
      );
      let k = 0;
      return data.map((d) => (d.length === 0 ? [] : ids[k++].map((i) => config.labels[i])));
    },
    dispose() {
      for (const m of models) m.dispose();
      tf.dispose([params.transitions, params.start, params.end]);
    },
  };
}
