import { ConllUsageError } from './errors';
import { describeValue, quote } from './quote';
import { TAGGING_SCHEMES } from './schemes';
import type { ConllReadOptions } from './types';

/** One accepted option: its name and a check of its value that returns what is expected, or undefined when it fits. */
type OptionCheck = (value: unknown) => string | undefined;

/**
 * Refuses a non-object option bag, keys not in `checks` and values their check refuses, each with
 * a {@link ConllUsageError} naming the function, the key and what is accepted. `undefined`
 * values count as absent.
 */
export function checkOptions(options: unknown, checks: Readonly<Record<string, OptionCheck>>, where: string): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConllUsageError('INVALID_ARGUMENT', 'options', `${where}: options must be an object, received ${describeValue(options)}`);
  }
  const accepted = Object.keys(checks);
  for (const key of Object.keys(options)) {
    if (!Object.prototype.hasOwnProperty.call(checks, key)) {
      throw new ConllUsageError('UNKNOWN_OPTION', key, `${where}: unknown option ${quote(key)}; accepted options are ${accepted.join(', ')}`);
    }
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const expected = checks[key](value);
    if (expected !== undefined) {
      throw new ConllUsageError('INVALID_OPTION', key, `${where}: option ${key} must be ${expected}, received ${describeValue(value)}`);
    }
  }
}

/** A check accepting exactly `values`. */
export function oneOf(values: readonly unknown[]): OptionCheck {
  const expected = `one of ${values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ')}`;
  return (value) => (values.includes(value) ? undefined : expected);
}

export const isBoolean: OptionCheck = (value) => (typeof value === 'boolean' ? undefined : 'true or false');
export const isFunction: OptionCheck = (value) => (typeof value === 'function' ? undefined : 'a function');
export const isNonEmptyString: OptionCheck = (value) => (typeof value === 'string' && value.length > 0 ? undefined : 'a non-empty string');

const READ_OPTIONS: Readonly<Record<keyof ConllReadOptions, OptionCheck>> = {
  separator: oneOf(['auto', 'tab', 'whitespace']),
  tagged: isBoolean,
  scheme: oneOf(TAGGING_SCHEMES),
  mode: oneOf(['strict', 'lenient']),
  onRepair: isFunction,
  file: isNonEmptyString,
};

/** Validates the options of every reader (see {@link ConllReadOptions}). */
export function checkReadOptions(options: unknown, where: string): void {
  checkOptions(options, READ_OPTIONS, where);
}
