export type { BertConfig, HiddenAct } from './config';
export { parseBertConfig, createBertConfig, bertConfigToJson, numLabels } from './config';
export type { SafetensorsDtype, SafetensorsTensor, SafetensorsFile, NamedFloat32Tensor } from './safetensors';
export { readSafetensors, writeSafetensors } from './safetensors';
export type { HubOptions, Checkpoint } from './from-pretrained';
export { resolveModelDir, readCheckpoint } from './from-pretrained';
export { savePretrained, TOKENIZER_FILES } from './save-pretrained';
export type { SavableModel } from './save-pretrained';
export type { TokenClassificationInputs, PredictOptions, TokenClassifierOutput, FromPretrainedOptions, CreateOptions } from './model/bert-for-token-classification';
export { BertForTokenClassification } from './model/bert-for-token-classification';
export type { LoadReport } from './model/checkpoint';
export type { ParameterSpec, ParameterKind } from './model/parameters';
export { gelu, geluTanh, erf } from './model/activations';
export { setTransformerKernels, simdKernelsActive, type TransformerKernels } from './model/transformer-kernels';
export { withDropoutSeed } from './model/dropout';
export { maskedCrossEntropy, IGNORE_INDEX } from './train/masked-cross-entropy';
export type { AdamWOptions } from './train/adamw';
export { AdamW, noDecayForBiasAndLayerNorm } from './train/adamw';
export { clipGradsByGlobalNorm } from './train/clip-grad-norm';
export type { ClipGradsOptions } from './train/clip-grad-norm';
export type { LinearScheduleOptions } from './train/linear-schedule';
export { linearSchedule } from './train/linear-schedule';
export type { TrainingExample, PaddedBatch } from './train/batch';
export { padBatch } from './train/batch';
export type { WordEvaluation } from './train/evaluate-words';
export { evaluateWords } from './train/evaluate-words';
export type { FineTuneOptions, FineTuneProgress, FineTuneResult, EpochRecord } from './train/fine-tune';
export { fineTune } from './train/fine-tune';
export type { BestWeightsStore, WeightSnapshot } from './train/weight-snapshot';
export { snapshotInMemory, snapshotOnDisk } from './train/weight-snapshot';
export type { ShapeMismatch } from './errors';
export {
  BertNerError,
  ConfigError,
  UnsupportedArchitectureError,
  SafetensorsError,
  WeightsMismatchError,
  ModelDownloadError,
  InputShapeError,
  TrainingError,
} from './errors';
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
export { toModelInputs } from './tokenize/model-inputs';
export type { ModelInputs } from './tokenize/model-inputs';
export { InvalidInputError, InvalidOptionError, LabelAlignmentError, SequenceTooLongError, TokenizerLoadError, UnknownOptionError } from './tokenize/errors';
export { alignLabels } from './align/align-labels';
export type { AlignLabelsOptions } from './align/align-labels';
export { combinePieces, WORD_AGGREGATIONS } from './align/combine-pieces';
export type { WordAggregation, WordPrediction } from './align/combine-pieces';
export { aggregateToWords, predictionsToTags } from './align/aggregate-to-words';
export type { AggregateToWordsOptions } from './align/aggregate-to-words';
export { argmax, softmax } from './align/softmax';
export { tokenClassificationPipeline } from './pipeline/token-classification-pipeline';
export type {
  AggregationStrategy,
  EntityGroup,
  PipelineEntity,
  TokenClassificationPipeline,
  TokenClassificationPipelineOptions,
  TokenClassifierModel,
  TokenEntity,
} from './pipeline/types';
export { formatTokenizationReport, tokenizationReport } from './tokenize/tokenization-report';
export type { SplitWordExample, TokenizationReport, TokenizationReportOptions } from './tokenize/tokenization-report';
