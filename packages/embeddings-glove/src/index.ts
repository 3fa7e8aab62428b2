export { loadVectors, type LoadVectorsOptions, type LoadProgress } from './load-vectors';
export {
  loadWinkVectors,
  winkVectorsPath,
  defaultVectorCacheDir,
  WINK_PACKAGE,
  type LoadWinkVectorsOptions,
  type WinkVectorsPathOptions,
} from './wink-vectors';
export { WinkJsonParser, type WinkHeader, type WinkParserOptions } from './wink-parser';
export { normaliseForGlove6B, type Glove6BNormaliseOptions, type Glove6BRule, type Glove6BToken } from './normalise-glove6b';
export { WordVectors, type LoadReport } from './word-vectors';
export type { VectorFormat } from './line-parser';
export { chooseMember, type VectorSource, type MemberChoice } from './sources';
export {
  buildEmbeddingMatrix,
  lookupKeys,
  type BuildEmbeddingMatrixOptions,
  type EmbeddingMatrix,
  type LookupStep,
  type Normaliser,
  type TokenCounts,
  type VocabularyLike,
} from './embedding-matrix';
export { normaliseTweetToken, type NormalisedToken, type TweetTokenRule } from './normalise-tweet';
export { nearestNeighbours, type Neighbour } from './neighbours';
export {
  downloadGlove,
  GLOVE_ARCHIVES,
  type DownloadGloveOptions,
  type DownloadProgress,
  type GloveArchiveName,
} from './download';
export {
  EmbeddingsError,
  VectorFormatError,
  VectorSourceError,
  VectorOptionsError,
  VectorPackageMissingError,
  DownloadError,
  type EmbeddingsErrorCode,
} from './errors';
