/** How the BERT commands end on an error: one line on stderr and the error's exit code. */
import { TaggerError, EXIT_FAILURE, EXIT_USAGE } from '@twner/tagger';

/** Prints a TaggerError as one line with its exit code; anything else as a failure (exit 1) with its message. */
export function reportCommandError(name: string, error: unknown): void {
  if (error instanceof TaggerError) {
    process.stderr.write(`twner ${name}: ${error.message}\n`);
    process.exitCode = error.exitCode;
    return;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.stderr.write(`twner ${name}: ${message}\n`);
  if (process.env.TWNER_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  // An unknown backend name is a usage error; a backend that fails to load is a failure.
  process.exitCode = error instanceof Error && error.name === 'BackendUnavailableError' && /unknown backend/.test(error.message) ? EXIT_USAGE : EXIT_FAILURE;
}
