import * as tf from '@tensorflow/tfjs';
import { ValueError } from './errors';
import { expectShape } from './validate';

/**
 * Row lookup `table[ids]` whose gradient is a dense scatter-add written in TypeScript, so that
 * training an embedding needs no `UnsortedSegmentSum` kernel (missing on the wasm backend).
 *
 * @param table // [V, E]
 * @param ids // [B, T] (any shape), integer ids in [0, V)
 * @returns // [...ids.shape, E]
 */
export function embeddingLookup(table: tf.Tensor, ids: tf.Tensor): tf.Tensor {
  const op = 'embeddingLookup';
  expectShape(op, 'table', table, [null, null], '[V, E]');
  const [V, E] = table.shape;
  const idsInt = ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32');
  const idData = idsInt.dataSync() as Int32Array;
  for (let i = 0; i < idData.length; i++) {
    if (idData[i] < 0 || idData[i] >= V) {
      if (idsInt !== ids) idsInt.dispose();
      throw new ValueError(op, 'ids', `must lie in [0, ${V}), got ${idData[i]} at flat index ${i}`);
    }
  }
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [tbl, idx] = args as tf.Tensor[];
    const flat = tf.reshape(idx, [-1]); // [N]
    const rows = tf.gather(tbl, flat); // [N, E]
    const value = tf.reshape(rows, [...idx.shape, E]);
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const dyData = dy.dataSync() as Float32Array; // [N, E]
      const dTable = new Float32Array(V * E); // [V, E]
      for (let n = 0; n < idData.length; n++) {
        const src = n * E;
        const dst = idData[n] * E;
        for (let e = 0; e < E; e++) dTable[dst + e] += dyData[src + e];
      }
      return [tf.tensor2d(dTable, [V, E]), tf.zeros(idx.shape, 'int32')];
    };
    return { value, gradFunc };
  });
  const result = run(table, idsInt);
  if (idsInt !== ids) idsInt.dispose();
  return result;
}
