export { getEntities, splitChunkTag, endOfChunk, startOfChunk } from './entities';
export type { EntityTuple, EntitiesOptions, ChunkTag } from './entities';
export { sentenceSpans } from './spans';
export type { SentenceSpan } from './spans';
export { accuracyScore, performanceMeasure } from './accuracy';
export type { PerformanceMeasure } from './accuracy';
export { precisionScore, recallScore, f1Score, precisionRecallFscoreSupport } from './prf';
export type { PrfOptions, AveragedScores, PerTypeScores } from './prf';
export { classificationReport, formatReport } from './report';
export type { ReportRow, ReportDict, ReportOptions } from './report';
export { conlleval } from './conlleval';
export type { ConllevalResult, ConllevalTypeScores } from './conlleval';
export { partialMatch } from './partial-match';
export type {
  PartialMatchCounts,
  PartialMatchResult,
  PartialMatchSchema,
  PartialMatchScores,
} from './partial-match';
export { tokenReport } from './token-level';
export type { TokenReportOptions } from './token-level';
export { formatFixed } from './python-format';
export { STRICT_SCHEMES } from './options';
export type { Average, EntityOptions, Mode, ScoreOptions, StrictScheme, ZeroDivision } from './options';
export type { Sequences } from './validate';
export {
  MetricsError,
  InconsistentLengthError,
  InvalidInputError,
  InvalidOptionError,
  InvalidSchemeTagError,
  MalformedTagError,
  MissingSchemeError,
  EmptyInputError,
  UnknownOptionError,
} from './errors';
