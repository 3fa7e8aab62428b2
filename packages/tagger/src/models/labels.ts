import { EXIT_USAGE, TaggerError } from '../errors';
import { collectLabels } from '@twner/conll';

/** The ten WNUT16 entity types. */
export const WNUT16_TYPES = [
  'company', 'facility', 'geo-loc', 'movie', 'musicartist', 'other', 'person', 'product', 'sportsteam', 'tvshow',
] as const;

/** The 21 IOB2 labels (O first, then B/I per type), plus any other tag seen in training. */
export function wnut16Labels(trainTags: readonly (readonly string[])[]): string[] {
  const fixed = ['O', ...WNUT16_TYPES.flatMap((t) => [`B-${t}`, `I-${t}`])];
  return collectLabels([fixed, ...trainTags]);
}

/**
 * The IOB2 labels of a data set: `O`, then `B-x` and `I-x` for every entity type `x` seen in it,
 * types sorted (for WNUT16 the same 21 labels in the same order as {@link wnut16Labels}).
 * A tag that is neither `O` nor `B-`/`I-` of a type is refused: the CRF's IOB2 constraints need it.
 */
export function labelsFromData(tags: readonly (readonly string[])[]): string[] {
  const types = new Set<string>();
  tags.forEach((row, s) =>
    row.forEach((tag, i) => {
      if (tag === 'O') return;
      const m = /^([BI])-(.+)$/.exec(tag);
      if (!m) {
        throw new TaggerError(
          `sentence ${s + 1}, token ${i + 1}: tag ${JSON.stringify(tag.slice(0, 40))} is not IOB2 (O, B-type or I-type); convert the data to IOB2 first`,
          EXIT_USAGE,
        );
      }
      types.add(m[2]);
    }),
  );
  return ['O', ...[...types].sort().flatMap((t) => [`B-${t}`, `I-${t}`])];
}
