import { downloadFileToCacheDir, fileExists, getHFHubCachePath, getRepoFolderName } from '@huggingface/hub';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { type BertConfig, parseBertConfig } from './config';
import { BertNerError, ConfigError, ModelDownloadError, SafetensorsError } from './errors';
import { readSafetensors, type SafetensorsTensor } from './safetensors';

/** Where and how {@link resolveModelDir} looks for a Hugging Face Hub model. */
export interface HubOptions {
  /** Git revision (branch, tag or commit). Default `main`. */
  revision?: string;
  /** Hub cache directory. Default: `$HF_HUB_CACHE`, `$HF_HOME/hub` or `~/.cache/huggingface/hub`, shared with Python. */
  cacheDir?: string;
  /** Token for private or gated repositories. Default `$HF_TOKEN`. */
  accessToken?: string;
  /** Use the cache only, never the network (also when `HF_HUB_OFFLINE=1`). */
  localFilesOnly?: boolean;
  /** Replacement `fetch`, e.g. for a proxy or for tests. */
  fetch?: typeof fetch;
  /** Hub endpoint. Default `https://huggingface.co`. */
  hubUrl?: string;
}

const REQUIRED = ['config.json'];
const OPTIONAL = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt'];
const WEIGHTS = 'model.safetensors';
const WEIGHTS_INDEX = 'model.safetensors.index.json';
const COMMIT = /^[0-9a-f]{40}$/;
const HUB_ID = /^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/;

function offlineHint(id: string): string {
  return (
    `To work offline, download the model once (for example \`huggingface-cli download ${id}\` or ` +
    `\`git clone https://huggingface.co/${id}\`) and pass its local directory: ` +
    `BertForTokenClassification.fromPretrained('./path/to/${id.split('/').pop()}').`
  );
}

/** The cached snapshot directory for `revision`, when the cache holds every file listed. */
function cachedSnapshot(id: string, cacheDir: string, revision: string, files: string[]): string | undefined {
  const storage = path.join(cacheDir, getRepoFolderName({ type: 'model', name: id }));
  let commit = revision;
  if (!COMMIT.test(revision)) {
    const ref = path.join(storage, 'refs', revision);
    if (!existsSync(ref)) return undefined;
    commit = readFileSync(ref, 'utf8').trim();
  }
  const dir = path.join(storage, 'snapshots', commit);
  return files.every((f) => existsSync(path.join(dir, f))) ? dir : undefined;
}

async function weightFiles(dir: string): Promise<string[]> {
  if (existsSync(path.join(dir, WEIGHTS))) return [WEIGHTS];
  if (existsSync(path.join(dir, WEIGHTS_INDEX))) {
    const index = JSON.parse(await readFile(path.join(dir, WEIGHTS_INDEX), 'utf8')) as { weight_map?: Record<string, string> };
    return [WEIGHTS_INDEX, ...new Set(Object.values(index.weight_map ?? {}))];
  }
  return [];
}

async function download(id: string, file: string, options: HubOptions, cacheDir: string): Promise<string> {
  try {
    return await downloadFileToCacheDir({
      repo: { type: 'model', name: id },
      path: file,
      revision: options.revision ?? 'main',
      cacheDir,
      ...(options.hubUrl ? { hubUrl: options.hubUrl } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.accessToken ?? process.env.HF_TOKEN ? { accessToken: (options.accessToken ?? process.env.HF_TOKEN) as `hf_${string}` } : {}),
    });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ModelDownloadError(`Could not download ${file} of '${id}' from the Hugging Face Hub: ${reason}. ${offlineHint(id)}`, {
      repo: id,
      file,
      cause,
    });
  }
}

async function exists(id: string, file: string, options: HubOptions): Promise<boolean> {
  try {
    return await fileExists({
      repo: { type: 'model', name: id },
      path: file,
      revision: options.revision ?? 'main',
      ...(options.hubUrl ? { hubUrl: options.hubUrl } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.accessToken ?? process.env.HF_TOKEN ? { accessToken: (options.accessToken ?? process.env.HF_TOKEN) as `hf_${string}` } : {}),
    });
  } catch (cause) {
    throw new ModelDownloadError(`Could not reach the Hugging Face Hub for '${id}'. ${offlineHint(id)}`, { repo: id, file, cause });
  }
}

/**
 * Resolves a local directory or a Hub id (`bert-base-uncased`, `org/name`) to a directory
 * holding `config.json` and the safetensors weights. Hub files go to the Hugging Face cache
 * (the one Python uses), which is reused offline. Throws {@link ModelDownloadError} naming the
 * local-directory alternative when the Hub cannot be reached.
 */
export async function resolveModelDir(dirOrHubId: string, options: HubOptions = {}): Promise<string> {
  if (existsSync(dirOrHubId)) {
    if (!statSync(dirOrHubId).isDirectory()) {
      throw new BertNerError('MODEL_NOT_A_DIRECTORY', `${dirOrHubId} is a file; pass the directory holding config.json and model.safetensors`);
    }
    return dirOrHubId;
  }
  if (!HUB_ID.test(dirOrHubId) || dirOrHubId.startsWith('.') || dirOrHubId.includes('..')) {
    throw new BertNerError('MODEL_NOT_FOUND', `No model directory at ${dirOrHubId}, and it is not a Hugging Face Hub id such as "bert-base-uncased" or "org/name"`);
  }
  const id = dirOrHubId;
  const revision = options.revision ?? 'main';
  const cacheDir = options.cacheDir ?? getHFHubCachePath();
  const offline = options.localFilesOnly === true || ['1', 'true', 'yes'].includes((process.env.HF_HUB_OFFLINE ?? '').toLowerCase());
  const cached = cachedSnapshot(id, cacheDir, revision, REQUIRED);
  if (cached && (await weightFiles(cached)).length > 0) {
    const weights = await weightFiles(cached);
    if (weights.every((f) => existsSync(path.join(cached, f)))) return cached;
  }
  if (offline) {
    throw new ModelDownloadError(`'${id}' is not in the Hugging Face cache ${cacheDir} and downloads are off (offline mode). ${offlineHint(id)}`, {
      repo: id,
    });
  }
  const configPath = await download(id, 'config.json', options, cacheDir);
  const dir = path.dirname(configPath);
  if (await exists(id, WEIGHTS, options)) {
    await download(id, WEIGHTS, options, cacheDir);
  } else if (await exists(id, WEIGHTS_INDEX, options)) {
    const indexPath = await download(id, WEIGHTS_INDEX, options, cacheDir);
    const index = JSON.parse(await readFile(indexPath, 'utf8')) as { weight_map?: Record<string, string> };
    for (const shard of new Set(Object.values(index.weight_map ?? {}))) await download(id, shard, options, cacheDir);
  } else {
    throw new ModelDownloadError(`'${id}' has no ${WEIGHTS} or ${WEIGHTS_INDEX}; only safetensors checkpoints are supported`, { repo: id, file: WEIGHTS });
  }
  for (const file of OPTIONAL) if (await exists(id, file, options)) await download(id, file, options, cacheDir);
  const commit = path.basename(dir);
  if (!COMMIT.test(revision) && COMMIT.test(commit)) {
    // Record the ref like huggingface_hub does, so the next offline call finds the snapshot.
    const refs = path.join(cacheDir, getRepoFolderName({ type: 'model', name: id }), 'refs');
    await mkdir(refs, { recursive: true });
    await writeFile(path.join(refs, revision), commit);
  }
  return dir;
}

/** A checkpoint directory's parsed config and float32 tensors by name (PyTorch layout). */
export interface Checkpoint {
  dir: string;
  config: BertConfig;
  tensors: Map<string, SafetensorsTensor>;
  /** Path of the weights file (or index) the tensors came from. */
  weightsFile: string;
}

/** Reads `config.json` and `model.safetensors` (or a sharded index) from a local directory. */
export async function readCheckpoint(dir: string): Promise<Checkpoint> {
  const configFile = path.join(dir, 'config.json');
  let rawConfig: unknown;
  try {
    rawConfig = JSON.parse(await readFile(configFile, 'utf8'));
  } catch (cause) {
    throw new ConfigError(`Cannot read ${configFile}: ${cause instanceof Error ? cause.message : String(cause)}`, { file: configFile, cause });
  }
  const config = parseBertConfig(rawConfig, configFile);
  const files = await weightFiles(dir);
  if (files.length === 0) {
    const bin = existsSync(path.join(dir, 'pytorch_model.bin')) ? ' (found pytorch_model.bin: convert it with `model.save_pretrained(dir, safe_serialization=True)` in Python)' : '';
    throw new SafetensorsError(`No ${WEIGHTS} or ${WEIGHTS_INDEX} in ${dir}${bin}`, { file: path.join(dir, WEIGHTS) });
  }
  const tensors = new Map<string, SafetensorsTensor>();
  for (const file of files.filter((f) => f !== WEIGHTS_INDEX)) {
    const full = path.join(dir, file);
    const parsed = readSafetensors(new Uint8Array(await readFile(full)), full);
    for (const [name, t] of parsed.tensors) tensors.set(name, t);
  }
  return { dir, config, tensors, weightsFile: path.join(dir, files[0]) };
}
