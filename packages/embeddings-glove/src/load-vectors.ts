import { checkOptionKeys } from './check-options';
import { cacheLocation, hashVocabulary, readCache, writeCache, type CacheLocation } from './cache';
import { EmbeddingsError, VectorFormatError, VectorOptionsError, VectorSourceError } from './errors';
import { VectorLineParser, type VectorFormat } from './line-parser';
import { openSource, type VectorSource } from './sources';
import { WordVectors, type LoadReport } from './word-vectors';

export interface LoadProgress {
  /** Raw bytes read from the source so far (compressed bytes for .gz / .zip). */
  bytesRead: number;
  /** Raw bytes in total, when known (file size, zip member's compressed size, or `totalBytes`). */
  totalBytes?: number;
}

export interface LoadVectorsOptions {
  /** Keep only these words (exact match); memory stays proportional to the vocabulary, not the file. */
  vocabulary?: Iterable<string>;
  /** Default: detected (a first line `<count> <dim>` means word2vec, otherwise GloVe). */
  format?: VectorFormat;
  /** Expected dimension; also chooses the `…<dim>d.txt` member of a zip archive. */
  dim?: number;
  /** Zip member to read (exact name or base name). */
  member?: string;
  /** Count malformed lines in `report` instead of throwing at the first. Default false. */
  lenient?: boolean;
  /** How many malformed lines to keep in `report.malformedExamples`. Default 5. */
  maxMalformedExamples?: number;
  /** Called after every chunk (about 1 MiB) and once at the end. */
  onProgress?: (progress: LoadProgress) => void;
  /** Directory for the binary cache (path sources only); no caching when absent. */
  cacheDir?: string;
  /** Size of a stream source, for progress. */
  totalBytes?: number;
}

const GROWTH_START = 1 << 16;
const OPTION_KEYS = ['vocabulary', 'format', 'dim', 'member', 'lenient', 'maxMalformedExamples', 'onProgress', 'cacheDir', 'totalBytes'];

/** Rows to allocate up front for an unfiltered GloVe load: file size over the first line's size, plus 5%. */
function estimateRows(textBytes: number | undefined, lineBytes: number | undefined): number {
  if (textBytes === undefined || lineBytes === undefined) return GROWTH_START;
  return Math.max(16, Math.ceil((textBytes / lineBytes) * 1.05));
}

/**
 * Loads GloVe or word2vec text vectors from a path (plain, `.gz`, `.zip` member) or a byte stream.
 *
 * @example
 * const vectors = await loadVectors('glove.twitter.27B.zip', { dim: 200, vocabulary: words, cacheDir: '.cache' });
 * vectors.get('the'); // Float32Array(200)
 */
export async function loadVectors(source: VectorSource, options: LoadVectorsOptions = {}): Promise<WordVectors> {
  checkOptionKeys('loadVectors', options, OPTION_KEYS);
  const { format, dim, member, lenient = false, maxMalformedExamples = 5, onProgress, cacheDir } = options;
  if (dim !== undefined && (!Number.isInteger(dim) || dim <= 0)) {
    throw new VectorOptionsError(`loadVectors: dim must be a positive integer, received ${dim}`);
  }
  const vocabulary = options.vocabulary === undefined ? undefined : new Set(options.vocabulary);
  const opened = await openSource(source, { member, dim }, options.totalBytes);

  let location: CacheLocation | undefined;
  let cacheStatus: LoadReport['cache'] = 'off';
  if (cacheDir !== undefined && opened.identity !== undefined) {
    location = cacheLocation(cacheDir, {
      ...opened.identity,
      member: opened.member,
      format: format ?? 'auto',
      dim,
      lenient,
      vocabularyHash: hashVocabulary(vocabulary),
    });
    const cached = await readCache(location, opened.name);
    if (cached.status === 'hit') {
      onProgress?.({ bytesRead: opened.totalBytes ?? 0, totalBytes: opened.totalBytes });
      return cached.vectors;
    }
    cacheStatus = cached.status;
  }

  const words: string[] = [];
  const index = new Map<string, number>();
  let data = new Float32Array(0);
  let capacity = 0;
  let vectorDim = dim ?? 0;
  let filteredOut = 0;
  let duplicates = 0;
  let malformed = 0;
  const malformedExamples: VectorFormatError[] = [];

  const parser = new VectorLineParser({
    file: opened.name,
    format: format ?? 'auto',
    dim,
    lenient,
    onHeader: (d, _format, declared) => {
      vectorDim = d;
      capacity = vocabulary !== undefined ? vocabulary.size : (declared ?? estimateRows(opened.textBytes, parser.firstVectorLineBytes));
      data = new Float32Array(capacity * d);
    },
    onRow: (word, row) => {
      if (vocabulary !== undefined && !vocabulary.has(word)) {
        filteredOut++;
        return;
      }
      if (index.has(word)) {
        duplicates++;
        return;
      }
      const n = words.length;
      if (n === capacity) {
        capacity = Math.max(GROWTH_START, capacity * 2);
        const grown = new Float32Array(capacity * vectorDim);
        grown.set(data);
        data = grown;
      }
      data.set(row, n * vectorDim);
      index.set(word, n);
      words.push(word);
    },
    onMalformed: (error) => {
      malformed++;
      if (malformedExamples.length < maxMalformedExamples) malformedExamples.push(error);
    },
  });

  try {
    for await (const chunk of opened.chunks) {
      parser.push(chunk);
      onProgress?.({ bytesRead: opened.bytesRead(), totalBytes: opened.totalBytes });
    }
    parser.end();
  } catch (err) {
    if (err instanceof EmbeddingsError) throw err;
    // zlib / fs errors: name the source and the line reached.
    throw new VectorSourceError(
      `Cannot read ${opened.name} after ${opened.bytesRead()} bytes (line ${parser.lines}): ${(err as Error).message}`,
      opened.name,
      { cause: err },
    );
  }
  onProgress?.({ bytesRead: opened.bytesRead(), totalBytes: opened.totalBytes });

  if (parser.dim === undefined) {
    throw new VectorFormatError(
      'No vectors found',
      { file: opened.name, line: parser.lines },
      'at least one line "<word> <number> <number> …"',
      malformed > 0 ? `${malformed} malformed lines` : 'an empty file',
    );
  }
  const used = words.length * vectorDim;
  const report: LoadReport = {
    source: opened.name,
    member: opened.member,
    format: parser.detectedFormat ?? 'glove',
    lines: parser.lines,
    vectorLines: parser.rowCount,
    kept: words.length,
    filteredOut,
    duplicates,
    malformed,
    malformedExamples,
    bytesRead: opened.bytesRead(),
    cache: cacheStatus,
    cacheFile: location?.file,
  };
  if (opened.member === undefined) delete report.member;
  if (location === undefined) delete report.cacheFile;
  // Trim unused capacity; a small tail (≤ 1/8) is kept as a view rather than copied.
  const trimmed = data.length === used ? data : data.length - used <= data.length / 8 ? data.subarray(0, used) : data.slice(0, used);
  const vectors = new WordVectors(words, trimmed, vectorDim, report, index);
  if (location !== undefined) await writeCache(location, vectors);
  return vectors;
}
