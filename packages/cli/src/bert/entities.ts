/**
 * Raw text → words with character offsets, and word tags → entity spans with offsets and
 * scores. Words are the text's whitespace-separated pieces, as in the notebook's
 * `sentence.split()`, so a span always covers whole words.
 */
import { getEntities } from '@twner/metrics-seqeval';
import type { Entity } from '@twner/tagger';

export interface WordSpan {
  text: string;
  /** `[start, end)` as JavaScript string indices: `source.slice(start, end) === text`. */
  start: number;
  end: number;
}

/** An entity of a BERT run: the same shape as `@twner/tagger`'s (its `score` is the mean probability of the predicted tags of its words). */
export type EntitySpan = Entity;

/** Splits text on whitespace, keeping where each word is. */
export function splitWords(text: string): WordSpan[] {
  const out: WordSpan[] = [];
  const re = /\S+/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/**
 * Groups word tags into entities the way seqeval's default mode does (an `I-X` after `O`
 * starts an entity), with the text between the first word's start and the last word's end.
 * @param words the words `tags` and `scores` are for
 */
export function entitySpans(text: string, words: readonly WordSpan[], tags: readonly string[], scores: readonly number[]): EntitySpan[] {
  return getEntities(tags).map(([type, first, last]) => {
    const start = words[first].start;
    const end = words[last].end;
    const own = scores.slice(first, last + 1);
    return { type, text: text.slice(start, end), start, end, score: own.reduce((a, b) => a + b, 0) / own.length, tokenStart: first, tokenEnd: last + 1 };
  });
}

/** One line per entity, `type  [start, end)  "text"  score`, or `(no entities)`. */
export function formatEntitySpans(spans: readonly EntitySpan[]): string {
  if (spans.length === 0) return '  (no entities)';
  const typeWidth = Math.max(...spans.map((s) => s.type.length));
  return spans
    .map((s) => `  ${s.type.padEnd(typeWidth)}  [${s.start}, ${s.end})  ${JSON.stringify(s.text)}  ${s.score.toFixed(3)}`)
    .join('\n');
}
