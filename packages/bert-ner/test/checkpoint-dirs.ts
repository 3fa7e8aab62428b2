import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSafetensors, writeSafetensors, type SafetensorsTensor } from '../src';
import { TINY_MODEL_DIR } from './fixture';

/** The tiny model's tensors by name. */
export function tinyTensors(): Map<string, SafetensorsTensor> {
  return readSafetensors(readFileSync(path.join(TINY_MODEL_DIR, 'model.safetensors'))).tensors;
}

/** The tiny model's config.json as an object. */
export function tinyConfig(): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(TINY_MODEL_DIR, 'config.json'), 'utf8')) as Record<string, unknown>;
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'bert-ner-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Writes a checkpoint directory from an edited copy of the tiny model: `edit` may delete,
 * rename or replace tensors; `raw` replaces the safetensors bytes entirely.
 */
export function writeCheckpoint(options: {
  config?: Record<string, unknown>;
  edit?: (tensors: Map<string, SafetensorsTensor>) => void;
  raw?: Uint8Array;
  tokenizer?: boolean;
}): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(options.config ?? tinyConfig()));
  const tensors = tinyTensors();
  options.edit?.(tensors);
  const bytes = options.raw ?? writeSafetensors([...tensors].map(([name, t]) => ({ name, shape: t.shape, data: t.data })));
  writeFileSync(path.join(dir, 'model.safetensors'), bytes);
  if (options.tokenizer) copyFileSync(path.join(TINY_MODEL_DIR, 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
  return dir;
}
