import type * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { type BertConfig, bertConfigToJson } from './config';
import type { ParameterSpec } from './model/parameters';
import { toTorchLayout } from './model/parameters';
import { writeSafetensors } from './safetensors';

/** Tokenizer files copied next to the weights when the source directory has them. */
export const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt'];

/** What {@link savePretrained} needs of a model. */
export interface SavableModel {
  config: BertConfig;
  specs: ParameterSpec[];
  weights: ReadonlyMap<string, tf.Variable>;
}

/**
 * Saves a model as transformers' `save_pretrained` does: `config.json` (with `id2label` and
 * `label2id`), `model.safetensors` (float32, PyTorch `[out, in]` layout, HF names, metadata
 * `format: pt`) and the tokenizer files of `tokenizerDir`.
 */
export async function savePretrained(model: SavableModel, dir: string, options: { tokenizerDir?: string } = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  const config = bertConfigToJson(model.config);
  await writeFile(path.join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  const tensors = model.specs.map((spec) => {
    const variable = model.weights.get(spec.name);
    if (!variable) throw new Error(`internal: weight ${spec.name} is not loaded`);
    return { name: spec.name, shape: spec.shape, data: toTorchLayout(spec, variable) };
  });
  await writeFile(path.join(dir, 'model.safetensors'), writeSafetensors(tensors));
  const from = options.tokenizerDir;
  if (from && path.resolve(from) !== path.resolve(dir)) {
    for (const file of TOKENIZER_FILES) {
      // Copy the bytes, not the file: a read-only source (a shared cache, a mounted fixture) must
      // not make the saved copy read-only, or saving into the same folder again would fail.
      if (existsSync(path.join(from, file))) await writeFile(path.join(dir, file), await readFile(path.join(from, file)));
    }
  }
}
