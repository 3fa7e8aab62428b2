import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TokenVocabulary } from '@twner/conll';
import type { EmissionEngine } from '../engine';
import { TaggerError, EXIT_USAGE } from '../errors';
import { RUN_FOLDER_FORMAT, type RunConfig, type RunFolder, type SavedCrf } from './format';
import type { Gazetteer } from '../features/gazetteer';
import type { CharIndex } from '../features/chars';
import { charLookup } from '../features/chars';
import { crfParamsFromArrays, type CrfParams } from '../models/crf';
import { encodeSentence, type Encoder } from '../models/encode';
import { emissionsOf } from '../train/predict';
import { loadModel, saveModel } from './model-io';

/** What `config.json` holds (see `format.ts`). */
export type SavedConfig = RunConfig;

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
  await writeFile(join(dir, 'config.json'), JSON.stringify({ format: RUN_FOLDER_FORMAT, kind: 'bilstm-crf', ...parts.config }, null, 2));
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

/**
 * The tfjs engine of an opened run folder: every member's `model.predict`, emissions averaged.
 * The gazetteer (when the model uses one) is passed in, located like the training lexicon.
 */
export async function loadTfjsEngine(run: RunFolder, gazetteer: Gazetteer | null): Promise<EmissionEngine> {
  const { dir, config } = run;
  const vocab = TokenVocabulary.fromJSON(JSON.parse(await readFile(join(dir, 'vocab.json'), 'utf8')));
  const chars = config.model.charVocabSize > 0 ? (JSON.parse(await readFile(join(dir, 'chars.json'), 'utf8')) as CharIndex) : null;
  const models = await Promise.all(run.netDirs.map((f) => loadModel(f)));
  if (config.gazetteerLists.length > 0 && !gazetteer) {
    throw new TaggerError('this model uses gazetteer features: pass --lexicon-dir or set TWNER_LEXICON_DIR', EXIT_USAGE);
  }
  const encoder: Encoder = {
    vocab,
    chars: chars ? charLookup(chars) : null,
    maxChars: config.model.maxChars,
    gazetteer: config.gazetteerLists.length > 0 ? gazetteer : null,
    gazetteerScheme: config.gazetteerScheme ?? 'BI',
    useCasing: config.useCasing,
    label2id: Object.fromEntries(config.labels.map((l, i) => [l, i])),
    wordLookup: config.wordLookup ?? 'exact',
  };
  const K = config.labels.length;
  return {
    numTags: K,
    description: `tfjs (model.predict on ${tf.getBackend()}${models.length > 1 ? `, ${models.length} members averaged` : ''})`,
    emissions(sentences) {
      const data = sentences.map((tokens) => encodeSentence(encoder, tokens));
      const nonEmpty = data.filter((d) => d.length > 0);
      const out = emissionsOf({ model: models, withChars: encoder.chars !== null, maxChars: encoder.maxChars, featureDim: config.model.featureDim }, nonEmpty);
      let k = 0;
      return data.map((d) => (d.length === 0 ? new Float32Array(0) : out[k++]));
    },
    dispose() {
      for (const m of models) m.dispose();
    },
  };
}
