import { quote } from './quote';
import { VocabularyError } from './errors';
import { parseTag } from './tag';

/** Labels <-> ids in the shape Hugging Face configs use (`id2label` keys are strings there too). */
export interface LabelIndex {
  labels: readonly string[];
  id2label: Record<number, string>;
  label2id: Record<string, number>;
}

/** A label index over `labels` in the given order. */
export function labelIndex(labels: readonly string[]): LabelIndex {
  if (new Set(labels).size !== labels.length) throw new VocabularyError('BAD_OPTION', `expected distinct labels, received ${quote(JSON.stringify(labels))}`);
  return {
    labels: [...labels],
    id2label: Object.fromEntries(labels.map((label, id) => [id, label])),
    label2id: Object.fromEntries(labels.map((label, id) => [label, id])),
  };
}

/** The distinct tags of tag sequences: `O` first, then by type, then by prefix (B before I). */
export function collectLabels(tagSequences: Iterable<readonly string[]>): string[] {
  const seen = new Set<string>();
  for (const tags of tagSequences) for (const tag of tags) seen.add(tag);
  const key = (tag: string): [number, string, string] => {
    const { prefix, type } = parseTag(tag);
    return [tag === 'O' ? 0 : 1, type, prefix];
  };
  return [...seen].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < 3; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return 0;
  });
}

/** Tag -> id. @throws VocabularyError (`UNKNOWN_LABEL`) for a tag not in the index. */
export function encodeLabels(index: LabelIndex, tags: readonly string[]): number[] {
  return tags.map((tag, i) => {
    const id = index.label2id[tag];
    if (id === undefined) throw new VocabularyError('UNKNOWN_LABEL', `unknown label ${quote(tag)} at index ${i}; expected one of ${index.labels.join(', ')}`);
    return id;
  });
}

/** Id -> tag. @throws VocabularyError (`UNKNOWN_LABEL`) for an id out of range. */
export function decodeLabels(index: LabelIndex, ids: readonly number[]): string[] {
  return ids.map((id, i) => {
    const label = index.id2label[id];
    if (label === undefined) throw new VocabularyError('UNKNOWN_LABEL', `unknown label id ${id} at index ${i}; expected 0..${index.labels.length - 1}`);
    return label;
  });
}
