export { KernelError, ShapeError, ValueError } from './errors';
export { type RecurrentActivation } from './recurrent-activation';
export { lstmSequence, type LstmSequenceOptions } from './lstm-sequence';
export { bidirectionalLstm, type BidirectionalLstmOptions, type LstmWeights } from './bidirectional-lstm';
export { FusedBidirectionalLSTM, type FusedBidirectionalLSTMArgs } from './fused-bidirectional-lstm';
export { embeddingLookup } from './embedding-lookup';
export { FusedEmbedding, type FusedEmbeddingArgs } from './fused-embedding';
export { type DenseActivation, InferenceBiLstm, type InferenceBiLstmConfig, type InferenceBiLstmOptions } from './inference-bilstm';
export { wasmKernelsAvailable } from './wasm-kernels';
