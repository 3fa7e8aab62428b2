import { ConllUsageError } from './errors';
import { checkOptions, isBoolean, isNonEmptyString, oneOf } from './options';
import { describeValue } from './quote';
import { TAGGING_SCHEMES, type TaggingScheme } from './schemes';

/** Refuses a scheme name that is not one of {@link TAGGING_SCHEMES}. */
export function checkScheme(value: unknown, name: string, where: string): asserts value is TaggingScheme {
  if (!(TAGGING_SCHEMES as readonly unknown[]).includes(value)) {
    throw new ConllUsageError('INVALID_OPTION', name, `${where}: ${name} must be one of ${TAGGING_SCHEMES.map((s) => `'${s}'`).join(', ')}, received ${describeValue(value)}`);
  }
}

/** The error for a tag that is not a string, naming its index. */
export function notATag(value: unknown, index: number, where: string, name = 'tags'): ConllUsageError {
  return new ConllUsageError('INVALID_ARGUMENT', name, `${where}: ${name}[${index}] must be a tag string such as 'B-person' or 'O', received ${describeValue(value)}`);
}

/** Refuses `tags` unless it is an array of strings. */
export function checkTagList(tags: unknown, where: string, name = 'tags'): void {
  if (!Array.isArray(tags)) throw new ConllUsageError('INVALID_ARGUMENT', name, `${where}: ${name} must be an array of tag strings, received ${describeValue(tags)}`);
  for (let i = 0; i < tags.length; i++) if (typeof tags[i] !== 'string') throw notATag(tags[i], i, where, name);
}

const TAG_FORMAT = { suffix: isBoolean, delimiter: isNonEmptyString };

/** Refuses unknown keys and bad values of a {@link TagFormat}. */
export function checkTagFormat(opts: unknown, where: string): void {
  checkOptions(opts, TAG_FORMAT, where);
}

/** Refuses `value` unless it is an array; `expected` says what the array holds. */
export function checkArray(value: unknown, name: string, where: string, expected: string): void {
  if (!Array.isArray(value)) throw new ConllUsageError('INVALID_ARGUMENT', name, `${where}: ${name} must be ${expected}, received ${describeValue(value)}`);
}

export { checkOptions, isBoolean, oneOf };
