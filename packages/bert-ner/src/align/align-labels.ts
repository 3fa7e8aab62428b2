/**
 * Word labels → sub-token labels for training, Hugging Face's `tokenize_and_align_labels`.
 *
 * Default: only the FIRST sub-token of each word carries the word's label; continuation pieces,
 * special tokens and padding get `ignoreIndex` (-100, which the loss skips). This is the
 * default because labelling every piece (what the notebook did) counts a word split into four
 * pieces four times in the loss and, if scored on sub-tokens, in the metrics, which inflates
 * entity scores for long, rare words (transformers issue #14043). Evaluate on words, not pieces.
 *
 * `labelAllTokens: true` labels every piece; a `B-X` word's continuation pieces get `I-X` (when
 * `I-X` exists), so an entity still starts exactly once.
 */
import { LabelAlignmentError } from '../tokenize/errors';
import { IGNORE_INDEX } from '../train/masked-cross-entropy';

export interface AlignLabelsOptions {
  /** Tag → id, as in `config.json`'s `label2id`. */
  label2id: Record<string, number>;
  /** Label every sub-token, not only the first of each word. Default `false`. */
  labelAllTokens?: boolean;
  /** Id for positions the loss ignores. Default -100 (PyTorch's `ignore_index`). */
  ignoreIndex?: number;
}

/**
 * @param tags [B][words] IOB2 tags per word
 * @param wordIds [B, S] word index of each sub-token, `null` for special and padding tokens
 *   (`encodeWords(...).wordIds`)
 * @returns [B, S] label ids
 * @example
 * // [CLS] new or ##le ##ans [SEP]
 * alignLabels([['B-geo-loc', 'I-geo-loc']], [[null, 0, 1, 1, 1, null]], { label2id });
 * // [[-100, 5, 6, -100, -100, -100]]
 */
export function alignLabels(
  tags: string[][],
  wordIds: Array<Array<number | null>>,
  options: AlignLabelsOptions,
): number[][] {
  const { label2id, labelAllTokens = false, ignoreIndex = IGNORE_INDEX } = options;
  if (tags.length !== wordIds.length) {
    throw new LabelAlignmentError(
      Math.min(tags.length, wordIds.length),
      `expected as many tag sequences as encoded sequences, got ${tags.length} tag sequences and ${wordIds.length} encoded`,
    );
  }
  const idOf = (tag: string, b: number): number => {
    const id = label2id[tag];
    if (id === undefined) {
      throw new LabelAlignmentError(
        b,
        `tag ${JSON.stringify(tag)} is not in label2id (expected one of ${Object.keys(label2id).join(', ')})`,
      );
    }
    return id;
  };
  const continuation = (tag: string): string => {
    if (!tag.startsWith('B-')) return tag;
    const inside = `I-${tag.slice(2)}`;
    return inside in label2id ? inside : tag;
  };

  return wordIds.map((row, b) => {
    let previous: number | null = null;
    return row.map((w) => {
      if (w === null) {
        previous = null;
        return ignoreIndex;
      }
      if (w < 0 || w >= tags[b].length) {
        throw new LabelAlignmentError(b, `sub-token word id ${w} is outside the ${tags[b].length} tags given`);
      }
      const first = w !== previous;
      previous = w;
      if (first) return idOf(tags[b][w], b);
      return labelAllTokens ? idOf(continuation(tags[b][w]), b) : ignoreIndex;
    });
  });
}
