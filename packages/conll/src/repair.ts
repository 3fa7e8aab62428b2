import { checkTagFormat, checkTagList } from './check-args';
import { parseTag, formatTag, type TagFormat } from './tag';

/** One tag changed by a repair: where, what it was, what it became. */
export interface TagRepair {
  index: number;
  from: string;
  to: string;
}

/**
 * Repairs invalid IOB2 with conlleval's rule: an `I-x` that does not continue a chunk of type `x`
 * (it opens the sentence, follows `O`, or follows `B-y`/`I-y` with `y` != `x`) starts a new
 * chunk, so it becomes `B-x`. Every other tag is kept. Returns the repaired tags and each change.
 *
 * @example repairIob2(['O', 'I-PER', 'I-LOC']).tags // ['O', 'B-PER', 'B-LOC']
 */
export function repairIob2(tags: readonly string[], opts: TagFormat = {}): { tags: string[]; repairs: TagRepair[] } {
  checkTagList(tags, 'repairIob2');
  checkTagFormat(opts, 'repairIob2');
  const repaired = [...tags];
  const repairs: TagRepair[] = [];
  let previous = { prefix: 'O', type: '' };
  tags.forEach((tag, index) => {
    const current = parseTag(tag, opts);
    const continues = (previous.prefix === 'B' || previous.prefix === 'I') && previous.type === current.type;
    if (current.prefix === 'I' && !continues) {
      repaired[index] = formatTag('B', current.type, opts);
      repairs.push({ index, from: tag, to: repaired[index] });
    }
    previous = current;
  });
  return { tags: repaired, repairs };
}
