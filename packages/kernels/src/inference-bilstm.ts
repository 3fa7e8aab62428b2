import { ShapeError, ValueError } from './errors';
import { checkRecurrentActivation, type RecurrentActivation } from './recurrent-activation';
import { WasmInference } from './inference-wasm';
import { InferenceWorker } from './inference-worker';
import { addVecMat, matMulBias } from './vector-kernels';
import { wasmKernelsAvailable } from './wasm-kernels';

/** Tweets per packed batch on the wasm kernels. */
const WASM_CHUNK = 256;

/** Activation of a dense layer in the inference path. */
export type DenseActivation = 'relu' | 'linear';

/** Layer sizes of an {@link InferenceBiLstm} (everything but the numbers). */
export interface InferenceBiLstmConfig {
  /** Vocabulary size V of the embedding. */
  vocabSize: number;
  /** Embedding size E. */
  embeddingDim: number;
  /** Units H of each bidirectional LSTM, bottom to top (e.g. `[50, 50]`). */
  lstmUnits: number[];
  /** Dense layers after the LSTMs, applied at each step (e.g. 25 relu, then 21 linear emissions). */
  dense: { units: number; activation: DenseActivation }[];
  /** Gate activation of the LSTMs. Default `'hardSigmoid'` (tfjs-layers' default). */
  recurrentActivation?: RecurrentActivation;
}

/** Options of an {@link InferenceBiLstm}. */
export interface InferenceBiLstmOptions {
  /**
   * Which kernels run the forward pass: `'wasm'` (WebAssembly SIMD, batched as a packed
   * sequence) or `'typescript'` (plain TypeScript, one tweet at a time). Default `'wasm'` where
   * WebAssembly SIMD is available, else `'typescript'`.
   */
  kernels?: 'wasm' | 'typescript';
  /**
   * Threads for `forwardBatch` on the wasm kernels: 1 (default) or 2 (a worker thread takes
   * every other tweet of a batch of 16 or more). The worker is unref'd; `dispose()` ends it.
   */
  threads?: 1 | 2;
}

interface LstmDir {
  kernel: Float32Array; // [D, 4H]
  recurrentKernel: Float32Array; // [H, 4H]
  bias: Float32Array; // [4H]
}

/**
 * Forward pass of Embedding(maskZero) → BiLSTM × n → Dense × m in plain TypeScript, no tfjs:
 * emissions for tagging. Built from the `Float32Array`s of a trained model's `getWeights()`
 * (order: embeddings; per BiLSTM forward kernel, recurrent kernel, bias, then backward; per
 * dense kernel, bias) — the order of both tfjs-layers' and this package's fused layers.
 *
 * Each tweet runs at its own length (no padding work); the first LSTM's input projection is
 * precomputed per vocabulary entry, so embedding + first projection is a row copy. Id 0 is
 * padding as with `maskZero`: the LSTM state carries over it.
 */
export class InferenceBiLstm {
  readonly config: Required<InferenceBiLstmConfig>;
  /** Output size K of the last dense layer (or 2H of the last LSTM). */
  readonly outputDim: number;
  private readonly lstms: { units: number; fwd: LstmDir; bwd: LstmDir }[];
  private readonly dense: { kernel: Float32Array; bias: Float32Array; units: number; activation: DenseActivation }[];
  /** First LSTM's `embedding · kernel + bias` for every id, forward then backward (TypeScript kernels only). // [V, 8H] */
  private readonly firstProjection: Float32Array;
  /** The WebAssembly engine, or null with `kernels: 'typescript'`. */
  private readonly wasm: WasmInference | null;
  /** The kernels in use. */
  readonly kernels: 'wasm' | 'typescript';
  private worker: InferenceWorker | null = null;

  constructor(weights: Float32Array[], config: InferenceBiLstmConfig, options: InferenceBiLstmOptions = {}) {
    const op = 'InferenceBiLstm';
    const kernels = options.kernels ?? (wasmKernelsAvailable() ? 'wasm' : 'typescript');
    if (kernels !== 'wasm' && kernels !== 'typescript') throw new ValueError(op, 'kernels', `must be 'wasm' or 'typescript', got '${String(kernels)}'`);
    if (kernels === 'wasm' && !wasmKernelsAvailable()) throw new ValueError(op, 'kernels', "'wasm' needs WebAssembly with SIMD, which this runtime lacks");
    this.kernels = kernels;
    this.config = { ...config, recurrentActivation: checkRecurrentActivation(op, config.recurrentActivation ?? 'hardSigmoid') };
    const expected = 1 + 6 * config.lstmUnits.length + 2 * config.dense.length;
    if (weights.length !== expected) {
      throw new ValueError(op, 'weights', `must hold ${expected} arrays (embeddings, 6 per BiLSTM, 2 per dense), got ${weights.length}`);
    }
    let next = 0;
    const take = (name: string, size: number): Float32Array => {
      const w = weights[next++];
      if (w.length !== size) throw new ShapeError(op, `weights[${next - 1}] (${name})`, `${size} values`, `${w.length}`);
      return w;
    };
    const V = config.vocabSize;
    const embeddings = take('embeddings [V, E]', V * config.embeddingDim);
    let inDim = config.embeddingDim;
    this.lstms = config.lstmUnits.map((H, l) => {
      const dir = (side: string): LstmDir => ({
        kernel: take(`lstm ${l} ${side} kernel [D, 4H]`, inDim * 4 * H),
        recurrentKernel: take(`lstm ${l} ${side} recurrent kernel [H, 4H]`, H * 4 * H),
        bias: take(`lstm ${l} ${side} bias [4H]`, 4 * H),
      });
      const layer = { units: H, fwd: dir('forward'), bwd: dir('backward') };
      inDim = 2 * H;
      return layer;
    });
    this.dense = config.dense.map(({ units, activation }, l) => {
      const layer = { kernel: take(`dense ${l} kernel`, inDim * units), bias: take(`dense ${l} bias`, units), units, activation };
      inDim = units;
      return layer;
    });
    this.outputDim = inDim;
    if (kernels === 'wasm') {
      this.wasm = new WasmInference({
        embeddings,
        vocabSize: V,
        embeddingDim: config.embeddingDim,
        lstms: this.lstms,
        dense: this.dense.map((d) => ({ ...d, relu: d.activation === 'relu' })),
        hard: this.config.recurrentActivation === 'hardSigmoid',
      });
      this.firstProjection = new Float32Array(0);
      const threads = options.threads ?? 1;
      if (threads !== 1 && threads !== 2) throw new ValueError(op, 'threads', `must be 1 or 2, got ${String(threads)}`);
      if (threads === 2) this.worker = new InferenceWorker(this.wasm);
      return;
    }
    this.wasm = null;
    const first = this.lstms[0];
    const G = 4 * first.units;
    const E = config.embeddingDim;
    this.firstProjection = new Float32Array(V * 2 * G);
    const pf = matMulBias(embeddings, V, E, first.fwd.kernel, G, first.fwd.bias);
    const pb = matMulBias(embeddings, V, E, first.bwd.kernel, G, first.bwd.bias);
    for (let v = 0; v < V; v++) {
      this.firstProjection.set(pf.subarray(v * G, (v + 1) * G), v * 2 * G);
      this.firstProjection.set(pb.subarray(v * G, (v + 1) * G), v * 2 * G + G);
    }
  }

  /**
   * Emissions of one tweet.
   * @param ids word ids, unpadded (length L)
   * @returns // [L, K], row-major
   */
  forward(ids: ArrayLike<number>): Float32Array {
    this.checkIds('InferenceBiLstm.forward', ids);
    if (this.wasm !== null) return this.wasm.forwardBatch([ids])[0];
    return this.forwardTs(ids);
  }

  private checkIds(op: string, ids: ArrayLike<number>): void {
    const V = this.config.vocabSize;
    for (let t = 0; t < ids.length; t++) {
      if (!(ids[t] >= 0 && ids[t] < V && Number.isInteger(ids[t]))) throw new ValueError(op, 'ids', `must lie in [0, ${V}), got ${ids[t]} at ${t}`);
    }
  }

  private forwardTs(ids: ArrayLike<number>): Float32Array {
    const L = ids.length;
    const hard = this.config.recurrentActivation === 'hardSigmoid';
    let x: Float32Array = new Float32Array(0); // [L, inDim]
    let inDim = 0;
    this.lstms.forEach((layer, l) => {
      const H = layer.units;
      const G = 4 * H;
      const out = new Float32Array(L * 2 * H); // [L, 2H]
      let xzF: Float32Array; // [L, 4H]
      let xzB: Float32Array; // [L, 4H]
      if (l === 0) {
        xzF = new Float32Array(L * G);
        xzB = new Float32Array(L * G);
        for (let t = 0; t < L; t++) {
          const row = ids[t] * 2 * G;
          xzF.set(this.firstProjection.subarray(row, row + G), t * G);
          xzB.set(this.firstProjection.subarray(row + G, row + 2 * G), t * G);
        }
      } else {
        xzF = matMulBias(x, L, inDim, layer.fwd.kernel, G, layer.fwd.bias);
        xzB = matMulBias(x, L, inDim, layer.bwd.kernel, G, layer.bwd.bias);
      }
      runDirection(xzF, ids, layer.fwd.recurrentKernel, L, H, false, hard, out, 0);
      runDirection(xzB, ids, layer.bwd.recurrentKernel, L, H, true, hard, out, H);
      x = out;
      inDim = 2 * H;
    });
    for (const d of this.dense) {
      const y = matMulBias(x, L, inDim, d.kernel, d.units, d.bias);
      if (d.activation === 'relu') for (let i = 0; i < y.length; i++) if (y[i] < 0) y[i] = 0;
      x = y;
      inDim = d.units;
    }
    return x;
  }

  /**
   * Emissions of many tweets (each `[L_i, K]`). With the wasm kernels the tweets advance
   * together (sorted by length), so a batch of a few hundred is several times faster per
   * tweet than {@link forward}.
   */
  forwardBatch(batch: ArrayLike<number>[]): Float32Array[] {
    batch.forEach((ids, i) => this.checkIds(`InferenceBiLstm.forwardBatch (tweet ${i})`, ids));
    const wasm = this.wasm;
    if (wasm === null) return batch.map((ids) => this.forwardTs(ids));
    // Chunks of 256 bound the kernel memory (it never shrinks) at no measurable cost in speed.
    const out: Float32Array[] = [];
    for (let i = 0; i < batch.length; i += WASM_CHUNK) out.push(...wasm.forwardBatch(batch.slice(i, i + WASM_CHUNK), this.worker));
    return out;
  }

  /** Ends the worker thread of `threads: 2` (a no-op otherwise). */
  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) await worker.terminate();
  }
}

/**
 * One LSTM direction over one sequence, writing h at each position into `out[t, offset…]`.
 * @param xz // [L, 4H], x·kernel + bias
 * @param out // [L, 2H]
 */
function runDirection(
  xz: Float32Array,
  ids: ArrayLike<number>,
  recurrentKernel: Float32Array,
  L: number,
  H: number,
  goBackwards: boolean,
  hard: boolean,
  out: Float32Array,
  offset: number,
): void {
  const G = 4 * H;
  const h = new Float32Array(H);
  const c = new Float32Array(H);
  for (let s = 0; s < L; s++) {
    const t = goBackwards ? L - 1 - s : s;
    const o = t * 2 * H + offset;
    if (ids[t] !== 0) {
      const z = xz.subarray(t * G, (t + 1) * G);
      addVecMat(z, 0, h, 0, recurrentKernel, H, G); // z += h · R
      for (let u = 0; u < H; u++) {
        let gi: number, gf: number, go: number;
        if (hard) {
          gi = Math.min(1, Math.max(0, 0.2 * z[u] + 0.5));
          gf = Math.min(1, Math.max(0, 0.2 * z[H + u] + 0.5));
          go = Math.min(1, Math.max(0, 0.2 * z[3 * H + u] + 0.5));
        } else {
          gi = 1 / (1 + Math.exp(-z[u]));
          gf = 1 / (1 + Math.exp(-z[H + u]));
          go = 1 / (1 + Math.exp(-z[3 * H + u]));
        }
        const cn = gf * c[u] + gi * Math.tanh(z[2 * H + u]);
        c[u] = cn;
        h[u] = go * Math.tanh(cn);
      }
    }
    out.set(h, o);
  }
}
