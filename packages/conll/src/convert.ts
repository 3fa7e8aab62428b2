import { checkArray, checkScheme, checkTagFormat } from './check-args';
import { ConllUsageError, InvalidTagError } from './errors';
import { describeValue, quote } from './quote';
import type { TaggingScheme } from './schemes';
import { getSpans, type EntitySpan } from './spans';
import { formatTag, parseTag, type TagFormat } from './tag';

function encodeSpan(scheme: TaggingScheme, span: EntitySpan, before: EntitySpan | undefined, after: EntitySpan | undefined): string[] {
  const length = span.end - span.start;
  const prefixes: string[] = new Array<string>(length).fill('I');
  switch (scheme) {
    case 'IO':
      break;
    case 'IOB1':
      // B only marks a chunk that directly follows a chunk of the same type.
      if (before && before.end === span.start && before.type === span.type) prefixes[0] = 'B';
      break;
    case 'IOB2':
      prefixes[0] = 'B';
      break;
    case 'IOE1':
      // E only marks a chunk that a chunk of the same type directly follows.
      if (after && after.start === span.end && after.type === span.type) prefixes[length - 1] = 'E';
      break;
    case 'IOE2':
      prefixes[length - 1] = 'E';
      break;
    case 'IOBES':
    case 'BILOU': {
      const [begin, last, unit] = scheme === 'IOBES' ? ['B', 'E', 'S'] : ['B', 'L', 'U'];
      if (length === 1) prefixes[0] = unit;
      else {
        prefixes[0] = begin;
        prefixes[length - 1] = last;
      }
      break;
    }
  }
  return prefixes;
}

/**
 * Chunks by boundaries alone: a chunk starts at a non-O tag after O, after another type, at a
 * starting prefix (B, S, U) or after an ending prefix (E, S, L, U). For any tags a scheme writes
 * this gives the spans it encoded; unlike seqeval's IOE1 table it also finds a one-token IOE1
 * chunk `E-x` before a chunk of the same type.
 */
function chunkSpans(tags: readonly string[], opts: TagFormat): EntitySpan[] {
  const spans: EntitySpan[] = [];
  let previous = { prefix: 'O', type: '' };
  tags.forEach((tag, index) => {
    const current = parseTag(tag, opts);
    const type = current.type || '_';
    if (current.prefix === 'O') {
      previous = current;
      return;
    }
    const open = spans[spans.length - 1];
    const continues = open !== undefined && open.end === index && open.type === type
      && !'BSU'.includes(current.prefix) && !'ESLU'.includes(previous.prefix);
    if (continues) open.end = index + 1;
    else spans.push({ type, start: index, end: index + 1 });
    previous = current;
  });
  return spans;
}

/**
 * Writes entity spans as tags of a scheme. Spans must be sorted and must not overlap.
 * IO cannot separate two adjacent chunks of one type: they become one.
 *
 * @example encodeSpans([{ type: 'PER', start: 0, end: 2 }], 3, 'IOBES') // ['B-PER', 'E-PER', 'O']
 */
export function encodeSpans(spans: readonly EntitySpan[], length: number, scheme: TaggingScheme, opts: TagFormat = {}): string[] {
  checkArray(spans, 'spans', 'encodeSpans', 'an array of { type, start, end }');
  if (!Number.isSafeInteger(length) || length < 0) throw new ConllUsageError('INVALID_ARGUMENT', 'length', `encodeSpans: length must be an integer >= 0, received ${describeValue(length)}`);
  checkScheme(scheme, 'scheme', 'encodeSpans');
  checkTagFormat(opts, 'encodeSpans');
  spans.forEach((span, k) => {
    const ok = span !== null && typeof span === 'object' && typeof span.type === 'string' && span.type.length > 0
      && Number.isSafeInteger(span.start) && Number.isSafeInteger(span.end) && span.start >= (k > 0 ? spans[k - 1].end : 0) && span.end > span.start && span.end <= length;
    if (!ok) {
      throw new ConllUsageError('INVALID_ARGUMENT', 'spans', `encodeSpans: spans[${k}] must be { type, start, end } with a type, start < end <= length (${length}), sorted and not overlapping; received ${quote(JSON.stringify(span) ?? String(span))}`);
    }
  });
  const tags: string[] = new Array<string>(length).fill('O');
  spans.forEach((span, k) => {
    const prefixes = encodeSpan(scheme, span, spans[k - 1], spans[k + 1]);
    prefixes.forEach((prefix, offset) => {
      tags[span.start + offset] = formatTag(prefix, span.type, opts);
    });
  });
  return tags;
}

/**
 * Converts a tag sequence from one scheme to another through its entity spans.
 * The input must be valid in `from`: every tag must be the one `from` writes for the spans it
 * encodes, so no tag is ever dropped silently (repair IOB2 input first with `repairIob2`).
 * Converting to IO merges adjacent chunks of one type, the only lossy direction.
 *
 * @throws InvalidTagError at the first tag that is not valid in `from`.
 * @example convertScheme(['B-PER', 'I-PER', 'B-LOC'], 'IOB2', 'BILOU') // ['B-PER', 'L-PER', 'U-LOC']
 */
export function convertScheme(tags: readonly string[], from: TaggingScheme, to: TaggingScheme, opts: TagFormat = {}): string[] {
  checkScheme(from, 'from', 'convertScheme');
  checkScheme(to, 'to', 'convertScheme');
  getSpans(tags, from, opts); // prefix check
  const spans = chunkSpans(tags, opts);
  const canonical = encodeSpans(spans, tags.length, from, opts);
  for (let i = 0; i < tags.length; i++) {
    const got = parseTag(tags[i], opts);
    const want = parseTag(canonical[i], opts);
    const sameType = got.prefix === 'O' || (got.type || '_') === (want.type || '_');
    if (got.prefix !== want.prefix || !sameType) {
      throw new InvalidTagError(i, tags[i], from, `${quote(canonical[i])} (the only valid ${from} tag here)`);
    }
  }
  return from === to ? [...tags] : encodeSpans(spans, tags.length, to, opts);
}
