import { checkArray, checkTagFormat, checkTagList } from './check-args';
import { quote } from './quote';
import { SchemeDetectionError } from './errors';
import type { TaggingScheme } from './schemes';
import { parseTag, type TagFormat } from './tag';

const KNOWN = 'BIOESLU';

/**
 * Guesses the tagging scheme of tag sequences from the prefixes they use and where they use them:
 * - `L`/`U` -> BILOU; `S`, or `E` together with `B` -> IOBES;
 * - only `I`/`E` -> IOE1 if some chunk ends in `I` (IOE1 marks `E` only before a chunk of the same type), else IOE2;
 * - only `B`/`I` -> IOB2 if some `B-x` starts a chunk not preceded by `x` (IOB1 never writes that), else IOB1;
 * - only `I` -> IO; only `O` -> IOB2 (every scheme writes all-`O` the same way).
 * Invalid IOB2 (an `I-x` after `O`) is still detected as IOB2 when some `B-x` follows `O`.
 *
 * @throws SchemeDetectionError for an unknown prefix or prefixes from incompatible schemes (`E` with `L`).
 * @example detectScheme([['B-PER', 'I-PER', 'O']]) // 'IOB2'
 */
export function detectScheme(sentences: readonly (readonly string[])[], opts: TagFormat = {}): TaggingScheme {
  checkArray(sentences, 'sentences', 'detectScheme', 'an array of tag sequences (string[][])');
  sentences.forEach((tags, s) => checkTagList(tags, 'detectScheme', `sentences[${s}]`));
  checkTagFormat(opts, 'detectScheme');
  const seen = new Set<string>();
  let iob2Evidence = false;
  let ioe1Evidence = false;
  sentences.forEach((tags, s) => {
    const parsed = tags.map((tag, t) => {
      const p = parseTag(tag, opts);
      if (p.prefix.length !== 1 || !KNOWN.includes(p.prefix)) {
        throw new SchemeDetectionError(`sentence ${s}, token ${t} has tag ${quote(tag)} with no known prefix (${KNOWN.split('').join(', ')})`);
      }
      return p;
    });
    parsed.forEach((p, t) => {
      seen.add(p.prefix);
      const prev = parsed[t - 1];
      const next = parsed[t + 1];
      if (p.prefix === 'B' && (prev === undefined || prev.prefix === 'O' || prev.type !== p.type)) iob2Evidence = true;
      if (p.prefix === 'I' && (next === undefined || next.prefix === 'O' || next.type !== p.type)) ioe1Evidence = true;
    });
  });
  const has = (prefix: string): boolean => seen.has(prefix);
  if (has('L') || has('U')) {
    if (has('E') || has('S')) throw new SchemeDetectionError('both BILOU prefixes (L, U) and IOBES prefixes (E, S) occur');
    return 'BILOU';
  }
  if (has('S') || (has('E') && has('B'))) return 'IOBES';
  if (has('E')) return ioe1Evidence ? 'IOE1' : 'IOE2';
  if (has('B')) return iob2Evidence ? 'IOB2' : 'IOB1';
  if (has('I')) return 'IO';
  return 'IOB2';
}
