/**
 * BERT sizes for `twner train bert --from-scratch --config <preset>`: a randomly initialised
 * encoder, NOT pretrained. `tiny` is the size of the shared `hf-tiny-bert` fixture; the others
 * follow Google's BERT miniatures (Turc et al. 2019) and bert-base.
 */
import { readFileSync } from 'node:fs';
import { type BertConfig, createBertConfig, parseBertConfig } from '@twner/bert-ner';
import { TaggerError, EXIT_USAGE } from '@twner/tagger';

export interface ConfigPreset {
  hiddenSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  intermediateSize: number;
  maxPositionEmbeddings: number;
}

export const CONFIG_PRESETS: Readonly<Record<string, ConfigPreset>> = {
  tiny: { hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 64, maxPositionEmbeddings: 128 },
  mini: { hiddenSize: 256, numHiddenLayers: 4, numAttentionHeads: 4, intermediateSize: 1024, maxPositionEmbeddings: 512 },
  small: { hiddenSize: 512, numHiddenLayers: 4, numAttentionHeads: 8, intermediateSize: 2048, maxPositionEmbeddings: 512 },
  base: { hiddenSize: 768, numHiddenLayers: 12, numAttentionHeads: 12, intermediateSize: 3072, maxPositionEmbeddings: 512 },
};

/**
 * The config of a from-scratch model: a preset name or a `config.json` path, with the
 * tokenizer's vocabulary size and pad id and the dataset's labels.
 */
export function scratchConfig(
  preset: string,
  vocab: { vocabSize: number; padTokenId: number },
  labels: string[],
): BertConfig {
  const sizes = CONFIG_PRESETS[preset];
  if (sizes) return createBertConfig({ ...sizes, ...vocab, labels });
  if (preset.endsWith('.json')) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(preset, 'utf8'));
    } catch (cause) {
      throw new TaggerError(`--config ${preset}: cannot read it as JSON`, EXIT_USAGE, { cause });
    }
    const parsed = parseBertConfig(raw, preset);
    return createBertConfig({ ...parsed, ...vocab, labels });
  }
  throw new TaggerError(
    `--config: expected one of ${Object.keys(CONFIG_PRESETS).join(', ')} or a config.json path, received ${JSON.stringify(preset)}`,
    EXIT_USAGE,
  );
}
