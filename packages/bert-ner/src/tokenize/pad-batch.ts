/** Wraps sequences in their special tokens and pads them to the batch's longest. */
import type { Piece, SequenceTemplate } from './sequence-template';
import type { EncodedBatch, SpecialToken } from './types';

export function assembleBatch(
  sequences: Array<{ pieces: Piece[]; truncated: boolean }>,
  template: SequenceTemplate,
  pad: SpecialToken,
  padding: boolean,
): EncodedBatch {
  const rows = sequences.map(({ pieces }) => [...template.prefix, ...pieces, ...template.suffix]);
  const lengths = rows.map((r) => r.length);
  const width = Math.max(0, ...lengths);
  const padPiece: Piece = { id: pad.id, token: pad.token, typeId: 0, wordId: null, offset: [0, 0], special: true };
  const padded = rows.map((r) => (padding ? [...r, ...Array<Piece>(width - r.length).fill(padPiece)] : r));
  return {
    inputIds: padded.map((r) => r.map((p) => p.id)),
    attentionMask: padded.map((r, b) => r.map((_, i) => (i < lengths[b] ? 1 : 0))),
    tokenTypeIds: padded.map((r) => r.map((p) => p.typeId)),
    tokens: padded.map((r) => r.map((p) => p.token)),
    specialTokensMask: padded.map((r) => r.map((p) => (p.special ? 1 : 0))),
    wordIds: padded.map((r) => r.map((p) => p.wordId)),
    offsets: padded.map((r) => r.map((p): [number, number] => [p.offset[0], p.offset[1]])),
    lengths,
    truncated: sequences.map((s) => s.truncated),
  };
}
