export {};
// Tokenization, label alignment and the token-classification pipeline.
export { BertTokenizer } from './tokenize/bert-tokenizer';
export type { TokenizerConfig, TokenizerFromFileOptions } from './tokenize/bert-tokenizer';
export type {
  EncodeOptions,
  EncodedBatch,
  SpecialToken,
  TextEncodedBatch,
  TruncationPolicy,
  WordEncodedBatch,
} from './tokenize/types';
export type { SequenceTemplate, Piece } from './tokenize/sequence-template';
export { InvalidOptionError, LabelAlignmentError, SequenceTooLongError, TokenizerLoadError } from './tokenize/errors';
