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
import { crfDecoder, iob2Constraints, type CrfParams } from '../models/crf';
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
  parts: { model: tf.LayersModel; crf: CrfParams; vocab: TokenVocabulary; chars: CharIndex | null; config: SavedConfig },
): Promise<void> {
  await mkdir(join(dir, 'model'), { recursive: true });
  await saveModel(parts.model, join(dir, 'model'));
  const crf: SavedCrf = {
    transitions: parts.crf.transitions.arraySync() as number[][],
    start: parts.crf.start.arraySync() as number[],
    end: parts.crf.end.arraySync() as number[],
  };
  await writeFile(join(dir, 'model', 'crf.json'), JSON.stringify(crf));
  await writeFile(join(dir, 'vocab.json'), JSON.stringify(parts.vocab.toJSON()));
  await writeFile(join(dir, 'labels.json'), JSON.stringify(parts.config.labels, null, 1));
  if (parts.chars) await writeFile(join(dir, 'chars.json'), JSON.stringify(parts.chars));
  await writeFile(join(dir, 'config.json'), JSON.stringify(parts.config, null, 2));
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
  const saved = JSON.parse(await readFile(join(dir, 'model', 'crf.json'), 'utf8')) as SavedCrf;
  const model = await loadModel(join(dir, 'model'));
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
  const params: CrfParams = {
    transitions: tf.variable(tf.tensor2d(saved.transitions)),
    start: tf.variable(tf.tensor1d(saved.start)),
    end: tf.variable(tf.tensor1d(saved.end)),
  };
  const decoder = crfDecoder(params, config.constrained ? iob2Constraints(config.labels) : undefined);
  return {
    config,
    tag(sentences) {
      const data = sentences.map((tokens) => encodeSentence(encoder, tokens));
      const nonEmpty = data.filter((d) => d.length > 0);
      const ids = nonEmpty.length === 0 ? [] : predictIds(
        { model, decoder, withChars: encoder.chars !== null, maxChars: encoder.maxChars, featureDim: config.model.featureDim },
        nonEmpty,
      );
      let k = 0;
      return data.map((d) => (d.length === 0 ? [] : ids[k++].map((i) => config.labels[i])));
    },
    dispose() {
      model.dispose();
      tf.dispose([params.transitions, params.start, params.end]);
    },
  };
}
