import { ConllUsageError } from './errors';
import { describeValue } from './quote';

/** A tag split into its one-letter prefix and its entity type: `B-PER` -> `{ prefix: 'B', type: 'PER' }`. */
export interface ParsedTag {
  prefix: string;
  type: string;
}

export interface TagFormat {
  /** Prefix written after the type (`PER-B`), as seqeval's `suffix=True`. Default false. */
  suffix?: boolean;
  /** Characters between prefix and type, stripped from the type. Default `-`. */
  delimiter?: string;
}

function stripChars(text: string, chars: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && chars.includes(text[start])) start++;
  while (end > start && chars.includes(text[end - 1])) end--;
  return text.slice(start, end);
}

/**
 * Splits a tag as seqeval does: the prefix is the first character (last with `suffix`), the
 * type is the rest with delimiter characters stripped from both ends.
 *
 * @example parseTag('B-PER') // { prefix: 'B', type: 'PER' }
 * @example parseTag('O') // { prefix: 'O', type: '' }
 * @example parseTag('PER-B', { suffix: true }) // { prefix: 'B', type: 'PER' }
 */
export function parseTag(tag: string, opts: TagFormat = {}): ParsedTag {
  if (typeof tag !== 'string') throw new ConllUsageError('INVALID_ARGUMENT', 'tag', `parseTag: tag must be a string such as 'B-person' or 'O', received ${describeValue(tag)}`);
  const delimiter = opts.delimiter ?? '-';
  if (tag.length === 0) return { prefix: '', type: '' };
  if (opts.suffix) return { prefix: tag[tag.length - 1], type: stripChars(tag.slice(0, -1), delimiter) };
  return { prefix: tag[0], type: stripChars(tag.slice(1), delimiter) };
}

/** Inverse of {@link parseTag}: `formatTag('B', 'PER')` is `B-PER`; prefix `O` is always plain `O`. */
export function formatTag(prefix: string, type: string, opts: TagFormat = {}): string {
  if (prefix === 'O' || type === '') return prefix;
  const delimiter = opts.delimiter ?? '-';
  return opts.suffix ? `${type}${delimiter}${prefix}` : `${prefix}${delimiter}${type}`;
}
