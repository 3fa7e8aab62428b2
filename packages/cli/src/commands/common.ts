import { InvalidArgumentError, Option, type Command } from 'commander';
import type { BackendName } from '@twner/tagger';
import { importTrain } from '../tfjs';
import { TaggerError, EXIT_FAILURE, EXIT_USAGE } from '@twner/tagger';
import { parseNumberText } from '../number-text';

export interface CommonOptions {
  dataDir?: string;
  backend: BackendName;
}

/** Options every data command takes: `--data-dir`, `--backend`. */
export function commonOptions(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'folder with train.conll, dev.conll, test.conll (else $TWNER_DATA_DIR, ../shared/data/wnut16, cache, download)')
    .addOption(new Option('--backend <name>', 'tfjs backend').choices(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'));
}

/** Picks and prints the backend. */
export async function announceBackend(name: BackendName, log: (line: string) => void): Promise<string> {
  try {
    const chosen = await (await importTrain()).selectBackend(name);
    log(`Backend: ${chosen.name} (tried ${chosen.tried.join(' → ')})`);
    return chosen.name;
  } catch (error) {
    if (error instanceof TaggerError) throw error;
    throw new TaggerError(`backend ${name} is not available: ${(error as Error).message}`, EXIT_USAGE, { cause: error });
  }
}

/** Stacks are printed only with `--debug` or `TWNER_DEBUG=1`. */
export function debugEnabled(): boolean {
  return process.env.TWNER_DEBUG === '1' || process.argv.includes('--debug');
}

/**
 * How an error leaves the CLI: one line, no stack (unless debugging), and an exit code — the
 * error's own for a {@link TaggerError}; 2 for the libraries' typed input errors (they carry a
 * string `code`) and for file-system errors on the user's paths; 1 for anything else.
 */
export function reportError(error: unknown): number {
  const debug = debugEnabled();
  const err = error instanceof Error ? error : new Error(String(error));
  const code = (err as { code?: unknown }).code;
  let exit = EXIT_FAILURE;
  let message = err.message;
  if (error instanceof TaggerError) exit = error.exitCode;
  else if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) exit = EXIT_USAGE; // ENOENT, EACCES, EISDIR: the message names the path
  else if (typeof code === 'string' || err.name.endsWith('Error') && err.name !== 'Error' && err.name !== 'TypeError' && err.name !== 'RangeError') exit = EXIT_USAGE;
  else message = `internal error: ${message} (run again with --debug for the stack, and report it)`;
  process.stderr.write(`twner: ${message}\n`);
  if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
  return exit;
}

/** Wraps a command action: errors print one line and exit with their code (see {@link reportError}). */
export function runAction<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      process.exit(reportError(error));
    }
  };
}

/** Parses a number flag, rejecting garbage with exit code 2. */
export function numberOption(name: string, integer = false, min = -Infinity, max = Infinity, minExclusive = false): (value: string) => number {
  return (value: string) => {
    const n = parseNumberText(value, integer);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || (minExclusive && n === min) || n > max) {
      const range = `${minExclusive ? '>' : '≥'} ${min}${max < Infinity ? ` and ≤ ${max}` : ''}`;
      throw new InvalidArgumentError(`${name} expects ${integer ? 'an integer' : 'a number'} ${range}, received ${JSON.stringify(value)}`);
    }
    return n;
  };
}

/** `--members <n>` of the commands that tag with a BiLSTM-CRF model (no default: every member). */
export function membersOption(): Option {
  return new Option('--members <n>', 'tag with the first n networks of an ensemble only (the shipped model: 1 is about 1.4–1.8× faster, test F1 0.4555 instead of 0.4696)').argParser(
    numberOption('--members', true, 1),
  );
}

/** `--precision <p>` of the commands that tag with the serving engine (no default: the engine's own). */
export function precisionOption(): Option {
  return new Option(
    '--precision <p>',
    "the serving engine's LSTM products: int16 (default on WebAssembly; the shipped model's tags are float32's) or float32 (emissions within 1e-5 of tfjs)",
  ).choices(['int16', 'float32']);
}
