/**
 * Hugging Face's `group_entities`: consecutive results with the same entity type are merged
 * unless the later one is a `B-` tag. A tag without B-/I- prefix (e.g. `O`) counts as `I-`,
 * so runs of `O` group together too; `O` is filtered only after grouping.
 */
import type { EntityGroup } from './types';

export interface TaggedSpan {
  entity: string;
  score: number;
  word: string;
  start: number;
  end: number;
}

function splitTag(tag: string): { bi: 'B' | 'I'; type: string } {
  if (tag.startsWith('B-')) return { bi: 'B', type: tag.slice(2) };
  if (tag.startsWith('I-')) return { bi: 'I', type: tag.slice(2) };
  return { bi: 'I', type: tag };
}

/** `group_sub_entities`: type of the first member (prefix dropped), mean score, decoded words. */
function groupOf(members: TaggedSpan[], joinTokens: (tokens: string[]) => string): EntityGroup {
  const first = members[0].entity;
  const dash = first.indexOf('-');
  return {
    entity_group: dash >= 0 ? first.slice(dash + 1) : first,
    score: members.reduce((s, m) => s + m.score, 0) / members.length,
    word: joinTokens(members.map((m) => m.word)),
    start: members[0].start,
    end: members[members.length - 1].end,
  };
}

/**
 * @param joinTokens the tokenizer's `convertTokensToString`
 */
export function groupEntities(spans: TaggedSpan[], joinTokens: (tokens: string[]) => string): EntityGroup[] {
  const groups: EntityGroup[] = [];
  let current: TaggedSpan[] = [];
  for (const span of spans) {
    if (current.length === 0) {
      current.push(span);
      continue;
    }
    const { bi, type } = splitTag(span.entity);
    const last = splitTag(current[current.length - 1].entity);
    if (type === last.type && bi !== 'B') current.push(span);
    else {
      groups.push(groupOf(current, joinTokens));
      current = [span];
    }
  }
  if (current.length > 0) groups.push(groupOf(current, joinTokens));
  return groups;
}
