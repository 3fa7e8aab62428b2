import { checkOptions, isBoolean } from './options';
import { describeValue } from './quote';
import { ConllUsageError, VocabularyError } from './errors';

const isNumber = (value: unknown): string | undefined => (typeof value === 'number' ? undefined : 'a number');

export const PAD_INDEX = 0;
export const OOV_INDEX = 1;

export interface VocabularyOptions {
  /** Lowercase texts before counting and lookup (default true, as Keras's Tokenizer). */
  lowercase?: boolean;
  /** Keep texts seen at least this many times (default 1). */
  minFrequency?: number;
  /** Keep at most this many texts, most frequent first (default all). */
  maxSize?: number;
}

/** Serialised form written by {@link TokenVocabulary.toJSON}. */
export interface VocabularyJson {
  lowercase: boolean;
  /** Index -> text; index 0 is `<pad>`, index 1 is `<oov>`. */
  tokens: string[];
}

/**
 * Token texts <-> indices: 0 pads, 1 stands for any text not in the vocabulary, known texts
 * follow by descending frequency (ties keep first-seen order).
 */
export class TokenVocabulary {
  readonly lowercase: boolean;
  readonly tokens: readonly string[];
  private readonly indices: Map<string, number>;

  private constructor(tokens: readonly string[], lowercase: boolean) {
    this.tokens = tokens;
    this.lowercase = lowercase;
    this.indices = new Map(tokens.map((t, i) => [t, i]));
  }

  /** Builds a vocabulary from token texts (e.g. `sentences.map(s => s.tokens.map(t => t.text))`). */
  static build(texts: Iterable<readonly string[]>, options: VocabularyOptions = {}): TokenVocabulary {
    checkOptions(options, { lowercase: isBoolean, minFrequency: isNumber, maxSize: isNumber }, 'TokenVocabulary.build');
    if (texts === null || typeof texts !== 'object' || typeof (texts as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
      throw new ConllUsageError('INVALID_ARGUMENT', 'texts', `TokenVocabulary.build: texts must be an iterable of token-text arrays (string[][]), received ${describeValue(texts)}`);
    }
    const lowercase = options.lowercase ?? true;
    const minFrequency = options.minFrequency ?? 1;
    if (!(minFrequency >= 1) || (options.maxSize !== undefined && !(options.maxSize >= 0))) {
      throw new VocabularyError('BAD_OPTION', `expected minFrequency >= 1 and maxSize >= 0, received ${minFrequency} and ${options.maxSize}`);
    }
    const counts = new Map<string, number>();
    for (const sentence of texts) {
      for (const text of sentence) {
        if (typeof text !== 'string') throw new ConllUsageError('INVALID_ARGUMENT', 'texts', `TokenVocabulary.build: every token text must be a string, received ${describeValue(text)}`);
        const key = lowercase ? text.toLowerCase() : text;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    // Array.prototype.sort is stable, so equal counts keep first-seen order.
    const kept = [...counts].filter(([, n]) => n >= minFrequency).sort((a, b) => b[1] - a[1]).map(([t]) => t);
    return new TokenVocabulary(['<pad>', '<oov>', ...kept.slice(0, options.maxSize ?? kept.length)], lowercase);
  }

  static fromJSON(json: unknown): TokenVocabulary {
    const value = json as Partial<VocabularyJson> | null;
    const ok = value !== null && typeof value === 'object' && typeof value.lowercase === 'boolean' && Array.isArray(value.tokens)
      && value.tokens.length >= 2 && value.tokens.every((t) => typeof t === 'string') && new Set(value.tokens).size === value.tokens.length;
    if (!ok) {
      throw new VocabularyError('BAD_VOCABULARY_JSON', `expected { lowercase: boolean, tokens: string[] } with distinct tokens, <pad> and <oov> first; received ${JSON.stringify(json)?.slice(0, 80)}`);
    }
    return new TokenVocabulary(value.tokens!, value.lowercase!);
  }

  get size(): number {
    return this.tokens.length;
  }

  indexOf(text: string): number {
    return this.indices.get(this.lowercase ? text.toLowerCase() : text) ?? OOV_INDEX;
  }

  encode(texts: readonly string[]): number[] {
    return texts.map((text) => this.indexOf(text));
  }

  decode(ids: readonly number[]): string[] {
    return ids.map((id) => this.tokens[id] ?? '<oov>');
  }

  toJSON(): VocabularyJson {
    return { lowercase: this.lowercase, tokens: [...this.tokens] };
  }
}
