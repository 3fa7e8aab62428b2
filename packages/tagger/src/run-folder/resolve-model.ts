import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { TaggerError, EXIT_USAGE } from '../errors';

/** The model `loadTagger()` uses when given none: the ready-trained WNUT16 tagger. */
export const DEFAULT_MODEL_PACKAGE = '@twner/model-wnut16';

/** A model found on disk: the run folder, and the package it came from if any. */
export interface ModelSource {
  dir: string;
  /** The npm package's name and version, when the model came from one. */
  package?: { name: string; version: string };
}

/**
 * Finds a model: a run-folder path, or the name of an installed model package (its
 * `package.json` names the folder under `"twner": {"model": "…"}`), default
 * {@link DEFAULT_MODEL_PACKAGE}. Packages are resolved from the current directory first, then
 * from this package.
 */
export function resolveModel(spec: string = DEFAULT_MODEL_PACKAGE): ModelSource {
  if (existsSync(spec) && statSync(spec).isDirectory()) {
    const pkgJson = join(spec, 'package.json');
    if (existsSync(pkgJson) && !existsSync(join(spec, 'config.json'))) return fromPackageJson(pkgJson);
    return { dir: spec };
  }
  if (existsSync(spec)) throw new TaggerError(`model ${spec}: is a file; give a run folder (written by \`twner run\`) or a model package`, EXIT_USAGE, { code: 'TWNER_MODEL_NOT_FOUND' });
  const looksLikePath = spec.startsWith('.') || spec.startsWith('/') || spec.includes('\\') || (!spec.startsWith('@') && spec.includes('/'));
  if (looksLikePath) throw new TaggerError(`model ${spec}: no such folder`, EXIT_USAGE, { code: 'TWNER_MODEL_NOT_FOUND' });
  // (`__filename` is this file in the CJS and ESM builds; run from source as ESM there is none)
  for (const base of [join(process.cwd(), 'noop.js'), ...(typeof __filename === 'string' ? [__filename] : [])]) {
    try {
      return fromPackageJson(createRequire(base).resolve(`${spec}/package.json`));
    } catch (error) {
      if (error instanceof TaggerError) throw error;
    }
  }
  throw new TaggerError(
    `model ${spec}: no such folder, and no installed package of that name${spec === DEFAULT_MODEL_PACKAGE ? ` (install it: npm install ${DEFAULT_MODEL_PACKAGE})` : ''}`,
    EXIT_USAGE,
    { code: 'TWNER_MODEL_NOT_FOUND' },
  );
}

function fromPackageJson(file: string): ModelSource {
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name: string; version: string; twner?: { model?: string } };
  const rel = pkg.twner?.model;
  if (typeof rel !== 'string') {
    throw new TaggerError(`${pkg.name} (${file}) is not a twner model package: its package.json has no "twner": {"model": "<folder>"}`, EXIT_USAGE, { code: 'TWNER_MODEL_NOT_FOUND' });
  }
  return { dir: resolve(dirname(file), rel), package: { name: pkg.name, version: pkg.version } };
}
