import * as tf from '@tensorflow/tfjs';
import { formatShape, ShapeError, ValueError } from './errors';
import { expectShape } from './validate';

/**
 * A character CNN over the characters of each token as one op: embedding lookup, a
 * width-`w` "same" convolution over the characters (zero vectors outside the word's `C`
 * positions), bias, relu, then max over the `C` positions — for every width, concatenated in
 * order. The numbers are those of the tfjs-layers composition
 * `embedding → zeroPadding2d([[0, 0], [⌊w/2⌋, w-1-⌊w/2⌋]]) → w cropping2D shifts → concatenate
 * → dense(F, relu) → maxPooling2d over C → reshape`, whose dense kernel `[w·d, F]` this op
 * takes as is (row `k·d + j`: window slot k, embedding dimension j).
 *
 * How: the kernel of slot k is applied to every table row once (`P_k = table · W_k`, one
 * `[V, d] × [d, w·F]` matmul per width), so a window's pre-activation is the sum of `w`
 * gathered rows of `P` — `O(N·C·w·F)` additions instead of an `[N·C, w·d] × [w·d, F]` product.
 * The max-pool keeps its argmax; the backward pass scatters the pooled gradient into `dP`
 * (at most one position per token and filter), then `dW = tableᵀ · dP` and
 * `dTable = dP · Wᵀ` are two matmuls. `ids` get no gradient.
 *
 * @param ids // [N, C] integer char ids in [0, V) (id 0 is an ordinary, learnt row)
 * @param table // [V, d]
 * @param kernels // per width w: [w·d, F]
 * @param biases // per width: [F]
 * @param widths // window widths, e.g. [2, 3, 4]
 * @returns // [N, F · widths.length], width blocks in order
 */
export function charCnn(ids: tf.Tensor, table: tf.Tensor, kernels: readonly tf.Tensor[], biases: readonly tf.Tensor[], widths: readonly number[]): tf.Tensor2D {
  const op = 'charCnn';
  if (widths.length === 0) throw new ValueError(op, 'widths', 'must hold at least one width');
  for (const w of widths) {
    if (!Number.isInteger(w) || w <= 0) throw new ValueError(op, 'widths', `must hold positive integers, got ${w}`);
  }
  if (kernels.length !== widths.length) throw new ValueError(op, 'kernels', `must hold one kernel per width (${widths.length}), got ${kernels.length}`);
  if (biases.length !== widths.length) throw new ValueError(op, 'biases', `must hold one bias per width (${widths.length}), got ${biases.length}`);
  expectShape(op, 'ids', ids, [null, null], '[N, C]');
  expectShape(op, 'table', table, [null, null], '[V, d]');
  const [N, C] = ids.shape as [number, number];
  const [V, d] = table.shape as [number, number];
  if (C === 0) throw new ShapeError(op, 'ids', '[N, C] with C ≥ 1', formatShape(ids.shape));
  expectShape(op, 'kernels[0]', kernels[0], [widths[0] * d, null], `[${widths[0] * d}, F] (= [w·d, F])`);
  const F = kernels[0].shape[1] as number;
  widths.forEach((w, i) => {
    expectShape(op, `kernels[${i}]`, kernels[i], [w * d, F], `[${w * d}, ${F}] (= [w·d, F], w = ${w})`);
    expectShape(op, `biases[${i}]`, biases[i], [F], `[${F}] (= [F])`);
  });

  const idsInt = ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32');
  const idData = idsInt.dataSync() as Int32Array;
  if (idsInt !== ids) idsInt.dispose();
  for (let i = 0; i < idData.length; i++) {
    if (idData[i] < 0 || idData[i] >= V) throw new ValueError(op, 'ids', `must lie in [0, ${V}), got ${idData[i]} at flat index ${i}`);
  }

  const nW = widths.length;
  const outW = F * nW;
  // Kernel [w·d, F] → slot-major columns [d, w·F]: P = table · W' holds P_k[v, f] at [v, k·F + f].
  const slotColumns = (kernel: tf.Tensor, w: number): tf.Tensor2D =>
    tf.reshape(tf.transpose(tf.reshape(kernel, [w, d, F]), [1, 0, 2]), [d, w * F]);

  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const tbl = args[0] as tf.Tensor2D;
    const ks = args.slice(1, 1 + nW) as tf.Tensor[];
    const bs = args.slice(1 + nW, 1 + 2 * nW) as tf.Tensor[];
    const save = args[1 + 2 * nW] as tf.GradSaveFunc;
    save([tbl, ...ks]);
    const out = new Float32Array(N * outW); // [N, F·nW]
    const argmax: Int32Array[] = []; // per width [N, F]: position of the max, -1 where relu cut it
    const scratch = [new Float32Array(F), new Float32Array(F), new Float32Array(F)] as const;
    widths.forEach((w, i) => {
      const P = tf.tidy(() => tf.matMul(tbl, slotColumns(ks[i], w))).dataSync() as Float32Array; // [V, w·F]
      const bias = bs[i].dataSync() as Float32Array; // [F]
      const arg = new Int32Array(N * F);
      convolveMaxPool(idData, P, bias, N, C, w, F, out, outW, i * F, arg, ...scratch);
      argmax.push(arg);
    });
    const value = tf.tensor2d(out, [N, outW]);

    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const tblSaved = saved[0] as tf.Tensor2D;
      const dyData = dy.dataSync() as Float32Array; // [N, F·nW]
      const dKernels: tf.Tensor[] = [];
      const dBiases: tf.Tensor[] = [];
      const dTables: tf.Tensor[] = [];
      for (let i = 0; i < nW; i++) {
        const w = widths[i];
        const wF = w * F;
        const dP = new Float32Array(V * wF); // [V, w·F]
        const db = new Float32Array(F);
        scatterPooledGrad(idData, argmax[i], dyData, N, C, w, F, outW, i * F, dP, db);
        const [dK, dT] = tf.tidy(() => {
          const dPt = tf.tensor2d(dP, [V, wF]);
          const dWcols = tf.matMul(tblSaved, dPt, true, false); // [d, w·F]
          const dK = tf.reshape(tf.transpose(tf.reshape(dWcols, [d, w, F]), [1, 0, 2]), [w * d, F]);
          const dT = tf.matMul(dPt, slotColumns(saved[1 + i], w), false, true); // [V, d]
          return [dK, dT];
        });
        dKernels.push(dK);
        dBiases.push(tf.tensor1d(db));
        dTables.push(dT);
      }
      const dTable = dTables.length === 1 ? dTables[0] : tf.addN(dTables);
      if (dTables.length > 1) tf.dispose(dTables);
      return [dTable, ...dKernels, ...dBiases];
    };
    return { value, gradFunc };
  });
  return run(table, ...kernels, ...biases) as tf.Tensor2D;
}

/**
 * Pre-activations of every window (bias + Σ_k P_k[id at c+k-⌊w/2⌋]), relu and max over the C
 * positions of each token, into `out[n, off + f]`; `arg[n, f]` gets the first position of the
 * max, or -1 where the max is ≤ 0 (relu: no gradient). Windows that lie inside the word's C
 * positions and hold only id 0 (the padding after short words) share one precomputed row, taken
 * into the max once, at its first position: the later copies can never be strictly larger.
 */
function convolveMaxPool(
  ids: Int32Array, // [N, C]
  P: Float32Array, // [V, w·F]
  bias: Float32Array, // [F]
  N: number,
  C: number,
  w: number,
  F: number,
  out: Float32Array, // [N, outW]
  outW: number,
  off: number,
  arg: Int32Array, // [N, F]
  row: Float32Array, // scratch [F]
  best: Float32Array, // scratch [F]
  padRow: Float32Array, // scratch [F]
): void {
  const wF = w * F;
  const half = Math.floor(w / 2);
  padRow.set(bias);
  for (let k = 0; k < w; k++) for (let f = 0, p = k * F; f < F; f++) padRow[f] += P[p + f]; // window of w id-0 chars
  for (let n = 0; n < N; n++) {
    const idRow = n * C;
    const g = n * F;
    let padSeen = false;
    for (let c = 0; c < C; c++) {
      const k0 = Math.max(0, half - c);
      const k1 = Math.min(w, C + half - c);
      let h = row;
      let allPad = k0 === 0 && k1 === w;
      for (let k = 0; allPad && k < w; k++) allPad = ids[idRow + c + k - half] === 0;
      if (allPad) {
        if (padSeen) continue;
        padSeen = true;
        h = padRow;
      } else {
        row.set(bias);
        for (let k = k0; k < k1; k++) {
          const p = ids[idRow + c + k - half] * wF + k * F;
          for (let f = 0; f < F; f++) row[f] += P[p + f];
        }
      }
      if (c === 0) {
        best.set(h);
        arg.fill(0, g, g + F);
      } else {
        for (let f = 0; f < F; f++) {
          if (h[f] > best[f]) {
            best[f] = h[f];
            arg[g + f] = c;
          }
        }
      }
    }
    const o = n * outW + off;
    for (let f = 0; f < F; f++) {
      if (best[f] > 0) out[o + f] = best[f];
      else arg[g + f] = -1; // out stays 0
    }
  }
}

/** Scatters the pooled gradient `dy[n, off + f]` into `dP` `[V, w·F]` (window slots at the argmax) and `db` `[F]`. */
function scatterPooledGrad(
  ids: Int32Array, // [N, C]
  arg: Int32Array, // [N, F]
  dy: Float32Array, // [N, outW]
  N: number,
  C: number,
  w: number,
  F: number,
  outW: number,
  off: number,
  dP: Float32Array, // [V, w·F]
  db: Float32Array, // [F]
): void {
  const wF = w * F;
  const half = Math.floor(w / 2);
  for (let n = 0; n < N; n++) {
    const idRow = n * C;
    const o = n * outW + off;
    const g = n * F;
    for (let f = 0; f < F; f++) {
      const c = arg[g + f];
      const grad = dy[o + f];
      if (c < 0 || grad === 0) continue;
      db[f] += grad;
      const k0 = Math.max(0, half - c);
      const k1 = Math.min(w, C + half - c);
      for (let k = k0; k < k1; k++) dP[ids[idRow + c + k - half] * wF + k * F + f] += grad;
    }
  }
}
