/**
 * Run folders: `runs/<timestamp>-bert/` with a `run.json` that says what the folder holds, so
 * that `twner predict` and `twner compare` can load the model the way it was evaluated.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { WordAggregation } from '@twner/bert-ner';
import { checkCreatable, TaggerError, EXIT_USAGE } from '@twner/tagger';

/** `run.json` of a BERT run. */
export interface BertRunInfo {
  kind: 'bert';
  /** ISO time the run started. */
  created: string;
  /** Sub-folder with the `savePretrained` model (config.json, model.safetensors, tokenizer). */
  modelDir: string;
  aggregation: WordAggregation;
  labelAllTokens: boolean;
  maxLength: number;
  /** `--model` as given. */
  source: string;
  /** False for `--from-scratch` (random init, not pretrained). */
  fromCheckpoint: boolean;
  /** The command line that made the run. */
  command: string;
}

/**
 * The run folder of a command: `out` itself when given (refused when it exists and is not empty),
 * else a new `<outDir>/<timestamp>-<suffix>` — the `--out` / `--out-dir` pair every command takes.
 */
export async function runDirFor(out: string | undefined, outDir: string, suffix: string, now = new Date()): Promise<string> {
  if (out === undefined) return createRunDir(outDir, suffix, now);
  await checkCreatable(out);
  if (existsSync(out) && readdirSync(out).length > 0) throw new TaggerError(`--out ${out} exists and is not empty; give a new folder`, EXIT_USAGE);
  await mkdir(join(out, 'charts'), { recursive: true });
  return resolve(out);
}

/** Creates `<root>/<YYYY-MM-DDTHH-MM-SS>-<suffix>` (with `-2`, `-3`… when taken). */
export async function createRunDir(root: string, suffix: string, now = new Date()): Promise<string> {
  await checkCreatable(root);
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  let dir = resolve(root, `${stamp}-${suffix}`);
  for (let n = 2; existsSync(dir); n++) dir = resolve(root, `${stamp}-${suffix}-${n}`);
  await mkdir(join(dir, 'charts'), { recursive: true });
  return dir;
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Reads and checks a BERT run's `run.json`; a usage error (exit 2) when it is not one. */
export async function readBertRun(runDir: string): Promise<BertRunInfo> {
  const file = join(runDir, 'run.json');
  if (!existsSync(file)) {
    throw new TaggerError(`${runDir} is not a run folder of \`twner train bert\`: ${file} is missing`, EXIT_USAGE);
  }
  let info: Partial<BertRunInfo>;
  try {
    info = JSON.parse(await readFile(file, 'utf8')) as Partial<BertRunInfo>;
  } catch (cause) {
    throw new TaggerError(`${file} is not valid JSON`, EXIT_USAGE, { cause });
  }
  if (info.kind !== 'bert' || typeof info.modelDir !== 'string' || typeof info.aggregation !== 'string' || typeof info.maxLength !== 'number') {
    throw new TaggerError(`${file}: expected a BERT run (kind "bert", modelDir, aggregation, maxLength), received kind ${JSON.stringify(info.kind)}`, EXIT_USAGE);
  }
  return info as BertRunInfo;
}

/**
 * Whether a folder is a BERT run: it has a `run.json` (what `twner train bert` writes). A damaged
 * one counts too, so that loading it gives `readBertRun`'s error about that file.
 */
export async function isBertRun(runDir: string): Promise<boolean> {
  return existsSync(join(runDir, 'run.json'));
}
