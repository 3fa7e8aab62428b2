import { VectorOptionsError } from './errors';

/**
 * Refuses option keys that `fn` does not know (a typo such as `cachedir` would otherwise be ignored silently).
 * `allowed` lists every key of the options interface.
 */
export function checkOptionKeys(fn: string, options: object | undefined, allowed: readonly string[]): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object') {
    throw new VectorOptionsError(`${fn}: options must be an object, received ${typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new VectorOptionsError(
        `${fn}: unknown option ${JSON.stringify(key)}: expected one of ${allowed.join(', ')}; remove it or fix its spelling`,
      );
    }
  }
}
