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
export type { ConllPlace, ConllParseErrorCode } from './errors';
export { ConllParseError, InvalidTagError, SchemeDetectionError, VocabularyError } from './errors';
export { ConllWriteError } from './errors';
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
export type { ConllWriteOptions } from './write';
export { writeConll, writeConlleval } from './write';
