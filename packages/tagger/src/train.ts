// @twner/tagger/train: training and the tfjs engine (needs @tensorflow/tfjs installed).
export { selectBackend, patchMaskGradients, type BackendName } from './backend';
export { trainTagger, type TrainContext, type TrainedTagger, type TrainingData } from './train/train-tagger';
export { DEFAULT_TRAIN_OPTIONS, resolveTrainOptions, type ResolvedTrainOptions, type TrainTaggerOptions } from './train/options';
export type { TrainCallbacks } from './train/fit';
export type { EpochRecord, TrainResult } from './train/loop';
export { loadTaggerTfjs } from './train/load-tfjs';
export { buildEmissionModel, type ModelConfig } from './models/bilstm-crf';
export { crfDecoder, crfParamsFromArrays, createCrfParams, iob2Constraints, type CrfParams } from './models/crf';
export { averageCrf, averageEmissions } from './models/ensemble';
export { encodeAll, encodeSentence, featureDim, type EncodedSentence, type Encoder } from './models/encode';
export { loadNet, loadTfjsEngine, saveBundle, saveNet, type SavedConfig } from './run-folder/bundle';
export { loadModel, saveModel } from './run-folder/model-io';
export { loadGloveMatrix } from './data/glove';
export { emissionsOf, predictIds } from './train/predict';
