import { InvalidTagError } from './errors';
import { schemePrefixes, type TaggingScheme } from './schemes';
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

function matches(previous: ParsedTagSeq, current: ParsedTagSeq, patterns: readonly Pattern[]): boolean {
  for (const [prevIn, curIn, types] of patterns) {
    if (!prevIn.includes(previous.prefix) || !curIn.includes(current.prefix)) continue;
    if (types === 'any') return true;
    if ((previous.type === current.type) === (types === 'same')) return true;
  }
  return false;
}

interface ParsedTagSeq {
  prefix: string;
  /** seqeval's tag: the type, or `_` when the tag has none. */
  type: string;
}

const OUTSIDE: ParsedTagSeq = { prefix: 'O', type: '_' };

function parseAll(tags: readonly string[], scheme: TaggingScheme, opts: TagFormat): ParsedTagSeq[] {
  const allowed = schemePrefixes(scheme);
  return tags.map((tag, index) => {
    const { prefix, type } = parseTag(tag, opts);
    if (prefix.length !== 1 || !allowed.includes(prefix)) {
      throw new InvalidTagError(index, tag, scheme, `a tag with prefix ${allowed.join(', ')}`);
    }
    return { prefix, type: type || '_' };
  });
}

function ioSpans(parsed: readonly ParsedTagSeq[]): EntitySpan[] {
  const spans: EntitySpan[] = [];
  let i = 0;
  while (i < parsed.length) {
    if (parsed[i].prefix !== 'I') {
      i++;
      continue;
    }
    const start = i;
    while (i + 1 < parsed.length && parsed[i + 1].prefix === 'I' && parsed[i + 1].type === parsed[start].type) i++;
    i++;
    spans.push({ type: parsed[start].type, start, end: i });
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
 * @example getSpans(['B-PER', 'I-PER', 'O', 'B-LOC'], 'IOB2') // [{ type: 'PER', start: 0, end: 2 }, { type: 'LOC', start: 3, end: 4 }]
 */
export function getSpans(tags: readonly string[], scheme: TaggingScheme, opts: TagFormat = {}): EntitySpan[] {
  const parsed = parseAll(tags, scheme, opts);
  if (scheme === 'IO') return ioSpans(parsed);
  const table = TABLES[scheme];
  // seqeval appends one outside token so that the last chunk can be closed.
  const tokens = [...parsed, OUTSIDE];
  const spans: EntitySpan[] = [];
  let previous = OUTSIDE;
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i];
    if (matches(previous, token, table.start)) {
      let end = i + 1;
      let last = token;
      while (end < tokens.length && matches(last, tokens[end], table.inside)) last = tokens[end++];
      if (matches(tokens[end - 1], tokens[end], table.end)) spans.push({ type: token.type, start: i, end });
      i = end;
    } else {
      i++;
    }
    previous = tokens[i - 1];
  }
  return spans;
}
