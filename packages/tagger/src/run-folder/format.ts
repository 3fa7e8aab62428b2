import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunFolderError } from '../errors';
import { checkCrf, checkRunConfig, isObject, manifestBytes, netFolders, type RunConfig, type SavedCrf } from './config';

export { checkCrf, checkRunConfig, configProblems, manifestBytes, netFolders, RUN_FOLDER_FORMAT, type RunConfig, type SavedCrf } from './config';

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
  const config = checkRunConfig(dir, await readJson(dir, 'config.json'));
  // each network's folder relative to the run (`model`, `members/2`), the names its errors give:
  // taken from the config, never cut out of a joined path (join() normalises `./run`, `run/`, `a//b`)
  const rels = netFolders(config).map((rel) => join(...rel.split('/')));
  const netDirs = rels.map((rel) => join(dir, rel));
  for (const f of ['vocab.json']) if (!existsSync(join(dir, f))) throw new RunFolderError(dir, `${f} is missing (a half-written run folder?)`);
  if (config.model.charVocabSize > 0 && !existsSync(join(dir, 'chars.json'))) throw new RunFolderError(dir, 'chars.json is missing but the model has a char CNN');
  const crfs: SavedCrf[] = [];
  for (const [k, rel] of rels.entries()) {
    const net = netDirs[k];
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
