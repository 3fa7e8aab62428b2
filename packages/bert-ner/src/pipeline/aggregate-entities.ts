/**
 * Pre-entities → entities for one text, Hugging Face's `aggregate` + `aggregate_words`:
 * `none`/`simple` label each sub-token by its argmax; `first`/`average`/`max` first merge a
 * word's sub-tokens (a word = a piece plus the sub-word pieces after it) with the same rules as
 * `combinePieces`. Every strategy but `none` then groups with `groupEntities`.
 */
import { combinePieces } from '../align/combine-pieces';
import { argmax } from '../align/softmax';
import { groupEntities, type TaggedSpan } from './group-entities';
import type { PreEntity } from './pre-entities';
import type { AggregationStrategy, PipelineEntity, TokenEntity } from './types';

export function aggregateEntities(
  pre: PreEntity[],
  strategy: AggregationStrategy,
  labelOf: (id: number) => string,
  joinTokens: (tokens: string[]) => string,
): PipelineEntity[] {
  if (strategy === 'none' || strategy === 'simple') {
    const tokens: TokenEntity[] = pre.map((p) => {
      const id = argmax(p.scores);
      return { entity: labelOf(id), score: p.scores[id], index: p.index, word: p.word, start: p.start, end: p.end };
    });
    return strategy === 'none' ? tokens : groupEntities(tokens, joinTokens);
  }
  const words: PreEntity[][] = [];
  for (const p of pre) {
    if (words.length > 0 && p.isSubword) words[words.length - 1].push(p);
    else words.push([p]);
  }
  const spans: TaggedSpan[] = words.map((pieces) => {
    const { labelId, score } = combinePieces(
      pieces.map((p) => p.logits),
      strategy,
    );
    return {
      entity: labelOf(labelId),
      score,
      word: joinTokens(pieces.map((p) => p.word)),
      start: pieces[0].start,
      end: pieces[pieces.length - 1].end,
    };
  });
  return groupEntities(spans, joinTokens);
}
