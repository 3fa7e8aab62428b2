import * as tf from '@tensorflow/tfjs';
import { buildEmbeddingMatrix, loadVectors, lookupKeys } from '@twner/embeddings-glove';
import type { TokenVocabulary } from '@twner/conll';
import { TaggerError, EXIT_USAGE } from '../errors';

/**
 * GloVe (Twitter) vectors for the training vocabulary, with the tweet normalisation on
 * (`<user>`, `<url>`, hashtag bodies, …); prints hits and misses like the notebook.
 */
export async function loadGloveMatrix(
  path: string,
  vocab: TokenVocabulary,
  dim: number,
  seed: number,
  log: (line: string) => void,
): Promise<{ matrix: tf.Tensor2D; dim: number; found: Uint8Array }> {
  const t0 = performance.now();
  let vectors;
  try {
    vectors = await loadVectors(path, { vocabulary: lookupKeys(vocab.tokens), dim });
  } catch (error) {
    throw new TaggerError(`cannot load GloVe vectors from ${path}: ${(error as Error).message}`, EXIT_USAGE, { cause: error });
  }
  const built = buildEmbeddingMatrix(vocab, vectors, { seed });
  log(
    `Embeddings: GloVe ${path}, ${built.dim} dims — hits ${built.hits}, misses ${built.misses} ` +
      `(coverage ${(100 * built.coverage.byType).toFixed(1)}% of the vocabulary), ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  if (built.missedWords.length > 0) log(`  missed e.g.: ${built.missedWords.slice(0, 12).join(' ')}`);
  return { matrix: tf.tensor2d(built.matrix, [vocab.size, built.dim]), dim: built.dim, found: built.found };
}
