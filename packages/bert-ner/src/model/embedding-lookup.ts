import * as tf from '@tensorflow/tfjs';

/**
 * Rows of an embedding table, `table[ids]`, with a scatter-add gradient. tfjs' own `gather`
 * gradient (unsortedSegmentSum) loops once per vocabulary row on the cpu backend, which is
 * unusable for a 30k vocabulary; `scatterND` sums the rows of repeated ids in one pass.
 * @param table [V, H]
 * @param ids [...] int32
 * @returns [..., H]
 */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  const lookup = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [weights, indices, save] = args as [tf.Tensor2D, tf.Tensor, tf.GradSaveFunc];
    save([indices]);
    return {
      value: tf.gather(weights, indices),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [vocab, hidden] = weights.shape;
        // [N, 1] row ids and [N, H] their gradients; duplicate ids are summed
        const flatIds = tf.reshape(saved[0], [-1, 1]);
        const flatGrads = tf.reshape(dy, [-1, hidden]);
        return [tf.scatterND(flatIds, flatGrads, [vocab, hidden]), tf.zerosLike(saved[0])];
      },
    };
  });
  return lookup(table, ids);
}
