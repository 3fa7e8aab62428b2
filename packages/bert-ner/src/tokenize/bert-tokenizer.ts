/**
 * A BERT (WordPiece) tokenizer over Hugging Face's `tokenizers` binding, loaded from a
 * `tokenizer.json`. It encodes pre-split words with `is_split_into_words` semantics and raw
 * text with character offsets, pads to the batch's longest and applies one documented
 * truncation policy. Special tokens come from the tokenizer files, never from fixed ids.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bindingFromString, type BindingEncoding, type BindingTokenizer } from './binding';
import { checkTexts, checkWords } from './check-texts';
import { codePointToUtf16Table } from './code-points';
import { InvalidOptionError, TokenizerLoadError } from './errors';
import { assembleBatch } from './pad-batch';
import { readSequenceTemplate, type Piece, type SequenceTemplate } from './sequence-template';
import { truncatePieces } from './truncate';
import type {
  EncodeOptions,
  SpecialToken,
  TextEncodedBatch,
  TruncationPolicy,
  WordEncodedBatch,
} from './types';

/** Fields of `tokenizer_config.json` that this class reads; others are kept for `save`. */
export interface TokenizerConfig {
  pad_token?: string | { content: string };
  unk_token?: string | { content: string };
  cls_token?: string | { content: string };
  sep_token?: string | { content: string };
  mask_token?: string | { content: string };
  model_max_length?: number;
  do_lower_case?: boolean;
  tokenizer_class?: string;
  [key: string]: unknown;
}

export interface TokenizerFromFileOptions {
  /** Contents of `tokenizer_config.json` (pad token, `model_max_length`). */
  config?: TokenizerConfig;
}

/** Hugging Face writes `model_max_length` ≈ 1e30 when there is no limit. */
const NO_LIMIT = 1e9;
const TRUNCATION_POLICIES: readonly TruncationPolicy[] = ['error', 'tokens', 'words'];

interface TokenizerJson {
  model?: { type?: string; unk_token?: string; continuing_subword_prefix?: string | null };
  padding?: { pad_token?: string; pad_id?: number } | null;
  truncation?: { max_length?: number } | null;
  added_tokens?: Array<{ id: number; content: string; special?: boolean }>;
}

function tokenName(value: string | { content: string } | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.content;
}

export class BertTokenizer {
  /** Pad token used for padding (from `tokenizer_config.json`, `tokenizer.json`'s padding, or `[PAD]`). */
  readonly padToken: SpecialToken;
  /** Unknown token of the model, if it has one. */
  readonly unkToken: SpecialToken | undefined;
  /** Prefix of continuation pieces (`##` for WordPiece), `null` when the model has none. */
  readonly continuingSubwordPrefix: string | null;
  /** Default `maxLength` (special tokens included); `undefined` when the files set no real limit. */
  readonly modelMaxLength: number | undefined;
  /** Vocabulary size, added tokens included. */
  readonly vocabSize: number;
  /** Contents of `tokenizer_config.json`, or `{}` when none was given. */
  readonly config: TokenizerConfig;

  private readonly binding: BindingTokenizer;
  private readonly json: string;
  private template: SequenceTemplate | undefined;

  private constructor(json: string, config: TokenizerConfig, file: string) {
    let parsed: TokenizerJson;
    try {
      parsed = JSON.parse(json) as TokenizerJson;
      this.binding = bindingFromString(json);
    } catch (cause) {
      throw new TokenizerLoadError(`${file} is not a tokenizer.json the tokenizers library can read`, { file, cause });
    }
    this.json = json;
    this.config = config;
    this.vocabSize = this.binding.getVocabSize(true);
    this.continuingSubwordPrefix = parsed.model?.continuing_subword_prefix ?? null;

    const unk = tokenName(config.unk_token) ?? parsed.model?.unk_token;
    const unkId = unk === undefined ? null : this.binding.tokenToId(unk);
    this.unkToken = unk !== undefined && unkId !== null ? { token: unk, id: unkId } : undefined;

    const padCandidates = [tokenName(config.pad_token), parsed.padding?.pad_token, '[PAD]'];
    const pad = padCandidates.find((t): t is string => t !== undefined && this.binding.tokenToId(t) !== null);
    if (pad === undefined) {
      throw new TokenizerLoadError(
        `${file}: no pad token: expected tokenizer_config.json's pad_token, tokenizer.json's padding.pad_token ` +
          `or "[PAD]" in the vocabulary, got none of ${JSON.stringify(padCandidates.filter(Boolean))}`,
        { file },
      );
    }
    this.padToken = { token: pad, id: this.binding.tokenToId(pad) ?? 0 };

    const limit = config.model_max_length ?? parsed.truncation?.max_length;
    this.modelMaxLength = limit !== undefined && limit > 0 && limit < NO_LIMIT ? limit : undefined;
  }

  /**
   * Loads a `tokenizer.json` file.
   * @example
   * const tokenizer = BertTokenizer.fromFile('model/tokenizer.json');
   */
  static fromFile(file: string, options: TokenizerFromFileOptions = {}): BertTokenizer {
    let json: string;
    try {
      json = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new TokenizerLoadError(`Cannot read tokenizer file ${file}`, { file, cause });
    }
    return new BertTokenizer(json, options.config ?? {}, file);
  }

  /** Builds a tokenizer from the text of a `tokenizer.json`. */
  static fromString(json: string, options: TokenizerFromFileOptions = {}): BertTokenizer {
    return new BertTokenizer(json, options.config ?? {}, '<string>');
  }

  /**
   * Loads `tokenizer.json` and, when present, `tokenizer_config.json` from a model directory
   * (what Python's `save_pretrained` writes).
   */
  static fromPretrained(dir: string): BertTokenizer {
    const file = path.join(dir, 'tokenizer.json');
    if (!existsSync(file)) {
      throw new TokenizerLoadError(
        `${dir} has no tokenizer.json (only fast-tokenizer files are supported; vocab.txt alone is not)`,
        { file },
      );
    }
    const configFile = path.join(dir, 'tokenizer_config.json');
    let config: TokenizerConfig = {};
    if (existsSync(configFile)) {
      try {
        config = JSON.parse(readFileSync(configFile, 'utf8')) as TokenizerConfig;
      } catch (cause) {
        throw new TokenizerLoadError(`${configFile} is not valid JSON`, { file: configFile, cause });
      }
    }
    return BertTokenizer.fromFile(file, { config });
  }

  /**
   * Writes `tokenizer.json` (byte for byte as loaded) and `tokenizer_config.json` into `dir`,
   * so that Python's `AutoTokenizer.from_pretrained(dir)` reads them.
   */
  save(dir: string): void {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'tokenizer.json'), this.json);
    const config: TokenizerConfig =
      Object.keys(this.config).length > 0
        ? this.config
        : {
            tokenizer_class: 'BertTokenizer',
            pad_token: this.padToken.token,
            ...(this.unkToken ? { unk_token: this.unkToken.token } : {}),
          };
    writeFileSync(path.join(dir, 'tokenizer_config.json'), `${JSON.stringify(config, null, 2)}\n`);
  }

  /** The token string of an id (`null` when out of range). */
  idToToken(id: number): string | null {
    return this.binding.idToToken(id);
  }

  /** The id of a token string (`null` when not in the vocabulary). */
  tokenToId(token: string): number | null {
    return this.binding.tokenToId(token);
  }

  /**
   * Joins tokens into text with the tokenizer's decoder (`convert_tokens_to_string`):
   * WordPiece glues `##` pieces to the previous token and cleans spaces before punctuation.
   * @example
   * tokenizer.convertTokensToString(['or', '##le', '##ans']); // 'orleans'
   */
  convertTokensToString(tokens: string[]): string {
    const decoder = this.binding.getDecoder();
    return decoder ? decoder.decode(tokens) : tokens.join(' ');
  }

  /** Special tokens the post-processor adds around one sequence (e.g. `[CLS]` … `[SEP]`). */
  async sequenceTemplate(): Promise<SequenceTemplate> {
    this.template ??= await readSequenceTemplate(this.binding, this.unkToken?.token ?? 'a');
    return this.template;
  }

  /** Number of special tokens added to a single sequence (2 for BERT). */
  async numSpecialTokens(): Promise<number> {
    const t = await this.sequenceTemplate();
    return t.prefix.length + t.suffix.length;
  }

  /**
   * Encodes pre-split words, like Python's `tokenizer(words, is_split_into_words=True)`: each
   * word is normalized, pre-tokenized and split into pieces on its own, so `wordIds` index the
   * caller's words (`'s` stays one word: `'`, `s`). An empty word has no pieces.
   * @param sentences [B][words]
   * @example
   * const batch = await tokenizer.encodeWords([['New', 'Orleans']]);
   * batch.tokens;  // [['[CLS]', 'new', 'or', '##le', '##ans', '[SEP]']]
   * batch.wordIds; // [[null, 0, 1, 1, 1, null]]
   */
  async encodeWords(sentences: string[][], options: EncodeOptions = {}): Promise<WordEncodedBatch> {
    checkWords(sentences, 'encodeWords');
    const { maxLength, policy, padding } = this.resolveOptions(options, 'encodeWords');
    const template = await this.sequenceTemplate();
    const specials = template.prefix.length + template.suffix.length;
    // One binding call for every word of the batch; the binding encodes each string alone.
    const flat = sentences.flat();
    const encoded: BindingEncoding[] = flat.length > 0 ? await this.binding.encodeBatch(flat, { addSpecialTokens: false }) : [];
    let k = 0;
    const sequences = sentences.map((words, index) => {
      const pieces: Piece[] = [];
      words.forEach((word, wordId) => {
        const enc = encoded[k++];
        const table = codePointToUtf16Table(word);
        const ids = enc.getIds();
        const tokens = enc.getTokens();
        const offsets = enc.getOffsets();
        ids.forEach((id, i) => {
          pieces.push({
            id,
            token: tokens[i],
            typeId: template.typeId,
            wordId,
            offset: [table[offsets[i][0]], table[offsets[i][1]]],
            special: false,
          });
        });
      });
      return truncatePieces(pieces, index, specials, maxLength, policy);
    });
    const batch = assembleBatch(sequences, template, this.padToken, padding);
    return {
      ...batch,
      numWords: sentences.map((s) => s.length),
      numWordsKept: sequences.map(({ pieces }) => new Set(pieces.map((p) => p.wordId)).size),
    };
  }

  /**
   * Encodes raw text with character offsets, like Python's `tokenizer(text,
   * return_offsets_mapping=True)`. `wordIds` are the pre-tokenizer's words (Hugging Face's
   * `word_ids()`); `whitespaceWordIds` are the text's space-separated words.
   * @example
   * const batch = await tokenizer.encodeText('New Orleans');
   * batch.offsets; // [[[0, 0], [0, 3], [4, 6], [6, 8], [8, 11], [0, 0]]]
   */
  async encodeText(texts: string | string[], options: EncodeOptions = {}): Promise<TextEncodedBatch> {
    checkTexts(texts, 'encodeText');
    const list = typeof texts === 'string' ? [texts] : texts;
    const { maxLength, policy, padding } = this.resolveOptions(options, 'encodeText');
    const template = await this.sequenceTemplate();
    const specials = template.prefix.length + template.suffix.length;
    const encoded: BindingEncoding[] =
      list.length > 0 ? await this.binding.encodeBatch(list, { addSpecialTokens: false }) : [];
    const spaceWords: Array<Array<number | null>> = [];
    const sequences = list.map((text, index) => {
      const enc = encoded[index];
      const table = codePointToUtf16Table(text);
      const ids = enc.getIds();
      const tokens = enc.getTokens();
      const offsets = enc.getOffsets();
      const wordIds = enc.getWordIds();
      const pieces: Piece[] = ids.map((id, i) => ({
        id,
        token: tokens[i],
        typeId: template.typeId,
        wordId: wordIds[i] ?? null,
        offset: [table[offsets[i][0]], table[offsets[i][1]]],
        special: false,
      }));
      const cut = truncatePieces(pieces, index, specials, maxLength, policy);
      spaceWords.push(whitespaceWordIdsOf(text, cut.pieces));
      return cut;
    });
    const batch = assembleBatch(sequences, template, this.padToken, padding);
    const whitespaceWordIds = batch.inputIds.map((row, b) => {
      const own = spaceWords[b];
      const out: Array<number | null> = row.map(() => null);
      own.forEach((w, i) => {
        out[template.prefix.length + i] = w;
      });
      return out;
    });
    return { ...batch, texts: list, whitespaceWordIds };
  }

  private resolveOptions(
    options: EncodeOptions,
    where: string,
  ): { maxLength: number | undefined; policy: TruncationPolicy; padding: boolean } {
    const policy = options.truncation ?? 'error';
    if (!TRUNCATION_POLICIES.includes(policy)) {
      throw new InvalidOptionError('truncation', `one of ${TRUNCATION_POLICIES.join(', ')}`, JSON.stringify(policy), where);
    }
    const maxLength = options.maxLength === null ? undefined : (options.maxLength ?? this.modelMaxLength);
    if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < 1)) {
      throw new InvalidOptionError('maxLength', 'a positive integer', String(maxLength), where);
    }
    return { maxLength, policy, padding: options.padding ?? true };
  }
}

/** For each piece, the index of the whitespace-separated word of `text` its start falls in. */
function whitespaceWordIdsOf(text: string, pieces: Piece[]): Array<number | null> {
  const starts: number[] = [];
  const re = /\S+/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) starts.push(m.index);
  return pieces.map((p) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= p.offset[0]) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? null : found;
  });
}
