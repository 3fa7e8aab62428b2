/**
 * Strict-mode entities (seqeval `mode='strict'`): the spans come from @twner/conll's
 * scheme-aware `getSpans`, per sentence; an entity is (sentence, type, start, end).
 */
import { getSpans, schemePrefixes, type EntitySpan } from '@twner/conll';
import { InvalidSchemeTagError } from './errors';
import type { StrictScheme } from './options';
import type { Sequences } from './validate';

interface ConllInvalidTag {
  code: 'INVALID_TAG';
  index: number;
  tag: string;
}

function isInvalidTag(error: unknown): error is ConllInvalidTag {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'INVALID_TAG';
}

/**
 * Spans of every sentence under `scheme` (end exclusive), or a typed error naming the first
 * sentence and position whose prefix the scheme does not allow.
 * @internal
 */
export function strictSpans(
  sequences: Sequences,
  scheme: StrictScheme,
  suffix: boolean,
  argument: 'yTrue' | 'yPred',
): EntitySpan[][] {
  const out: EntitySpan[][] = new Array(sequences.length);
  for (let s = 0; s < sequences.length; s += 1) {
    try {
      out[s] = getSpans(sequences[s], scheme, { suffix });
    } catch (error) {
      if (!isInvalidTag(error)) throw error;
      throw new InvalidSchemeTagError(
        argument,
        s,
        error.index,
        error.tag,
        scheme,
        schemePrefixes(scheme).join(', '),
        error,
      );
    }
  }
  return out;
}
