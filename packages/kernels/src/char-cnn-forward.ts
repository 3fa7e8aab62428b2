import { matMulBias } from './vector-kernels';

/**
 * A trained character CNN ({@link FusedCharCNN}'s weights) prepared for inference: for each
 * width w the char table times every window slot's kernel, `P[v, k·F + f]` = Σ_j
 * table[v, j] · kernel[k·d + j, f], so a window's pre-activation is a sum of w table rows.
 */
export interface CharCnnTables {
  /** Window widths, in output order. */
  widths: number[];
  /** Filters F per width. */
  filters: number;
  /** Character vocabulary size V. */
  vocabSize: number;
  /** Per width `[V, w·F]`. */
  tables: Float32Array[];
  /** Per width `[F]`. */
  biases: Float32Array[];
}

/**
 * @param embeddings // [V, d]
 * @param kernels // per width w: [w·d, F]
 * @param biases // per width: [F]
 */
export function charCnnTables(
  embeddings: Float32Array,
  vocabSize: number,
  dim: number,
  kernels: readonly Float32Array[],
  biases: readonly Float32Array[],
  widths: readonly number[],
  filters: number,
): CharCnnTables {
  const F = filters;
  const tables = widths.map((w, i) => {
    // Kernel [w·d, F] → slot-major columns [d, w·F]: column k·F + f of row j is kernel[k·d + j, f].
    const cols = new Float32Array(dim * w * F);
    for (let k = 0; k < w; k++) for (let j = 0; j < dim; j++) cols.set(kernels[i].subarray((k * dim + j) * F, (k * dim + j + 1) * F), j * w * F + k * F);
    return matMulBias(embeddings, vocabSize, dim, cols, w * F, null); // [V, w·F]
  });
  return { widths: [...widths], filters: F, vocabSize, tables, biases: biases.map((b) => Float32Array.from(b)) };
}

/**
 * Character CNN features of n tokens in plain TypeScript: per width a "same" convolution over
 * the C character positions (zero vectors outside them; id 0 is an ordinary row inside), bias,
 * relu, max over the positions — the numbers of {@link charCnn} / FusedCharCNN.
 *
 * @param ids // [n, C] char ids in [0, V), read from `idOffset`
 * @param out receives `[n, F·widths.length]` at `out[r·outStride + outOffset …]`, width blocks in order
 */
export function charCnnForward(
  cnn: CharCnnTables,
  ids: ArrayLike<number>,
  idOffset: number,
  n: number,
  C: number,
  out: Float32Array,
  outStride: number,
  outOffset: number,
): void {
  const F = cnn.filters;
  const row = new Float32Array(F);
  const best = new Float32Array(F);
  cnn.widths.forEach((w, i) => {
    const P = cnn.tables[i];
    const bias = cnn.biases[i];
    const wF = w * F;
    const half = Math.floor(w / 2);
    for (let r = 0; r < n; r++) {
      const base = idOffset + r * C;
      best.fill(-Infinity);
      for (let c = 0; c < C; c++) {
        row.set(bias);
        const k0 = Math.max(0, half - c);
        const k1 = Math.min(w, C + half - c);
        for (let k = k0; k < k1; k++) {
          const p = ids[base + c + k - half] * wF + k * F;
          for (let f = 0; f < F; f++) row[f] += P[p + f];
        }
        for (let f = 0; f < F; f++) if (row[f] > best[f]) best[f] = row[f];
      }
      const o = r * outStride + outOffset + i * F;
      for (let f = 0; f < F; f++) out[o + f] = best[f] > 0 ? best[f] : 0;
    }
  });
}
