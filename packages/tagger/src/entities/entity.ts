import { getEntities } from '@twner/metrics-seqeval';

/** A token of a tagged text: its characters and where they are in the text (UTF-16 offsets, `end` exclusive). */
export interface TaggedToken {
  text: string;
  start: number;
  end: number;
}

/** An entity found in a text. The same shape everywhere: library, CLI JSON, service, BERT runs. */
export interface Entity {
  /** Entity type, such as `person` or `geo-loc`. */
  type: string;
  /** The entity's characters: `text.slice(start, end)` of the tagged text. */
  text: string;
  /** UTF-16 offset of the first character in the tagged text. */
  start: number;
  /** UTF-16 offset just after the last character (exclusive). */
  end: number;
  /** The model's probability of exactly this span with this type (CRF marginal), in 0..1. */
  score: number;
  /** Token range of the span, `tokenEnd` exclusive. */
  tokenStart: number;
  tokenEnd: number;
}

/** What tagging one text gives. */
export interface TaggedText {
  text: string;
  tokens: TaggedToken[];
  /** IOB2 tag of each token. */
  tags: string[];
  entities: Entity[];
}

/**
 * The entities of IOB2 `tags` over `tokens` of `text` (seqeval's default chunking), with the
 * score of each span from `score(type, tokenStart, tokenEnd)`.
 */
export function entitiesOf(
  text: string,
  tokens: readonly TaggedToken[],
  tags: readonly string[],
  score: (type: string, tokenStart: number, tokenEnd: number) => number,
): Entity[] {
  const chunks = getEntities([...tags]);
  return entitiesOfChunks(text, tokens, chunks, chunks.map(([type, first, last]) => score(type, first, last + 1)));
}

/** {@link entitiesOf} with the chunks (`getEntities` of the tags) and each one's score given. */
export function entitiesOfChunks(
  text: string,
  tokens: readonly TaggedToken[],
  chunks: readonly (readonly [string, number, number])[],
  scores: ArrayLike<number>,
): Entity[] {
  return chunks.map(([type, first, last], k) => {
    const start = tokens[first].start;
    const end = tokens[last].end;
    return { type, text: text.slice(start, end), start, end, score: scores[k], tokenStart: first, tokenEnd: last + 1 };
  });
}

/** Tokens without a source text (pre-tokenised input): joined by single spaces, offsets into that text. */
export function joinTokens(tokens: readonly string[]): { text: string; tokens: TaggedToken[] } {
  const out: TaggedToken[] = [];
  let pos = 0;
  for (const t of tokens) {
    out.push({ text: t, start: pos, end: pos + t.length });
    pos += t.length + 1;
  }
  return { text: tokens.join(' '), tokens: out };
}
