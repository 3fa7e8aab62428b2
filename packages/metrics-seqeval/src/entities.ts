/**
 * seqeval's default-mode chunker (`seqeval.metrics.sequence_labeling.get_entities`), which is
 * conlleval's: a tag is read as one prefix character plus a type, and an entity starts or ends
 * wherever the prefix or the type changes. It accepts any prefix mix, and has its quirks:
 * `I-X` after `O` starts an entity, `B-X I-Y` is two entities, `E-X E-X` is two, `S-` is a
 * one-token entity, and a sentence break always ends an entity.
 */
import { MalformedTagError } from './errors';
import { checkOptionKeys } from './options';
import { checkSequences, type Sequences } from './validate';

/** `[type, start, end]` with `end` INCLUSIVE, as seqeval returns it. */
export type EntityTuple = [type: string, start: number, end: number];

export interface EntitiesOptions {
  /** Tags are written `PER-B` instead of `B-PER`. */
  suffix?: boolean;
}

/** A tag split the way the default-mode chunker splits it. */
export interface ChunkTag {
  /** The prefix character: 'B', 'I', 'E', 'S', 'O' or whatever the first (last, with suffix) character is. */
  prefix: string;
  /** The type; '_' when the tag has none (e.g. 'O' or a bare 'B'). */
  type: string;
}

/**
 * Splits a tag like seqeval's default mode: prefix = first character; type = what follows the
 * first '-' after it (or the rest, if there is no '-'), '_' if empty. With `suffix`, prefix = last
 * character and type = what precedes the last '-' before it.
 */
export function splitChunkTag(tag: string, suffix = false): ChunkTag {
  if (suffix) {
    const head = tag.slice(0, -1);
    const dash = head.lastIndexOf('-');
    return { prefix: tag.slice(-1), type: (dash < 0 ? head : head.slice(0, dash)) || '_' };
  }
  const tail = tag.slice(1);
  const dash = tail.indexOf('-');
  return { prefix: tag.charAt(0), type: (dash < 0 ? tail : tail.slice(dash + 1)) || '_' };
}

/** seqeval `end_of_chunk`: did a chunk end between the previous and the current token? */
export function endOfChunk(prevPrefix: string, prefix: string, prevType: string, type: string): boolean {
  if (prevPrefix === 'E' || prevPrefix === 'S') return true;
  if ((prevPrefix === 'B' || prevPrefix === 'I') && (prefix === 'B' || prefix === 'S' || prefix === 'O')) return true;
  return prevPrefix !== 'O' && prevPrefix !== '.' && prevType !== type;
}

/** seqeval `start_of_chunk`: did a chunk start between the previous and the current token? */
export function startOfChunk(prevPrefix: string, prefix: string, prevType: string, type: string): boolean {
  if (prefix === 'B' || prefix === 'S') return true;
  if ((prevPrefix === 'E' || prevPrefix === 'S' || prevPrefix === 'O') && (prefix === 'E' || prefix === 'I')) {
    return true;
  }
  return prefix !== 'O' && prefix !== '.' && prevType !== type;
}

/**
 * Entities of one tag sequence, or of several: like seqeval, sentences are joined with an 'O'
 * after each one and the positions count in that joined sequence (sentence k starts at
 * sum of (length + 1) over the sentences before it).
 *
 * @example
 * getEntities(['B-PER', 'I-PER', 'O', 'B-LOC']); // [['PER', 0, 1], ['LOC', 3, 3]]
 */
export function getEntities(seq: readonly string[] | readonly (readonly string[])[], options: EntitiesOptions = {}): EntityTuple[] {
  checkOptionKeys(options, ['suffix'], 'getEntities');
  const out: EntityTuple[] = [];
  if (!Array.isArray(seq)) checkSequences(seq as unknown as Sequences, 'seq'); // throws
  const nested = seq.some((item) => Array.isArray(item));
  const sentences = nested ? (seq as readonly (readonly string[])[]) : [seq as readonly string[]];
  checkSequences(sentences, 'seq');
  scanDefaultEntities(sentences, options.suffix ?? false, nested, (type, start, end) => {
    out.push([type, start, end]);
  });
  return out;
}

/**
 * The chunker as a scan: calls `emit(type, start, endInclusive)` for every entity, positions in
 * the joined sequence. `separate` inserts the 'O' after every sentence (seqeval's nested form);
 * without it (a single flat sequence) only the final sentinel 'O' is added.
 * @internal
 */
export function scanDefaultEntities(
  sentences: readonly (readonly string[])[],
  suffix: boolean,
  separate: boolean,
  emit: (type: string, start: number, end: number) => void,
  onTag?: (sentence: number, position: number, tag: string) => void,
): void {
  const cache = new Map<string, ChunkTag>();
  let prevPrefix = 'O';
  let prevType = '';
  let begin = 0;
  let offset = 0;
  const step = (prefix: string, type: string, i: number): void => {
    if (endOfChunk(prevPrefix, prefix, prevType, type)) emit(prevType, begin, i - 1);
    if (startOfChunk(prevPrefix, prefix, prevType, type)) begin = i;
    prevPrefix = prefix;
    prevType = type;
  };
  for (let s = 0; s < sentences.length; s += 1) {
    const tags = sentences[s];
    for (let j = 0; j < tags.length; j += 1) {
      const tag = tags[j];
      let parts = cache.get(tag);
      if (parts === undefined) {
        if (typeof tag !== 'string' || tag.length === 0) throw new MalformedTagError(s, j, String(tag));
        parts = splitChunkTag(tag, suffix);
        cache.set(tag, parts);
        onTag?.(s, j, tag);
      }
      step(parts.prefix, parts.type, offset + j);
    }
    offset += tags.length;
    if (separate) {
      step('O', '_', offset);
      offset += 1;
    }
  }
  // the sentinel 'O' seqeval appends to the (joined) sequence
  step('O', '_', offset);
}
