// @twner/tagger: tagging without tfjs. Training lives in `@twner/tagger/train`.
export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, TaggerError, DataNotFoundError, ChecksumError, RunFolderError, TrainingError, type TaggerErrorCode } from './errors';
export { tokenizeTweet, tokenizeTweetText, type TweetToken } from './tokenize/tweet-tokenizer';
export { entitiesOf, joinTokens, type Entity, type TaggedText, type TaggedToken } from './entities/entity';
export { forwardBackward, spanScorer, type CrfScores } from './entities/span-scores';
export type { EmissionEngine, WorkerJob } from './engine';
export { Tagger, averageSavedCrf } from './tagger';
export { TweetTagger } from './tweet-tagger';
export { loadTagger, modelGazetteer, type LoadTaggerOptions } from './load';
export { servingEngineFromFiles, servingSupport, type ServingOptions, type ServingSupport } from './serving/serving-engine';
export { loadServingEngine, folderFiles } from './serving/load-serving';
export { loadTaggerPool, POOL_PIECE, type TaggerPool, type TaggerPoolOptions } from './serving/tagger-pool';
export { readModelJson, type ModelFiles } from './run-folder/model-files';
export { openRunFolder, configProblems, readRunJson, RUN_FOLDER_FORMAT, type RunConfig, type RunFolder, type SavedCrf } from './run-folder/format';
export { createRunFolder, checkCreatable, type PendingRunFolder } from './run-folder/create';
export { resolveModel, DEFAULT_MODEL_PACKAGE, type ModelSource } from './run-folder/resolve-model';
export { ARCHS, type Arch } from './models/arch';
export { labelsFromData, wnut16Labels, WNUT16_TYPES } from './models/labels';
export { casingFeatures, CASING_FEATURES } from './features/casing';
export { buildCharIndex, charIds, charLookup, CHAR_PAD, CHAR_UNK, type CharIndex } from './features/chars';
export {
  buildGazetteer, gazetteerFeatures, gazetteerWidth, normaliseGazToken, GAZETTEER_SCHEMES, MAX_PHRASE_TOKENS,
  type Gazetteer, type GazetteerScheme,
} from './features/gazetteer';
export { findLexicon, loadLexicon } from './data/lexicon';
export {
  locateDataset, lexiconSpec, wnut16Spec, wnut16BaseUrl, defaultCacheRoot, sharedCandidates, sha256Hex, LEXICON_FILES,
  type DatasetSpec, type DataSource, type LocatedDataset, type LocateOptions, type RemoteFile,
} from './data/locate';
export { formatPredictionsConll, parseConll, readConllFile, type Sentence } from './data/sentences';
export { loadSplits, type SplitOptions, type Splits } from './data/splits';
export { seededRandom } from './random';
export { ARCH_DEFAULTS, type ArchDefaults } from './train/arch-defaults';
export { DEFAULT_TRAIN_OPTIONS, resolveTrainOptions, type ResolvedTrainOptions, type TrainTaggerOptions } from './train/options';
export type { BackendName } from './backend-name';
export { checkIob2 } from './data/check-iob2';
