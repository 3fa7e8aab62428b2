export type { TaggingScheme } from './schemes';
export { schemePrefixes, isTaggingScheme, TAGGING_SCHEMES } from './schemes';
export type { ParsedTag, TagFormat } from './tag';
export { parseTag, formatTag } from './tag';
export type { EntitySpan } from './spans';
export { getSpans } from './spans';
export { convertScheme, encodeSpans } from './convert';
export { detectScheme } from './detect';
export type { TagRepair } from './repair';
export { repairIob2 } from './repair';
export type { ConllPlace, ConllParseErrorCode, ConllWriteErrorCode, ConllUsageErrorCode } from './errors';
export { ConllParseError, InvalidTagError, SchemeDetectionError, VocabularyError } from './errors';
export { ConllWriteError, ConllUsageError } from './errors';
export type {
  ConllToken,
  ConllSentence,
  ConllDocument,
  ConllFormat,
  ConllCorpus,
  ConllItem,
  ConllRepair,
  ConllReadOptions,
} from './types';
export type { ConllSource } from './read';
export { readConllString, readConll, readConllItems, readConllCorpus, corpusSentences } from './read';
export { findInvalidUtf8 } from './utf8';
export type { ConllWriteOptions } from './write';
export { writeConll, writeConlleval } from './write';
export type { DatasetStats, LengthSummary, OovRate } from './stats';
export { datasetStats, oovRate } from './stats';
export { formatStats } from './format-stats';
export type { VocabularyOptions, VocabularyJson } from './vocabulary';
export { TokenVocabulary, PAD_INDEX, OOV_INDEX } from './vocabulary';
export type { LabelIndex } from './label-index';
export { labelIndex, collectLabels, encodeLabels, decodeLabels } from './label-index';
export type { PadOptions, Padded } from './padding';
export { padSequences, batchSequences } from './padding';
