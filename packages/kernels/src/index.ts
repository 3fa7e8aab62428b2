export { InputTooLongError, KernelError, ShapeError, ValueError, type KernelErrorCode } from './errors';
export { type RecurrentActivation } from './recurrent-activation';
export { lstmSequence, type LstmSequenceOptions } from './lstm-sequence';
export { recurrenceKernels, type RecurrenceKernels, setRecurrenceKernels } from './lstm-direction';
export { bidirectionalLstm, type BidirectionalLstmOptions, type LstmWeights } from './bidirectional-lstm';
export { FusedBidirectionalLSTM, type FusedBidirectionalLSTMArgs } from './fused-bidirectional-lstm';
export { embeddingLookup } from './embedding-lookup';
export { FusedEmbedding, type FusedEmbeddingArgs } from './fused-embedding';
export { charCnn } from './char-cnn';
export { FusedCharCNN, type FusedCharCNNArgs } from './fused-char-cnn';
export {
  type DenseActivation,
  InferenceBiLstm,
  type InferenceBiLstmConfig,
  type InferenceBiLstmOptions,
  type InferenceCharCnnConfig,
} from './inference-bilstm';
export { type InferenceInput, MAX_TWEET_TOKENS, type TweetInputs } from './inference-input';
export { InferenceEnsemble } from './inference-ensemble';
export { MIN_SPLIT_TWEETS, type Precision } from './inference-wasm';
export { charCnnForward, charCnnTables, type CharCnnTables } from './char-cnn-forward';
export { wasmKernelsAvailable } from './wasm-kernels';
export { attentionBackward, attentionForward, type AttentionForward, type AttentionLayout, type AttentionSaved } from './attention';
export { geluBackward, geluForward } from './gelu';
