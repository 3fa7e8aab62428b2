import { charCnnForward, type CharCnnTables, charCnnTables } from './char-cnn-forward';
import { ShapeError, ValueError } from './errors';
import { checkInput, type CheckedInput, type InferenceInput, type InputShape } from './inference-input';
import { checkRecurrentActivation, type RecurrentActivation } from './recurrent-activation';
import { DEFAULT_TOKEN_ROWS, type Precision, WasmInference } from './inference-wasm';
import { InferenceWorker, SLOTS } from './inference-worker';
import { addVecMat, matMulBias } from './vector-kernels';
import { wasmKernelsAvailable } from './wasm-kernels';

/** Tweets per packed batch on the wasm kernels. */
const WASM_CHUNK = 256;
/** Tokens per packed batch on the wasm kernels (bounds the kernel memory for long tweets). */
const WASM_CHUNK_TOKENS = 16_384;

/** Activation of a dense layer in the inference path. */
export type DenseActivation = 'relu' | 'linear';

/** The character CNN of an {@link InferenceBiLstm} (a trained `FusedCharCNN`). */
export interface InferenceCharCnnConfig {
  /** Character vocabulary size. */
  vocabSize: number;
  /** Character embedding size d. */
  dim: number;
  /** Filters F per width. */
  filters: number;
  /** Window widths, e.g. `[3]` or `[2, 3, 4]`; the features are `F · widths.length`. */
  widths: number[];
  /** Characters C per token (FusedCharCNN's last input dimension). */
  maxChars: number;
}

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
  /** A character CNN whose features follow the word embedding in the first LSTM's input. Default none. */
  charCnn?: InferenceCharCnnConfig;
  /** Sparse 0/1 token features (casing, gazetteer) after the char features: how many. Default 0. */
  featureDim?: number;
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
   * every other tweet of a batch of 16 or more; Node.js only). The worker is unref'd;
   * `dispose()` ends it.
   */
  threads?: 1 | 2;
  /**
   * Tokens whose first-layer rows (word part, bias and char part: `8 · H` floats each, 3.2 KB
   * at H = 100, half that with precision 'int16') the wasm kernels keep between batches, per
   * thread. Default 4,096 (13 MB at H = 100, 6.5 MB with 'int16'); fewer is less memory, more is fewer rows recomputed. Once the table is full, a
   * new token takes a row only if it was seen more often lately than the token CLOCK would
   * evict (TinyLFU's admission, from a count-min sketch of about 256 KB); otherwise its row is
   * computed for its batch alone, so one-off tokens (links, handles) do not push frequent ones
   * out. A batch with more distinct tokens than this computes its rows apart and leaves the
   * table as it was.
   */
  tokenRows?: number;
  /**
   * How the wasm kernels compute the LSTMs' products: `'float32'` (default; emissions within
   * 1e-5 of tfjs) or `'int16'`, in 16-bit integers with exact 32-bit sums
   * (`i32x4.dot_i16x8_s`), scaled back to float: each step's recurrent product h · R (h rounded
   * to ±4095 each step, R per column to ±4095) and a new token's first-layer row (its embedding
   * and its char features each rounded per row by their largest value, the kernel rows per
   * column; the embedding table is kept rounded, half the memory of float32); the table of
   * first-layer rows (`tokenRows`) keeps each row in 16 bits, rounded by its own largest value
   * to ±32767 (half the memory; a row computed for its batch alone is rounded the same way, so
   * that where a row was kept never shows). The bounds shrink
   * for products over more than 128 terms so that no sum can overflow. Those products run about
   * 1.7× faster; emissions move by about 5e-4 on random models, and the shipped model's tags on
   * all 3,850 WNUT16 test tweets do not change. Later layers' input products and the dense
   * layers stay float32. Needs the wasm kernels.
   */
  precision?: Precision;
}

interface LstmDir {
  kernel: Float32Array; // [D, 4H]
  recurrentKernel: Float32Array; // [H, 4H]
  bias: Float32Array; // [4H]
}

const CONFIG_KEYS = ['vocabSize', 'embeddingDim', 'lstmUnits', 'dense', 'recurrentActivation', 'charCnn', 'featureDim'];
const CHAR_KEYS = ['vocabSize', 'dim', 'filters', 'widths', 'maxChars'];
const OPTION_KEYS = ['kernels', 'threads', 'tokenRows', 'precision'];

function refuseUnknown(op: string, what: string, x: object, known: readonly string[]): void {
  for (const key of Object.keys(x)) {
    if (!known.includes(key)) throw new ValueError(op, `${what}.${key}`, `is not a known key; use ${known.join(', ')}`);
  }
}

function positiveInt(op: string, name: string, v: unknown): number {
  if (!Number.isInteger(v) || (v as number) <= 0) throw new ValueError(op, name, `must be a positive integer, got ${String(v)}`);
  return v as number;
}

/**
 * Forward pass of the tagging networks in plain TypeScript or WebAssembly SIMD, no tfjs:
 * emissions for a CRF. The first BiLSTM's input per token is
 * `[word embedding (E) ‖ char CNN features (F · widths) ‖ 0/1 features (featureDim)]` (the
 * last two optional), then BiLSTM × n → Dense × m.
 *
 * Weights are the `Float32Array`s of the trained layers' `getWeights()`, in this order:
 * 1. word embeddings `[V, E]` (FusedEmbedding / tf.layers.embedding);
 * 2. with `charCnn`: char embeddings `[charVocab, d]`, then per width w kernel `[w·d, F]` and
 *    bias `[F]` (FusedCharCNN);
 * 3. per BiLSTM forward kernel `[D, 4H]`, recurrent kernel `[H, 4H]`, bias `[4H]`, then the
 *    same backward (FusedBidirectionalLSTM / tf.layers.bidirectional(lstm)); D of the first is
 *    E + F · widths + featureDim, rows in that order;
 * 4. per dense layer kernel `[in, units]`, bias `[units]`.
 *
 * The first LSTM's input projection is computed in parts: the word part (with the bias) and
 * the char part depend on the token alone — the TypeScript kernels precompute the word part per
 * vocabulary id; the wasm kernels keep both, summed, per distinct token in a bounded table
 * (`tokenRows`) and compute a token's row when it is new there — and the sparse features add
 * the kernel rows of the active features. Each tweet runs at its own
 * length; word id 0 is padding as with `maskZero`: the LSTM state carries over it. Dropout is
 * the identity at inference, so it has no place here.
 */
export class InferenceBiLstm {
  readonly config: Required<Omit<InferenceBiLstmConfig, 'charCnn'>> & { charCnn: InferenceCharCnnConfig | null };
  /** Output size K of the last dense layer (or 2H of the last LSTM). */
  readonly outputDim: number;
  private readonly lstms: { units: number; fwd: LstmDir; bwd: LstmDir }[];
  private readonly dense: { kernel: Float32Array; bias: Float32Array; units: number; activation: DenseActivation }[];
  /** First LSTM's `embedding · kernel + bias` for every id, forward then backward (TypeScript kernels only). // [V, 8H] */
  private readonly firstProjection: Float32Array;
  /** The char CNN prepared for inference, or null. */
  private readonly cnn: CharCnnTables | null;
  /** What inputs must hold. */
  private readonly shape: InputShape;
  /** The WebAssembly engine, or null with `kernels: 'typescript'`. */
  private readonly wasm: WasmInference | null;
  /** The kernels in use. */
  readonly kernels: 'wasm' | 'typescript';
  /** How the LSTM products are computed (see {@link InferenceBiLstmOptions.precision}). */
  readonly precision: Precision;
  private worker: InferenceWorker | null = null;

  constructor(weights: Float32Array[], config: InferenceBiLstmConfig, options: InferenceBiLstmOptions = {}) {
    const op = 'InferenceBiLstm';
    refuseUnknown(op, 'config', config, CONFIG_KEYS);
    refuseUnknown(op, 'options', options, OPTION_KEYS);
    const kernels = options.kernels ?? (wasmKernelsAvailable() ? 'wasm' : 'typescript');
    if (kernels !== 'wasm' && kernels !== 'typescript') throw new ValueError(op, 'kernels', `must be 'wasm' or 'typescript', got '${String(kernels)}'`);
    if (kernels === 'wasm' && !wasmKernelsAvailable()) throw new ValueError(op, 'kernels', "'wasm' needs WebAssembly with SIMD, which this runtime lacks");
    const threads = options.threads ?? 1;
    if (threads !== 1 && threads !== 2) throw new ValueError(op, 'threads', `must be 1 or 2, got ${String(threads)}`);
    const tokenRows = options.tokenRows ?? DEFAULT_TOKEN_ROWS;
    positiveInt(op, 'options.tokenRows', tokenRows);
    const precision = options.precision ?? 'float32';
    if (precision !== 'float32' && precision !== 'int16') throw new ValueError(op, 'options.precision', `must be 'float32' or 'int16', got '${String(precision)}'`);
    if (precision === 'int16' && kernels !== 'wasm') throw new ValueError(op, 'options.precision', "'int16' runs on the wasm kernels only; these are the TypeScript ones");
    this.precision = precision;
    this.kernels = kernels;
    const V = positiveInt(op, 'config.vocabSize', config.vocabSize);
    const E = positiveInt(op, 'config.embeddingDim', config.embeddingDim);
    if (!Array.isArray(config.lstmUnits) || config.lstmUnits.length === 0) throw new ValueError(op, 'config.lstmUnits', 'must list the units of at least one BiLSTM');
    config.lstmUnits.forEach((H, l) => positiveInt(op, `config.lstmUnits[${l}]`, H));
    const featureDim = config.featureDim ?? 0;
    if (!Number.isInteger(featureDim) || featureDim < 0) throw new ValueError(op, 'config.featureDim', `must be an integer ≥ 0, got ${featureDim}`);
    const charCfg = config.charCnn ?? null;
    if (charCfg !== null) {
      refuseUnknown(op, 'config.charCnn', charCfg, CHAR_KEYS);
      for (const key of ['vocabSize', 'dim', 'filters', 'maxChars'] as const) positiveInt(op, `config.charCnn.${key}`, charCfg[key]);
      if (!Array.isArray(charCfg.widths) || charCfg.widths.length === 0) throw new ValueError(op, 'config.charCnn.widths', 'must be a non-empty array of positive integers');
      charCfg.widths.forEach((w, i) => positiveInt(op, `config.charCnn.widths[${i}]`, w));
    }
    this.config = {
      vocabSize: V,
      embeddingDim: E,
      lstmUnits: [...config.lstmUnits],
      dense: config.dense.map((d) => ({ ...d })),
      recurrentActivation: checkRecurrentActivation(op, config.recurrentActivation ?? 'hardSigmoid'),
      charCnn: charCfg === null ? null : { ...charCfg, widths: [...charCfg.widths] },
      featureDim,
    };
    const nChar = charCfg === null ? 0 : 1 + 2 * charCfg.widths.length;
    const expected = 1 + nChar + 6 * config.lstmUnits.length + 2 * config.dense.length;
    if (!Array.isArray(weights) || weights.length !== expected) {
      throw new ValueError(
        op,
        'weights',
        `must hold ${expected} arrays (embeddings${charCfg === null ? '' : `, ${nChar} of the char CNN`}, 6 per BiLSTM, 2 per dense), got ${Array.isArray(weights) ? weights.length : typeof weights}`,
      );
    }
    let next = 0;
    const take = (name: string, size: number): Float32Array => {
      const w = weights[next++];
      // (the tag, not instanceof: arrays from another realm — a worker, an iframe — count)
      const isF32 = Object.prototype.toString.call(w) === '[object Float32Array]';
      if (!isF32 || w.length !== size) throw new ShapeError(op, `weights[${next - 1}] (${name})`, `${size} float32 values`, isF32 ? `${w.length}` : `a ${Object.prototype.toString.call(w).slice(8, -1)}`);
      return w;
    };
    const embeddings = take('word embeddings [V, E]', V * E);
    let charWidth = 0;
    this.cnn = null;
    if (charCfg !== null) {
      const { vocabSize: Vc, dim: d, filters: F, widths } = charCfg;
      const table = take('char embeddings [charVocab, d]', Vc * d);
      const ks: Float32Array[] = [];
      const bs: Float32Array[] = [];
      widths.forEach((w) => {
        ks.push(take(`char kernel w=${w} [w·d, F]`, w * d * F));
        bs.push(take(`char bias w=${w} [F]`, F));
      });
      this.cnn = charCnnTables(table, Vc, d, ks, bs, widths, F);
      charWidth = F * widths.length;
    }
    this.shape = { vocabSize: V, charVocabSize: charCfg?.vocabSize ?? 0, maxChars: charCfg?.maxChars ?? 0, featureDim };
    let inDim = E + charWidth + featureDim;
    this.lstms = config.lstmUnits.map((H, l) => {
      const dir = (side: string): LstmDir => ({
        kernel: take(`lstm ${l} ${side} kernel [D, 4H], D = ${inDim}`, inDim * 4 * H),
        recurrentKernel: take(`lstm ${l} ${side} recurrent kernel [H, 4H]`, H * 4 * H),
        bias: take(`lstm ${l} ${side} bias [4H]`, 4 * H),
      });
      const layer = { units: H, fwd: dir('forward'), bwd: dir('backward') };
      inDim = 2 * H;
      return layer;
    });
    this.dense = config.dense.map(({ units, activation }, l) => {
      positiveInt(op, `config.dense[${l}].units`, units);
      if (activation !== 'relu' && activation !== 'linear') throw new ValueError(op, `config.dense[${l}].activation`, `must be 'relu' or 'linear', got '${String(activation)}'`);
      const layer = { kernel: take(`dense ${l} kernel`, inDim * units), bias: take(`dense ${l} bias`, units), units, activation };
      inDim = units;
      return layer;
    });
    this.outputDim = inDim;
    if (kernels === 'wasm') {
      this.wasm = new WasmInference({
        embeddings,
        vocabSize: V,
        embeddingDim: E,
        charCnn: this.cnn === null || charCfg === null ? null : { tables: this.cnn, maxChars: charCfg.maxChars },
        featureDim,
        lstms: this.lstms,
        dense: this.dense.map((d) => ({ ...d, relu: d.activation === 'relu' })),
        hard: this.config.recurrentActivation === 'hardSigmoid',
      }, tokenRows, precision);
      this.firstProjection = new Float32Array(0);
      if (threads === 2) this.worker = new InferenceWorker(this.wasm);
      return;
    }
    this.wasm = null;
    const first = this.lstms[0];
    const G = 4 * first.units;
    this.firstProjection = new Float32Array(V * 2 * G);
    // Rows [0, E) of the first kernel are the word part: embeddings · kernel[0:E] + bias per id.
    const pf = matMulBias(embeddings, V, E, first.fwd.kernel.subarray(0, E * G), G, first.fwd.bias);
    const pb = matMulBias(embeddings, V, E, first.bwd.kernel.subarray(0, E * G), G, first.bwd.bias);
    for (let v = 0; v < V; v++) {
      this.firstProjection.set(pf.subarray(v * G, (v + 1) * G), v * 2 * G);
      this.firstProjection.set(pb.subarray(v * G, (v + 1) * G), v * 2 * G + G);
    }
  }

  /**
   * Emissions of one tweet.
   * @param input word ids `[T]` (unpadded), or {@link TweetInputs} with chars and features
   * @returns // [T, K], row-major
   */
  forward(input: InferenceInput): Float32Array {
    const x = checkInput('InferenceBiLstm.forward', input, this.shape);
    if (this.wasm !== null) return this.wasm.forwardBatch([x])[0];
    return this.forwardTs(x);
  }

  private forwardTs(input: CheckedInput): Float32Array {
    const ids = input.words;
    const L = ids.length;
    const hard = this.config.recurrentActivation === 'hardSigmoid';
    const E = this.config.embeddingDim;
    let x: Float32Array = new Float32Array(0); // [L, inDim]
    let inDim = 0;
    let charOut: Float32Array | null = null; // [L, F·nW]
    let charWidth = 0;
    if (this.cnn !== null && input.chars !== null) {
      charWidth = this.cnn.filters * this.cnn.widths.length;
      charOut = new Float32Array(L * charWidth);
      charCnnForward(this.cnn, input.chars, 0, L, this.shape.maxChars, charOut, charWidth, 0);
    }
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
        if (charOut !== null) {
          // rows [E, E + F·nW) of the kernel take the char features
          const kf = layer.fwd.kernel.subarray(E * G, (E + charWidth) * G);
          const kb = layer.bwd.kernel.subarray(E * G, (E + charWidth) * G);
          for (let t = 0; t < L; t++) {
            addVecMat(xzF, t * G, charOut, t * charWidth, kf, charWidth, G);
            addVecMat(xzB, t * G, charOut, t * charWidth, kb, charWidth, G);
          }
        }
        const fo = input.featureOffsets;
        const fi = input.featureIndices;
        if (fo !== null && fi !== null) {
          // rows [E + F·nW, D): one kernel row per active 0/1 feature
          const base = E + charWidth;
          for (let t = 0; t < L; t++) {
            for (let q = fo[t]; q < fo[t + 1]; q++) {
              const r = (base + fi[q]) * G;
              for (let j = 0; j < G; j++) {
                xzF[t * G + j] += layer.fwd.kernel[r + j];
                xzB[t * G + j] += layer.bwd.kernel[r + j];
              }
            }
          }
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
   * Emissions of many tweets (each `[T_i, K]`). With the wasm kernels the tweets advance
   * together (sorted by length), so a batch of a few hundred is several times faster per
   * tweet than {@link forward}.
   */
  forwardBatch(batch: readonly InferenceInput[]): Float32Array[] {
    const checked = batch.map((x, i) => checkInput(`InferenceBiLstm.forwardBatch (tweet ${i})`, x, this.shape, i));
    const wasm = this.wasm;
    if (wasm === null) return checked.map((x) => this.forwardTs(x));
    // While the worker has batches of forwardBatchOnWorker, this thread works alone.
    const worker = this.workerIdle ? this.worker : null;
    // Chunks of ≤ 256 tweets and ≤ 16k tokens bound the kernel memory (it never shrinks) at no
    // measurable cost in speed.
    const out: Float32Array[] = [];
    let from = 0;
    while (from < checked.length) {
      let to = from;
      let tokens = 0;
      while (to < checked.length && to - from < WASM_CHUNK && (to === from || tokens + checked[to].words.length <= WASM_CHUNK_TOKENS)) tokens += checked[to++].words.length;
      out.push(...wasm.forwardBatch(checked.slice(from, to), worker));
      from = to;
    }
    return out;
  }

  /**
   * Whether this network has a worker thread (`threads: 2`) and no batch of its own there.
   */
  get workerIdle(): boolean {
    return this.worker !== null && this.worker.inFlight === 0;
  }

  /**
   * Whether {@link forwardBatchOnWorker} can start a batch now: this network has a worker
   * thread and fewer than {@link SLOTS} (2) batches of its own there.
   */
  get workerFree(): boolean {
    return this.worker !== null && this.worker.inFlight < SLOTS;
  }

  /**
   * With `threads: 2`, starts `batch` on the worker thread and returns at once, so that this
   * thread can do other work (tag another batch with {@link forwardBatch}, decode, start the next
   * batch on the worker); `finish()` blocks until the emissions are back (the same numbers as
   * `forwardBatch`), and `workerMs()` then says how long the worker computed. Null without a
   * worker, or for a batch over one packed chunk (256 tweets, 16,384 tokens). Up to
   * {@link SLOTS} (2) batches at a time: the second waits on the worker while the first runs, so
   * the worker goes from one to the next without waiting for this thread; the worker runs them
   * in the order they were started (results may be collected in any order). `ready()` says,
   * without waiting, whether `finish()` would return at once.
   */
  forwardBatchOnWorker(batch: readonly InferenceInput[]): { finish(): Float32Array[]; workerMs(): number; ready(): boolean } | null {
    const worker = this.worker;
    const wasm = this.wasm;
    if (worker === null || wasm === null) return null;
    if (worker.inFlight >= SLOTS) throw new ValueError('InferenceBiLstm.forwardBatchOnWorker', 'batch', `the worker already has ${SLOTS} batches of this network: call finish() of one first`);
    const checked = batch.map((x, i) => checkInput(`InferenceBiLstm.forwardBatchOnWorker (tweet ${i})`, x, this.shape, i));
    const tokens = checked.reduce((n, x) => n + x.words.length, 0);
    if (checked.length > WASM_CHUNK || tokens > WASM_CHUNK_TOKENS) return null;
    const job = wasm.startOnWorker(checked, worker);
    let done: Float32Array[] | null = null;
    let collected = false;
    return {
      finish: () => {
        if (!collected) {
          collected = true;
          done = job.finish();
        }
        if (done === null) throw new ValueError('InferenceBiLstm.forwardBatchOnWorker', 'batch', 'this batch failed on the worker thread (its error was thrown by the first finish())');
        return done;
      },
      workerMs: job.workerMs,
      ready: () => collected || job.ready(),
    };
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
