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
