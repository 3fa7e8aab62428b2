import { InvalidArgumentError, Option, type Command } from 'commander';
import { selectBackend, type BackendName } from '../backend';
import { CliError, EXIT_FAILURE, EXIT_USAGE } from '../errors';

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
    const chosen = await selectBackend(name);
    log(`Backend: ${chosen.name} (tried ${chosen.tried.join(' → ')})`);
    return chosen.name;
  } catch (error) {
    throw new CliError(`backend ${name} is not available: ${(error as Error).message}`, EXIT_USAGE, { cause: error });
  }
}

/** Wraps a command action: CliErrors print one line and exit with their code; others exit 1. */
export function runAction<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      if (error instanceof CliError) {
        process.stderr.write(`twner: ${error.message}\n`);
        process.exit(error.exitCode);
      }
      process.stderr.write(`twner: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(EXIT_FAILURE);
    }
  };
}

/** Parses a number flag, rejecting garbage with exit code 2. */
export function numberOption(name: string, integer = false, min = -Infinity): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min) {
      throw new InvalidArgumentError(`${name} expects ${integer ? 'an integer' : 'a number'} ≥ ${min}, received ${JSON.stringify(value)}`);
    }
    return n;
  };
}
