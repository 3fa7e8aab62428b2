import { TrendsOptionsError } from './errors';

/** Refuses keys of `options` not in `allowed`, listing the allowed ones. */
export function checkKeys(fn: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TrendsOptionsError(fn, key, `is not an option; the options are ${allowed.join(', ')}`);
    }
  }
}

/** Reads an optional integer option `≥ min`, defaulting to `fallback`. */
export function intOption(fn: string, name: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new TrendsOptionsError(fn, name, `must be an integer ≥ ${min}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

/** Reads an optional finite number option `≥ min`, defaulting to `fallback`. */
export function numberOption(fn: string, name: string, value: unknown, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new TrendsOptionsError(fn, name, `must be a number ≥ ${min}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}
