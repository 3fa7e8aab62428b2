// `@twner/kernels/inference`: the tfjs-free forward pass (nothing here imports
// `@tensorflow/tfjs` or a Node built-in; `threads: 2` loads node:worker_threads lazily).
export { InputTooLongError, KernelError, ShapeError, ValueError, type KernelErrorCode } from './errors';
export { type RecurrentActivation } from './recurrent-activation';
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
