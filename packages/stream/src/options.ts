import { OptionsError } from './errors';

/** Refuses keys of `options` not in `allowed`, naming the closest allowed ones. */
export function checkKeys(fn: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new OptionsError(fn, key, `is not an option; the options are ${allowed.join(', ')}`);
    }
  }
}

/** Reads an optional positive integer option (or `min`-bounded), defaulting to `fallback`. */
export function intOption(fn: string, name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new OptionsError(fn, name, `must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

/** Requires an option to be present. */
export function required<T>(fn: string, name: string, value: T | undefined | null): T {
  if (value === undefined || value === null) throw new OptionsError(fn, name, 'is required');
  return value;
}
