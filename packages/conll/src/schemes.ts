import { ConllUsageError } from './errors';
import { describeValue } from './quote';
/** Chunk tagging schemes. IOB2 is also called BIO; IOBES is also called BIOES. */
export type TaggingScheme = 'IO' | 'IOB1' | 'IOB2' | 'IOE1' | 'IOE2' | 'IOBES' | 'BILOU';

export const TAGGING_SCHEMES: readonly TaggingScheme[] = ['IO', 'IOB1', 'IOB2', 'IOE1', 'IOE2', 'IOBES', 'BILOU'];

const PREFIXES: Readonly<Record<TaggingScheme, readonly string[]>> = {
  IO: ['I', 'O'],
  IOB1: ['B', 'I', 'O'],
  IOB2: ['B', 'I', 'O'],
  IOE1: ['I', 'E', 'O'],
  IOE2: ['I', 'E', 'O'],
  IOBES: ['B', 'I', 'E', 'S', 'O'],
  BILOU: ['B', 'I', 'L', 'U', 'O'],
};

/** The prefixes a scheme allows: IOB2 -> `['B','I','O']`, IOBES -> `['B','I','E','S','O']`, BILOU -> `['B','I','L','U','O']`. */
export function schemePrefixes(scheme: TaggingScheme): readonly string[] {
  const prefixes = Object.prototype.hasOwnProperty.call(PREFIXES, scheme) ? PREFIXES[scheme] : undefined;
  if (prefixes === undefined) {
    throw new ConllUsageError('INVALID_OPTION', 'scheme', `schemePrefixes: scheme must be one of ${TAGGING_SCHEMES.map((s) => `'${s}'`).join(', ')}, received ${describeValue(scheme)}`);
  }
  return prefixes;
}

/** Whether `value` names a scheme (useful for CLI options). */
export function isTaggingScheme(value: string): value is TaggingScheme {
  return (TAGGING_SCHEMES as readonly string[]).includes(value);
}
