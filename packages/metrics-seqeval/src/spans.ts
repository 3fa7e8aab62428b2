/** Entities per sentence, in local positions with an exclusive end, for either mode. */
import { scanDefaultEntities } from './entities';
import { checkOptionKeys, ENTITY_KEYS, resolveEntityOptions, type EntityOptions } from './options';
import { strictSpans } from './strict-entities';
import { checkSequences, type Sequences } from './validate';

/** An entity inside one sentence: token positions, `end` exclusive. */
export interface SentenceSpan {
  type: string;
  start: number;
  end: number;
}

/**
 * The entities of every sentence: seqeval's default-mode chunker, or (mode 'strict') the
 * scheme's spans from @twner/conll.
 *
 * @example
 * sentenceSpans([['B-PER', 'I-PER', 'O'], ['I-LOC']]);
 * // [[{ type: 'PER', start: 0, end: 2 }], [{ type: 'LOC', start: 0, end: 1 }]]
 */
export function sentenceSpans(
  sequences: Sequences,
  options: EntityOptions = {},
  argument: 'yTrue' | 'yPred' = 'yTrue',
): SentenceSpan[][] {
  checkOptionKeys(options, ENTITY_KEYS, 'sentenceSpans');
  checkSequences(sequences, argument);
  const { mode, scheme, suffix } = resolveEntityOptions(options);
  if (mode === 'strict' && scheme !== undefined) return strictSpans(sequences, scheme, suffix, argument);
  const out: SentenceSpan[][] = sequences.map(() => []);
  // Sentence k occupies [starts[k], starts[k] + length) of the joined sequence.
  const starts: number[] = [];
  let offset = 0;
  for (const sentence of sequences) {
    starts.push(offset);
    offset += sentence.length + 1;
  }
  let k = 0;
  scanDefaultEntities(sequences, suffix, true, (type, start, end) => {
    while (k + 1 < starts.length && starts[k + 1] <= end) k += 1;
    const local = Math.max(start, starts[k]) - starts[k];
    out[k].push({ type, start: local, end: end - starts[k] + 1 });
  });
  return out;
}
