export { loadVectors, type LoadVectorsOptions, type LoadProgress } from './load-vectors';
export { WordVectors, type LoadReport } from './word-vectors';
export type { VectorFormat } from './line-parser';
export { chooseMember, type VectorSource, type MemberChoice } from './sources';
export {
  buildEmbeddingMatrix,
  lookupKeys,
  type BuildEmbeddingMatrixOptions,
  type EmbeddingMatrix,
  type LookupStep,
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
  DownloadError,
  type EmbeddingsErrorCode,
} from './errors';
