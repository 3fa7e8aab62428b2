import { checkScheme, checkTagFormat, notATag } from './check-args';
import { ConllUsageError, InvalidTagError } from './errors';
import { describeValue } from './quote';
import { schemePrefixes, TAGGING_SCHEMES, type TaggingScheme } from './schemes';
import { parseTag, type TagFormat } from './tag';

/** An entity: its type and token indices, `end` exclusive. */
export interface EntitySpan {
  type: string;
  start: number;
  end: number;
}

type TypeCondition = 'same' | 'diff' | 'any';
/** (previous prefix in, current prefix in, type condition), as in seqeval's scheme tables. */
type Pattern = readonly [previous: string, current: string, types: TypeCondition];

interface SchemeTable {
  start: readonly Pattern[];
  inside: readonly Pattern[];
  end: readonly Pattern[];
}

const ANY = 'BIOESLU';

// Transition tables of seqeval 1.2's strict mode (seqeval/scheme.py), written as data:
// a token starts a chunk, continues it, or (looking at the token after) closes it.
const TABLES: Readonly<Record<Exclude<TaggingScheme, 'IO'>, SchemeTable>> = {
  IOB1: {
    start: [['O', 'I', 'any'], ['I', 'I', 'diff'], ['B', 'I', 'any'], ['I', 'B', 'same'], ['B', 'B', 'same']],
    inside: [['B', 'I', 'same'], ['I', 'I', 'same']],
    end: [['I', 'I', 'diff'], ['I', 'O', 'any'], ['I', 'B', 'any'], ['B', 'O', 'any'], ['B', 'I', 'diff'], ['B', 'B', 'same']],
  },
  IOE1: {
    start: [['O', 'I', 'any'], ['I', 'I', 'diff'], ['E', 'I', 'any'], ['E', 'E', 'same']],
    inside: [['I', 'I', 'same'], ['I', 'E', 'same']],
    end: [['I', 'I', 'diff'], ['I', 'O', 'any'], ['I', 'E', 'diff'], ['E', 'I', 'same'], ['E', 'E', 'same']],
  },
  IOB2: {
    start: [[ANY, 'B', 'any']],
    inside: [['B', 'I', 'same'], ['I', 'I', 'same']],
    end: [['I', 'O', 'any'], ['I', 'I', 'diff'], ['I', 'B', 'any'], ['B', 'O', 'any'], ['B', 'I', 'diff'], ['B', 'B', 'any']],
  },
  IOE2: {
    start: [['O', 'I', 'any'], ['O', 'E', 'any'], ['E', 'I', 'any'], ['E', 'E', 'any'], ['I', 'I', 'diff'], ['I', 'E', 'diff']],
    inside: [['I', 'E', 'same'], ['I', 'I', 'same']],
    end: [['E', ANY, 'any']],
  },
  IOBES: {
    start: [[ANY, 'B', 'any'], [ANY, 'S', 'any']],
    inside: [['B', 'I', 'same'], ['B', 'E', 'same'], ['I', 'I', 'same'], ['I', 'E', 'same']],
    end: [['S', ANY, 'any'], ['E', ANY, 'any']],
  },
  BILOU: {
    start: [[ANY, 'B', 'any'], [ANY, 'U', 'any']],
    inside: [['B', 'I', 'same'], ['B', 'L', 'same'], ['I', 'I', 'same'], ['I', 'L', 'same']],
    end: [['U', ANY, 'any'], ['L', ANY, 'any']],
  },
};

// Prefix letters as small integers: a code indexes the compiled tables below; 7 is "not a prefix".
const PREFIX_LETTERS = 'BIOESLU';
const O_CODE = 2;
const NOT_A_PREFIX = 7;
const SAME = 1;
const DIFF = 2;

/**
 * One table as a lookup: entry `previous * 8 + current` (prefix codes) holds SAME when the pair
 * matches with equal types, DIFF when it matches with different types (both for 'any').
 */
function compile(patterns: readonly Pattern[]): Uint8Array {
  const lookup = new Uint8Array(64);
  for (const [previousIn, currentIn, types] of patterns) {
    for (const previous of previousIn) {
      for (const current of currentIn) {
        lookup[PREFIX_LETTERS.indexOf(previous) * 8 + PREFIX_LETTERS.indexOf(current)] |= types === 'any' ? SAME | DIFF : types === 'same' ? SAME : DIFF;
      }
    }
  }
  return lookup;
}

interface CompiledTable {
  start: Uint8Array;
  inside: Uint8Array;
  end: Uint8Array;
}

const COMPILED = new Map<TaggingScheme, CompiledTable>();

function compiled(scheme: Exclude<TaggingScheme, 'IO'>): CompiledTable {
  let table = COMPILED.get(scheme);
  if (table === undefined) {
    const { start, inside, end } = TABLES[scheme];
    table = { start: compile(start), inside: compile(inside), end: compile(end) };
    COMPILED.set(scheme, table);
  }
  return table;
}

/** Bit `code` set for each prefix the scheme allows. */
const ALLOWED = new Map<TaggingScheme, number>(
  TAGGING_SCHEMES.map((scheme) => [scheme, schemePrefixes(scheme).reduce((mask, prefix) => mask | (1 << PREFIX_LETTERS.indexOf(prefix)), 0)]),
);

/**
 * Tags already parsed under one tag format: each distinct tag string maps to `typeId * 8 +
 * prefixCode`, type ids indexing `types`. seqeval's type `_` (a tag without a type) is id 0.
 */
interface TagCodes {
  codes: Map<string, number>;
  typeIds: Map<string, number>;
  types: string[];
}

/** Past this many distinct tags in one format, the cache starts again (bounds memory on odd input). */
const MAX_CACHED_TAGS = 4096;
const TAG_CODES = new Map<string, TagCodes>();

function tagCodes(opts: TagFormat): TagCodes {
  const key = `${opts.suffix ? 's' : 'p'}${opts.delimiter ?? '-'}`;
  let cache = TAG_CODES.get(key);
  if (cache === undefined || cache.codes.size > MAX_CACHED_TAGS) {
    cache = { codes: new Map(), typeIds: new Map([['_', 0]]), types: ['_'] };
    TAG_CODES.set(key, cache);
  }
  return cache;
}

function codeOf(cache: TagCodes, tag: string, opts: TagFormat): number {
  let packed = cache.codes.get(tag);
  if (packed === undefined) {
    if (typeof tag !== 'string') return -1;
    const { prefix, type } = parseTag(tag, opts);
    const letter = prefix.length === 1 ? PREFIX_LETTERS.indexOf(prefix) : -1;
    const name = type || '_';
    let id = cache.typeIds.get(name);
    if (id === undefined) {
      id = cache.types.length;
      cache.types.push(name);
      cache.typeIds.set(name, id);
    }
    packed = id * 8 + (letter < 0 ? NOT_A_PREFIX : letter);
    cache.codes.set(tag, packed);
  }
  return packed;
}

// Scratch arrays reused by every call (getSpans is synchronous): prefix code and type id per
// token, plus one outside token at the end so that the last chunk can be closed, as seqeval does.
let prefixes = new Uint8Array(64);
let typeIds = new Int32Array(64);

/** Fills `prefixes` and `typeIds` for `tags`; throws for the first prefix the scheme does not allow. */
function encode(tags: readonly string[], scheme: TaggingScheme, opts: TagFormat, cache: TagCodes): void {
  const n = tags.length;
  if (prefixes.length <= n) {
    const size = Math.max(n + 1, prefixes.length * 2);
    prefixes = new Uint8Array(size);
    typeIds = new Int32Array(size);
  }
  const allowed = ALLOWED.get(scheme) ?? 0;
  let lastTag: string | undefined;
  let packed = 0;
  for (let i = 0; i < n; i++) {
    // Runs of one tag (mostly `O`) skip the map lookup.
    const tag = tags[i];
    if (tag !== lastTag || i === 0) {
      packed = codeOf(cache, tag, opts);
      if (packed < 0) throw notATag(tag, i, 'getSpans');
      lastTag = tag;
    }
    const code = packed & 7;
    if (((allowed >> code) & 1) === 0) {
      throw new InvalidTagError(i, tag, scheme, `a tag with prefix ${schemePrefixes(scheme).join(', ')}`);
    }
    prefixes[i] = code;
    typeIds[i] = packed >> 3;
  }
  prefixes[n] = O_CODE;
  typeIds[n] = 0;
}

function ioSpans(n: number, types: readonly string[]): EntitySpan[] {
  const spans: EntitySpan[] = [];
  const I_CODE = 1;
  let i = 0;
  while (i < n) {
    if (prefixes[i] !== I_CODE) {
      i++;
      continue;
    }
    const start = i;
    const type = typeIds[start];
    while (i + 1 < n && prefixes[i + 1] === I_CODE && typeIds[i + 1] === type) i++;
    i++;
    spans.push({ type: types[type], start, end: i });
  }
  return spans;
}

/**
 * Entity spans under a scheme, exactly as seqeval 1.2's strict mode (`mode='strict'`) finds
 * them: a chunk counts only if it starts, continues and ends as the scheme's tables allow, so
 * `['O', 'I-PER']` has no entity in IOB2. A tag without a type (`B`) gives type `_`, as seqeval.
 * IO: maximal runs of `I-x` with the same type.
 *
 * @throws InvalidTagError for a prefix the scheme does not allow (`E-PER` in IOB2).
 * @throws ConllUsageError for tags that are not strings, an unknown scheme or an unknown option.
 * @example getSpans(['B-PER', 'I-PER', 'O', 'B-LOC'], 'IOB2') // [{ type: 'PER', start: 0, end: 2 }, { type: 'LOC', start: 3, end: 4 }]
 */
export function getSpans(tags: readonly string[], scheme: TaggingScheme, opts: TagFormat = {}): EntitySpan[] {
  if (!Array.isArray(tags)) throw new ConllUsageError('INVALID_ARGUMENT', 'tags', `getSpans: tags must be an array of tag strings, received ${describeValue(tags)}`);
  if (!ALLOWED.has(scheme)) checkScheme(scheme, 'scheme', 'getSpans');
  checkTagFormat(opts, 'getSpans');
  const cache = tagCodes(opts);
  encode(tags, scheme, opts, cache);
  const n = tags.length;
  if (scheme === 'IO') return ioSpans(n, cache.types);
  const { start, inside, end: close } = compiled(scheme);
  // Token n is the outside token seqeval appends; no table lets `O` start or continue a chunk.
  const spans: EntitySpan[] = [];
  let previousPrefix = O_CODE;
  let previousType = 0;
  let i = 0;
  while (i <= n) {
    const prefix = prefixes[i];
    const type = typeIds[i];
    if ((start[previousPrefix * 8 + prefix] & (previousType === type ? SAME : DIFF)) !== 0) {
      let end = i + 1;
      let lastPrefix = prefix;
      let lastType = type;
      while (end <= n && (inside[lastPrefix * 8 + prefixes[end]] & (lastType === typeIds[end] ? SAME : DIFF)) !== 0) {
        lastPrefix = prefixes[end];
        lastType = typeIds[end];
        end++;
      }
      if (end <= n && (close[lastPrefix * 8 + prefixes[end]] & (lastType === typeIds[end] ? SAME : DIFF)) !== 0) {
        spans.push({ type: cache.types[type], start: i, end });
      }
      i = end;
    } else {
      i++;
    }
    previousPrefix = prefixes[i - 1];
    previousType = typeIds[i - 1];
  }
  return spans;
}
