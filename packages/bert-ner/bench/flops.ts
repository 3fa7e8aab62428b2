// Floating-point operations of BertForTokenClassification, counted as 2 per multiply-add of the
// matrix products (the element-wise work — GELU, LayerNorm, softmax — is left out, so the GFLOP/s
// derived from these counts are comparable with a plain matmul's).
import type { BertConfig } from '../src';

/**
 * FLOP per token of one forward pass at sequence length `seqLen`: per layer the Q, K, V and
 * output projections (4·H²), the two feed-forward products (2·H·I), and the attention products
 * QKᵀ and P·V (2·T·H), then the classifier (H·K). The embeddings are table look-ups.
 */
export function forwardFlopsPerToken(config: BertConfig, seqLen: number): number {
  const h = config.hiddenSize;
  const perLayer = 4 * h * h + 2 * h * config.intermediateSize + 2 * seqLen * h;
  const labels = Object.keys(config.id2label).length;
  return 2 * (config.numHiddenLayers * perLayer + h * labels);
}

/**
 * FLOP per token of one training step: the forward pass and a backward pass that costs twice as
 * much (each product y = x·W needs dx = dy·Wᵀ and dW = xᵀ·dy). The optimiser step is per
 * parameter, not per token, and is left out.
 */
export function trainingStepFlopsPerToken(config: BertConfig, seqLen: number): number {
  return 3 * forwardFlopsPerToken(config, seqLen);
}
