import type { CharCnnTables } from './char-cnn-forward';
import type { CheckedInput } from './inference-input';
import { KernelError } from './errors';
import type { InferenceWorker, WorkerTicket } from './inference-worker';
import { RowCache } from './row-cache';
import { KernelArena, pad4 } from './wasm-kernels';

/** Smallest batch that `forwardBatch` with a worker splits between the two threads (by tweets). */
export const MIN_SPLIT_TWEETS = 16;

/** Default rows of the first layer's per-token table (see {@link RowCache}). */
export const DEFAULT_TOKEN_ROWS = 4096;

/** New tokens whose rows are computed together (bounds the scratch of a plan). */
const ROW_BLOCK = 512;

/** One direction's tfjs-layers weights. */
export interface LstmDirWeights {
  kernel: Float32Array; // [D, 4H]
  recurrentKernel: Float32Array; // [H, 4H]
  bias: Float32Array; // [4H]
}

/** Weights of the model, already split per layer. */
export interface NetWeights {
  embeddings: Float32Array; // [V, E]
  vocabSize: number;
  embeddingDim: number;
  /** The char CNN's tables and C, or null. */
  charCnn: { tables: CharCnnTables; maxChars: number } | null;
  /** Sparse 0/1 features (0 = none). */
  featureDim: number;
  lstms: { units: number; fwd: LstmDirWeights; bwd: LstmDirWeights }[];
  dense: { kernel: Float32Array; bias: Float32Array; units: number; relu: boolean }[];
  hard: boolean;
}

interface PackedLstm {
  hp: number; // H rounded up to 4
  inP: number; // padded input width (0 for the first layer: projection tables instead)
  kernel: [number, number]; // fwd, bwd [inP, 4Hp] (layers ≥ 1)
  bias: [number, number]; // fwd, bwd [4Hp]
  rec: [number, number]; // fwd, bwd [Hp, 4Hp]
  /** With the int16 recurrence: fwd, bwd recurrent kernels rounded to ±qmax per column (i16, gemmQ's pair packing) and their scales [4Hp]. */
  recQ: { kernel: [number, number]; scale: [number, number]; qmax: number } | null;
}

/** How the LSTM products are computed: float32, or 16-bit integers (see `InferenceBiLstmOptions.precision`). */
export type Precision = 'float32' | 'int16';

/**
 * The rounding bound of an int16 product over kp terms: the largest q ≤ 4095 with kp · q² < 2³¹,
 * so that no sum of kp products of two values in [−q, q] can overflow 32 bits.
 */
export function int16Bound(kp: number): number {
  return Math.min(4095, Math.floor(Math.sqrt((2 ** 31 - 1) / kp)));
}

/**
 * A kernel [rows, cols] (row-major) rounded per column to integers in ±qmax, pair-packed for
 * gemmQ (element (k, j) at ((k >> 1) · cols + j) · 2 + (k & 1); rows rounded up to even, the
 * extra row 0), and each column's step: `w[k, j] ≈ q[k, j] · step[j]` (an all-zero column: 0s).
 */
export function quantizeColumns(w: Float32Array, rows: number, cols: number, qmax: number): { q: Int16Array; step: Float32Array } {
  const q = new Int16Array((rows + (rows & 1)) * cols);
  const step = new Float32Array(cols);
  for (let j = 0; j < cols; j++) {
    let max = 0;
    for (let k = 0; k < rows; k++) max = Math.max(max, Math.abs(w[k * cols + j]));
    if (max === 0) continue;
    const s = max / qmax;
    for (let k = 0; k < rows; k++) q[((k >> 1) * cols + j) * 2 + (k & 1)] = Math.round(w[k * cols + j] / s);
    step[j] = s;
  }
  return { q, step };
}

/** A kernel rounded for gemmQ in kernel memory: pair-packed i16 values, column steps [cols], the bound. */
interface QuantKernel {
  q: number;
  step: number;
  qmax: number;
  /** Rows rounded up to even (the row stride of gemmQ's A). */
  kp: number;
}

/** The char CNN in kernel memory: per width a table [Vc, w·Fp] and bias [Fp]; the first LSTM's char rows. */
interface PackedCharCnn {
  maxChars: number;
  fp: number; // F rounded up to 4
  widths: number[];
  tables: number[];
  biases: number[];
  /** fwd, bwd [nW·Fp, 4Hp]: kernel rows of the char features (row i·Fp + f: width i, filter f) */
  kernel: [number, number];
  /** The same rounded for gemmQ (precision 'int16'), or null. */
  kernelQ: [QuantKernel, QuantKernel] | null;
}

interface PackedDense {
  inP: number;
  outP: number;
  units: number;
  kernel: number; // [inP, outP]
  bias: number; // [outP]
  relu: boolean;
}

/**
 * The tagging forward pass on the WebAssembly SIMD kernels.
 *
 * Weights are copied once into the instance's memory in padded, kernel-friendly layouts: every
 * width a multiple of 4 with zero padding (padded units stay exactly 0), gates i|f|g|o each Hp
 * wide.
 *
 * The first LSTM's input projection of a token is its word part (with the bias) plus its char
 * CNN part — what depends on the token alone — plus the rows of its active 0/1 features. The
 * first two are kept between batches in a bounded table per direction (`[R, 4Hp]`, R =
 * `tokenRows`), keyed by the token's word id and char ids and filled as tokens occur (see
 * {@link RowCache}); what a row holds never depends on which batch computed it.
 *
 * A batch runs as a packed sequence (PyTorch's PackedSequence): tweets sorted by length, longest
 * first; at step s the first `batchSizes[s]` tweets advance together, so the recurrence is one
 * `[b, Hp] × [Hp, 4Hp]` product per step and direction. Rows are position-packed: token t of
 * the r-th longest tweet is row `offset[t] + r`; the backward direction reads and writes the
 * same rows through a row map.
 */
export class WasmInference {
  private readonly arena = new KernelArena();
  private readonly lstms: PackedLstm[];
  private readonly dense: PackedDense[];
  /**
   * fwd, bwd [R, 4Hp]: per-token rows (word part + bias + char part), float32, or with precision
   * 'int16' each row rounded to i16 by its own largest value, its step in `rowSteps` [R].
   */
  private readonly rowTables: [number, number];
  private readonly rowSteps: [number, number];
  /** Which token each row of `rowTables` holds, in this thread's memory and in the worker's. */
  private readonly rows: RowCache;
  private readonly workerRows: RowCache;
  private readonly emb: number; // [V, E] f32, or with precision 'int16' [V, Ep] i16 rows rounded as quantizeRows does
  /** precision 'int16': each embedding row's step [V] (f32), else 0. */
  private readonly embSteps: number;
  private readonly wordKernel: [number, number]; // fwd, bwd [E, 4Hp]: the first kernel's word rows
  /** The word rows rounded for gemmQ (precision 'int16'), or null. */
  private readonly wordKernelQ: [QuantKernel, QuantKernel] | null;
  private readonly embeddingDim: number;
  /** End of the weights a worker copies (the projection tables lie above). */
  private readonly weightsEnd: number;
  /** End of what a worker's copy holds: the weights but the embeddings. */
  private readonly workerWeightsEnd: number;
  private readonly cnn: PackedCharCnn | null;
  /** [4Hp of the first layer] zeros: the bias of products that must start from 0 (in the worker's memory too) */
  private readonly zeros: number;
  private readonly shape: { charVocabSize: number };
  /** fwd, bwd [featureDim, 4Hp]: kernel rows of the 0/1 features, or null */
  private readonly features: [number, number] | null;
  private readonly hard: boolean;
  /** Output width K. */
  readonly outputDim: number;

  constructor(w: NetWeights, tokenRows = DEFAULT_TOKEN_ROWS, precision: Precision = 'float32') {
    const a = this.arena;
    /** A kernel [rows, cols] rounded per column for gemmQ, in kernel memory; its steps times `stepFactor`. */
    const quantizeInto = (kernel: Float32Array, rows: number, cols: number, qmax: number, stepFactor = 1): QuantKernel => {
      const { q, step } = quantizeColumns(kernel, rows, cols, qmax);
      const qp = a.alloc(q.length * 2, true);
      new Int16Array(a.k.memory.buffer, qp, q.length).set(q);
      const sp = a.alloc(cols * 4, true);
      a.f32(sp, cols).set(stepFactor === 1 ? step : step.map((v) => v * stepFactor));
      return { q: qp, step: sp, qmax, kp: rows + (rows & 1) };
    };
    this.hard = w.hard;
    const V = w.vocabSize;
    const E = w.embeddingDim;
    let prevH = 0; // units of the previous BiLSTM
    let prevHp = 0;
    this.lstms = w.lstms.map((layer, l) => {
      const H = layer.units;
      const hp = pad4(H);
      const gp = 4 * hp;
      const inP = l === 0 ? 0 : 2 * prevHp;
      const inRow = (d: number): number => (d < prevH ? d : d - prevH + prevHp);
      const packDir = (dw: LstmDirWeights): { kernel: number; bias: number; rec: number } => {
        const rec = a.alloc(hp * gp * 4, true);
        const recView = a.f32(rec, hp * gp);
        for (let k = 0; k < H; k++) for (let g = 0; g < 4; g++) for (let u = 0; u < H; u++) recView[k * gp + g * hp + u] = dw.recurrentKernel[k * 4 * H + g * H + u];
        const bias = a.alloc(gp * 4, true);
        const biasView = a.f32(bias, gp);
        for (let g = 0; g < 4; g++) for (let u = 0; u < H; u++) biasView[g * hp + u] = dw.bias[g * H + u];
        let kernel = 0;
        if (l > 0) {
          kernel = a.alloc(inP * gp * 4, true);
          const kv = a.f32(kernel, inP * gp);
          const D = 2 * prevH;
          for (let d = 0; d < D; d++) for (let g = 0; g < 4; g++) for (let u = 0; u < H; u++) kv[inRow(d) * gp + g * hp + u] = dw.kernel[d * 4 * H + g * H + u];
        }
        return { kernel, bias, rec };
      };
      const f = packDir(layer.fwd);
      const b = packDir(layer.bwd);
      prevH = H;
      prevHp = hp;
      let recQ: PackedLstm['recQ'] = null;
      if (precision === 'int16') {
        // h ∈ (−1, 1) is rounded to hq = round(h · qmax) each step: the column steps absorb 1/qmax
        const qmax = int16Bound(hp);
        const [qf, qb] = [f.rec, b.rec].map((rec) => quantizeInto(a.f32(rec, hp * gp).slice(), hp, gp, qmax, 1 / qmax));
        recQ = { kernel: [qf.q, qb.q], scale: [qf.step, qb.step], qmax };
      }
      return { hp, inP, kernel: [f.kernel, b.kernel], bias: [f.bias, b.bias], rec: [f.rec, b.rec], recQ };
    });
    // First layer: the embeddings and the kernel's word rows [E, 4Hp] per direction (a token's
    // row is computed when it first occurs, so loading costs no V × E × 4Hp product).
    const first = this.lstms[0];
    const gp0 = 4 * first.hp;
    const H0 = w.lstms[0].units;
    this.embeddingDim = E;
    this.wordKernel = [w.lstms[0].fwd, w.lstms[0].bwd].map((dw) => {
      const ptr = a.alloc(E * gp0 * 4, true);
      const kv = a.f32(ptr, E * gp0);
      for (let d = 0; d < E; d++) for (let g = 0; g < 4; g++) for (let u = 0; u < H0; u++) kv[d * gp0 + g * first.hp + u] = dw.kernel[d * 4 * H0 + g * H0 + u];
      return ptr;
    }) as [number, number];
    const int16 = precision === 'int16';
    const qE = int16Bound(E + (E & 1));
    this.wordKernelQ = int16 ? ([0, 1].map((dir) => quantizeInto(a.f32(this.wordKernel[dir], E * gp0).slice(), E, gp0, qE)) as [QuantKernel, QuantKernel]) : null;
    // The first kernel's other rows: char features [E, E + F·nW), then 0/1 features.
    const packRows = (dw: LstmDirWeights, from: number, count: number, rowOf: (q: number) => number, rowsP: number): number => {
      const ptr = a.alloc(rowsP * gp0 * 4, true);
      const kv = a.f32(ptr, rowsP * gp0);
      for (let q = 0; q < count; q++) {
        const src = (from + q) * 4 * H0;
        const dst = rowOf(q) * gp0;
        for (let g = 0; g < 4; g++) for (let u = 0; u < H0; u++) kv[dst + g * first.hp + u] = dw.kernel[src + g * H0 + u];
      }
      return ptr;
    };
    let charWidth = 0;
    this.cnn = null;
    this.zeros = a.alloc(gp0 * 4, true);
    this.shape = { charVocabSize: w.charCnn?.tables.vocabSize ?? 0 };
    if (w.charCnn !== null) {
      const c = w.charCnn.tables;
      const F = c.filters;
      const fp = pad4(F);
      const nW = c.widths.length;
      charWidth = F * nW;
      const tables = c.widths.map((width, i) => {
        const ptr = a.alloc(c.vocabSize * width * fp * 4, true);
        const tv = a.f32(ptr, c.vocabSize * width * fp);
        const src = c.tables[i];
        for (let v = 0; v < c.vocabSize; v++) for (let k = 0; k < width; k++) tv.set(src.subarray((v * width + k) * F, (v * width + k + 1) * F), (v * width + k) * fp);
        return ptr;
      });
      const biases = c.biases.map((b) => {
        const ptr = a.alloc(fp * 4, true);
        a.f32(ptr, fp).set(b);
        return ptr;
      });
      const rowOf = (q: number): number => Math.floor(q / F) * fp + (q % F);
      const kernel: [number, number] = [
        packRows(w.lstms[0].fwd, E, charWidth, rowOf, nW * fp),
        packRows(w.lstms[0].bwd, E, charWidth, rowOf, nW * fp),
      ];
      const kernelQ = int16
        ? ([0, 1].map((dir) => quantizeInto(a.f32(kernel[dir], nW * fp * gp0).slice(), nW * fp, gp0, int16Bound(nW * fp))) as [QuantKernel, QuantKernel])
        : null;
      this.cnn = { maxChars: w.charCnn.maxChars, fp, widths: [...c.widths], tables, biases, kernel, kernelQ };
    }
    this.features = null;
    if (w.featureDim > 0) {
      const base = E + charWidth;
      this.features = [
        packRows(w.lstms[0].fwd, base, w.featureDim, (q) => q, w.featureDim),
        packRows(w.lstms[0].bwd, base, w.featureDim, (q) => q, w.featureDim),
      ];
    }
    let inUnits = 2 * prevH;
    let inP = 2 * prevHp;
    let fromLstm = true;
    this.dense = w.dense.map((d) => {
      const outP = pad4(d.units);
      const kernel = a.alloc(inP * outP * 4, true);
      const kv = a.f32(kernel, inP * outP);
      for (let i = 0; i < inUnits; i++) {
        const row = fromLstm && i >= prevH ? i - prevH + prevHp : i;
        for (let j = 0; j < d.units; j++) kv[row * outP + j] = d.kernel[i * d.units + j];
      }
      const bias = a.alloc(outP * 4, true);
      a.f32(bias, outP).set(d.bias);
      const layer = { inP, outP, units: d.units, kernel, bias, relu: d.relu };
      inUnits = d.units;
      inP = outP;
      fromLstm = false;
      return layer;
    });
    this.outputDim = inUnits;
    this.lastIsLstm = w.dense.length === 0;
    this.lastH = prevH;
    // The embeddings come last of the weights: a worker's copy stops before them (its plans
    // bring the embedding rows they need), then the row tables, whose pages stay untouched (not
    // resident) until rows are filled.
    this.workerWeightsEnd = a.mark();
    if (this.wordKernelQ === null) {
      this.emb = a.alloc(V * E * 4);
      a.f32(this.emb, V * E).set(w.embeddings);
      this.embSteps = 0;
    } else {
      // Kept rounded, as a new token's row would be rounded each time (quantizeRows, the same
      // numbers): half the memory, and nothing to round per batch.
      const kp = this.wordKernelQ[0].kp;
      this.emb = a.alloc(V * kp * 2);
      this.embSteps = a.alloc(V * 4);
      const mark = a.mark();
      const chunk = Math.min(V, 4096);
      const src = a.alloc(chunk * E * 4);
      for (let v0 = 0; v0 < V; v0 += chunk) {
        const n = Math.min(chunk, V - v0);
        a.f32(src, n * E).set(w.embeddings.subarray(v0 * E, (v0 + n) * E));
        a.k.quantizeRows(this.emb + v0 * kp * 2, kp, src, E, n, E, this.wordKernelQ[0].qmax, this.embSteps + v0 * 4);
      }
      a.release(mark);
    }
    this.weightsEnd = a.mark();
    const R = w.charCnn === null ? Math.min(V, tokenRows) : tokenRows;
    const rowBytes = int16 ? 2 : 4;
    this.rowTables = [a.alloc(R * gp0 * rowBytes), a.alloc(R * gp0 * rowBytes)];
    this.rowSteps = int16 ? [a.alloc(R * 4), a.alloc(R * 4)] : [0, 0];
    this.rows = new RowCache(R);
    this.workerRows = new RowCache(R);
  }

  private readonly lastIsLstm: boolean;
  private readonly lastH: number;

  /**
   * Emissions of many tweets (ids already validated).
   * @returns one `[L_i, K]` array per tweet
   */
  forwardBatch(batch: readonly CheckedInput[], worker: InferenceWorker | null = null): Float32Array[] {
    const results = batch.map((x) => new Float32Array(x.words.length * this.outputDim));
    let order = longestFirst(batch);
    if (order.length === 0) return results;
    const mark = this.arena.mark();
    let theirs: Plan | null = null;
    let ticket: WorkerTicket | null = null;
    if (worker !== null && order.length >= MIN_SPLIT_TWEETS) {
      // Every other tweet (by length) goes to the worker: equal work on both threads. Its plan
      // is laid out at the same addresses as ours, in its own memory.
      theirs = this.planForWorker(batch, order.filter((_, r) => r % 2 === 1), mark);
      ticket = this.startOn(worker, theirs);
      this.arena.release(mark);
      order = order.filter((_, r) => r % 2 === 0);
    }
    try {
      const plan = this.plan(batch, order, this.rows);
      for (const [name, ...args] of plan.calls) (this.arena.k[name] as (...xs: number[]) => void)(...args);
      this.extract(batch, plan, this.arena.f32(plan.outAt, plan.outBytes / 4), results);
    } catch (error) {
      this.rows.clear(); // (rows it planned may not have been computed)
      this.arena.release(mark);
      if (ticket !== null && worker !== null) {
        try {
          this.finishOn(worker, ticket); // collected, so that the worker is free again
        } catch {
          // (the first error is the one to report)
        }
      }
      throw error;
    }
    this.arena.release(mark);
    if (theirs !== null && ticket !== null && worker !== null) this.extract(batch, theirs, this.finishOn(worker, ticket).rows, results);
    return results;
  }

  /**
   * Starts a whole batch (one packed chunk) on `worker` and returns at once; `finish()` blocks
   * until its emissions are back. The worker's plan is laid out in this memory and released: the
   * worker runs it in its own.
   */
  startOnWorker(batch: readonly CheckedInput[], worker: InferenceWorker): { finish(): Float32Array[]; workerMs(): number; ready(): boolean } {
    const results = batch.map((x) => new Float32Array(x.words.length * this.outputDim));
    const order = longestFirst(batch);
    if (order.length === 0) return { finish: () => results, workerMs: () => 0, ready: () => true };
    const mark = this.arena.mark();
    const plan = this.planForWorker(batch, order, mark);
    const ticket = this.startOn(worker, plan);
    this.arena.release(mark);
    let ms = 0;
    return {
      finish: () => {
        const done = this.finishOn(worker, ticket);
        ms = done.ms;
        this.extract(batch, plan, done.rows, results);
        return results;
      },
      workerMs: () => ms,
      ready: () => worker.ready(ticket),
    };
  }

  /** Requests on the worker not yet collected (their sequence numbers), and those planned before a failure there. */
  private readonly outstanding = new Set<number>();
  private readonly doomed = new Set<number>();

  private startOn(worker: InferenceWorker, plan: Plan): WorkerTicket {
    const ticket = worker.start(plan, this.view(plan.inputAt, plan.inputEnd));
    this.outstanding.add(ticket.seq);
    return ticket;
  }

  /**
   * A plan for the worker's memory; if planning fails (the kernel memory cannot grow), the
   * worker's table is forgotten, since the plan may already have given rows to tokens it will
   * never compute, and the arena is released to `mark`.
   */
  private planForWorker(batch: readonly CheckedInput[], order: number[], mark: number): Plan {
    try {
      return this.plan(batch, order, this.workerRows);
    } catch (error) {
      this.workerRows.clear();
      this.arena.release(mark);
      throw error;
    }
  }

  /**
   * The worker's output rows for `ticket`; if it failed, its table is forgotten (rows it was to
   * fill may be missing), and so are the batches planned before that was known, which are still
   * on the worker: each fails when collected, as its plan counted on those rows.
   */
  private finishOn(worker: InferenceWorker, ticket: WorkerTicket): { rows: Float32Array; ms: number } {
    this.outstanding.delete(ticket.seq);
    let done: { rows: Float32Array; ms: number };
    try {
      done = worker.finish(ticket);
    } catch (error) {
      this.workerRows.clear();
      for (const seq of this.outstanding) this.doomed.add(seq);
      this.doomed.delete(ticket.seq);
      throw error;
    }
    if (this.doomed.delete(ticket.seq)) {
      throw new KernelError('InferenceBiLstm', 'an earlier batch failed on the worker thread, and this one was planned with the rows that batch was to compute; tag it again', 'WORKER_FAILED');
    }
    return done;
  }

  /**
   * Lays out one packed batch (tweets `order`, longest first) in kernel memory from the current
   * mark: writes the inputs and returns the kernel calls that compute the emissions. Tokens
   * whose rows `cache` (the row table of the memory the plan runs in) lacks get rows there,
   * computed first; a batch with more distinct tokens than the table holds computes all its rows
   * into scratch instead, leaving the table as it was.
   */
  plan(batch: readonly CheckedInput[], order: number[], cache: RowCache): Plan {
    const a = this.arena;
    const m = order.length;
    const steps = batch[order[0]].words.length;
    const inputAt = a.mark();
    const bsPtr = a.alloc(steps * 4);
    const bs = a.i32(bsPtr, steps);
    const offsets = new Int32Array(steps + 1);
    let cnt = m;
    for (let s = 0; s < steps; s++) {
      while (batch[order[cnt - 1]].words.length <= s) cnt--;
      bs[s] = cnt;
      offsets[s + 1] = offsets[s] + cnt;
    }
    const N = offsets[steps];
    // The distinct tokens (word id and char ids) in packed-row order, and each row's token.
    const C = this.cnn === null ? 0 : this.cnn.maxChars;
    const short = this.shape.charVocabSize <= 0x10000; // char ids fit one UTF-16 code unit each
    const tokenOfRow = new Int32Array(N);
    const keys: string[] = [];
    const firsts: number[] = []; // per distinct token: its tweet (order index) and position
    const seen = new Map<string, number>();
    const codes = new Array<number>(C + 2); // a key's UTF-16 code units: the id's two halves, then the chars
    for (let s = 0; s < steps; s++) {
      for (let r = 0; r < offsets[s + 1] - offsets[s]; r++) {
        const x = batch[order[r]];
        const id = x.words[s];
        let key: string;
        if (short) {
          // (one flat string at once: appending a char at a time builds a rope that each Map lookup flattens)
          codes[0] = id & 0xffff;
          codes[1] = id >>> 16;
          const cs = x.chars as ArrayLike<number>;
          for (let c = 0; c < C; c++) codes[c + 2] = cs[s * C + c];
          key = String.fromCharCode.apply(null, codes);
        } else {
          key = `${id}:${Array.prototype.slice.call(x.chars as ArrayLike<number>, s * C, (s + 1) * C).join(',')}`;
        }
        let u = seen.get(key);
        if (u === undefined) {
          u = keys.length;
          seen.set(key, u);
          keys.push(key);
          firsts.push(r, s);
        }
        tokenOfRow[offsets[s] + r] = u;
      }
    }
    const D = keys.length;
    // Rows of the table (or of scratch) per distinct token, and the tokens to compute.
    const cached = D <= cache.capacity;
    const slotOf = new Int32Array(D); // a row of the table, or -1 - k: the k-th transient row
    const fresh: number[] = []; // distinct-token indices to compute
    let transient = 0;
    if (cached) {
      transient = cache.assign(keys, slotOf, fresh);
    } else {
      for (let u = 0; u < D; u++) {
        slotOf[u] = u;
        fresh.push(u);
      }
    }
    // The tokens to compute: those given a row of the table first (Ma), then the transient
    // ones (not admitted to the table: their rows are computed for this plan alone, in order k).
    const computeOrder = [...fresh.filter((u) => slotOf[u] >= 0), ...fresh.filter((u) => slotOf[u] < 0)];
    const M = computeOrder.length;
    const Ma = M - transient;
    const slotsPtr = a.alloc(N * 4);
    const rowsPtr = a.alloc(N * 4);
    const maskPtr = a.alloc(N);
    {
      const slots = a.i32(slotsPtr, N); // each packed row's row of the table (a transient token's: 0, overwritten)
      const rows = a.i32(rowsPtr, N);
      const mask = a.u8(maskPtr, N);
      for (let q = 0; q < N; q++) slots[q] = Math.max(0, slotOf[tokenOfRow[q]]);
      for (let r = 0; r < m; r++) {
        const tw = batch[order[r]].words;
        const L = tw.length;
        for (let t = 0; t < L; t++) {
          mask[offsets[t] + r] = tw[t] === 0 ? 0 : 1;
          rows[offsets[t] + r] = offsets[L - 1 - t] + r; // backward: processing step t reads position L-1-t
        }
      }
    }
    // The tokens to compute: word ids [M] and embeddings [M, E], char ids [M, C], the table rows
    // the first Ma go to [Ma], and the CSR [0, 1, …, B] that adds one char row to each word row of a block.
    let idsPtr = 0;
    let charsPtr = 0;
    let destPtr = 0;
    let identityPtr = 0;
    let embAll = 0;
    let embStepsAll = 0;
    const E = this.embeddingDim;
    const wq = this.wordKernelQ;
    const B = Math.min(M, ROW_BLOCK);
    if (M > 0) {
      idsPtr = a.alloc(M * 4);
      destPtr = a.alloc(Math.max(1, Ma) * 4);
      const ids = a.i32(idsPtr, M);
      const dest = a.i32(destPtr, Math.max(1, Ma));
      computeOrder.forEach((u, k) => {
        ids[k] = batch[order[firsts[2 * u]]].words[firsts[2 * u + 1]];
        if (k < Ma) dest[k] = slotOf[u];
      });
      // The new tokens' embedding rows [M, E], gathered now into the inputs: a worker's memory
      // has no embeddings, so its plan carries them.
      if (wq === null) {
        embAll = a.alloc(M * E * 4);
        a.k.gatherRows(embAll, this.emb, idsPtr, M, E);
      } else {
        // (rows of kp i16 values are kp / 2 floats' worth of bytes)
        embAll = a.alloc(M * wq[0].kp * 2);
        a.k.gatherRows(embAll, this.emb, idsPtr, M, wq[0].kp / 2);
        embStepsAll = a.alloc(M * 4);
        a.k.gatherRows(embStepsAll, this.embSteps, idsPtr, M, 1);
      }
      if (C > 0) {
        charsPtr = a.alloc(M * C * 4);
        const chars = a.i32(charsPtr, M * C);
        computeOrder.forEach((u, k) => {
          const cs = batch[order[firsts[2 * u]]].chars as ArrayLike<number>;
          const t = firsts[2 * u + 1];
          for (let c = 0; c < C; c++) chars[k * C + c] = cs[t * C + c];
        });
      }
      identityPtr = a.alloc((B + 1) * 4);
      const identity = a.i32(identityPtr, B + 1);
      for (let q = 0; q <= B; q++) identity[q] = q;
    }
    // Where the transient tokens' rows go: each occurrence (packed row) and the token's index in
    // its block of B, grouped by block.
    let posDst = 0;
    let posSrc = 0;
    const blockStart: number[] = [];
    if (transient > 0) {
      const blocks = Math.ceil(transient / B);
      const counts = new Int32Array(blocks + 1);
      for (let q = 0; q < N; q++) {
        const v = slotOf[tokenOfRow[q]];
        if (v < 0) counts[Math.floor((-1 - v) / B) + 1]++;
      }
      for (let b = 0; b < blocks; b++) counts[b + 1] += counts[b];
      blockStart.push(...counts);
      const total = counts[blocks];
      posDst = a.alloc(total * 4);
      posSrc = a.alloc(total * 4);
      const dst = a.i32(posDst, total);
      const src = a.i32(posSrc, total);
      const next = counts.slice(0, blocks);
      for (let q = 0; q < N; q++) {
        const v = slotOf[tokenOfRow[q]];
        if (v >= 0) continue;
        const k = -1 - v;
        const b = Math.floor(k / B);
        dst[next[b]] = q;
        src[next[b]++] = k - b * B;
      }
    }
    let foPtr = 0;
    let fiPtr = 0;
    if (this.features !== null) {
      let nnz = 0;
      for (const i of order) nnz += (batch[i].featureIndices as ArrayLike<number>).length;
      foPtr = a.alloc((N + 1) * 4);
      fiPtr = a.alloc(Math.max(1, nnz) * 4);
      const fo = a.i32(foPtr, N + 1);
      const fi = a.i32(fiPtr, Math.max(1, nnz));
      let q = 0;
      let row = 0;
      // (views made before an alloc may be detached by the growth of memory: `bs` is not used here)
      for (let s = 0; s < steps; s++) {
        for (let r = 0; r < offsets[s + 1] - offsets[s]; r++) {
          const x = batch[order[r]];
          const xo = x.featureOffsets as ArrayLike<number>;
          const xi = x.featureIndices as ArrayLike<number>;
          fo[row++] = q;
          for (let p = xo[s]; p < xo[s + 1]; p++) fi[q++] = xi[p];
        }
      }
      fo[N] = q;
    }
    const inputEnd = a.mark();
    const calls: KernelCall[] = [];
    const first = this.lstms[0];
    const gp0 = 4 * first.hp;
    // Where the rows live: the table, or scratch [D, 4Hp] per direction for an oversized batch
    // (in 16 bits too with precision 'int16', so that a row's numbers never depend on where it
    // was kept).
    const int16 = wq !== null;
    const rowBytes = int16 ? 2 : 4;
    const tables: [number, number] = cached ? this.rowTables : [a.alloc(D * gp0 * rowBytes), a.alloc(D * gp0 * rowBytes)];
    const steps16: [number, number] = !int16 ? [0, 0] : cached ? this.rowSteps : [a.alloc(D * 4), a.alloc(D * 4)];
    const row16 = int16 && transient > 0 ? a.alloc(gp0 * 2) : 0;
    // A new token's row, per direction: (embedding · word rows + bias) + (char features · char
    // rows), the two products apart and then added, as each row has always been summed; in
    // blocks of ROW_BLOCK tokens, which bounds the scratch (a row of a product depends on its
    // token alone, so the blocks change no number).
    const cnn = this.cnn;
    const width = cnn === null ? 0 : cnn.widths.length * cnn.fp;
    // precision 'int16': each new token's char features rounded per row for gemmQ (its
    // embedding row was rounded at load)
    const cq = cnn === null ? null : cnn.kernelQ;
    const wordPart = M > 0 ? a.alloc(B * gp0 * 4) : 0;
    const charPart = M > 0 && cnn !== null ? a.alloc(B * gp0 * 4) : 0;
    /** Char features (and their rounding) of tokens k0 … k0+n of computeOrder into the given buffers. */
    const charFeatures = (k0: number, n: number, feats: number, featsQ: number, featSteps: number): void => {
      if (cnn === null) return;
      cnn.widths.forEach((w, i) => calls.push(['charCnnMax', feats, width, i * cnn.fp, charsPtr + 4 * C * k0, n, C, w, cnn.fp, cnn.tables[i], cnn.biases[i]]));
      if (cq !== null) calls.push(['quantizeRows', featsQ, cq[0].kp, feats, width, n, width, cq[0].qmax, featSteps]);
    };
    /** Rows of tokens k0 … k0+n (direction dir) into wordPart, from their char features in feats / featsQ / featSteps. */
    const rowsOf = (dir: number, k0: number, n: number, feats: number, featsQ: number, featSteps: number): void => {
      const emb = wq === null ? embAll + 4 * E * k0 : embAll + 2 * wq[0].kp * k0;
      if (wq === null) calls.push(['gemmBias', wordPart, gp0, emb, E, this.wordKernel[dir], gp0, first.bias[dir], n, E, gp0, 0]);
      else calls.push(['gemmBiasQ', wordPart, gp0, emb, wq[dir].kp, wq[dir].q, wq[dir].step, embStepsAll + 4 * k0, first.bias[dir], n, gp0]);
      if (cnn !== null) {
        if (cq === null) calls.push(['gemmBias', charPart, gp0, feats, width, cnn.kernel[dir], gp0, this.zeros, n, width, gp0, 0]);
        else calls.push(['gemmBiasQ', charPart, gp0, featsQ, cq[dir].kp, cq[dir].q, cq[dir].step, featSteps, this.zeros, n, gp0]);
        calls.push(['addRowsCsr', wordPart, gp0, charPart, gp0, identityPtr, identityPtr, n, gp0]);
      }
    };
    if (Ma > 0) {
      // the admitted tokens' rows, into the table (both directions per block)
      const feats = cnn === null ? 0 : a.alloc(B * width * 4);
      const featsQ = cq === null ? 0 : a.alloc(B * cq[0].kp * 2);
      const featSteps = cq === null ? 0 : a.alloc(B * 4);
      for (let k0 = 0; k0 < Ma; k0 += B) {
        const n = Math.min(B, Ma - k0);
        charFeatures(k0, n, feats, featsQ, featSteps);
        for (const dir of [0, 1]) {
          rowsOf(dir, k0, n, feats, featsQ, featSteps);
          calls.push(int16 ? ['scatterRows16', tables[dir], steps16[dir], wordPart, destPtr + 4 * k0, n, gp0] : ['scatterRows', tables[dir], wordPart, destPtr + 4 * k0, n, gp0]);
        }
      }
    }
    // The transient tokens' char features, kept for both directions (their rows are computed
    // per direction, straight into its pre-activations, after the gather).
    const tFeats = transient > 0 && cnn !== null ? a.alloc(transient * width * 4) : 0;
    const tFeatsQ = transient > 0 && cq !== null ? a.alloc(transient * cq[0].kp * 2) : 0;
    const tFeatSteps = transient > 0 && cq !== null ? a.alloc(transient * 4) : 0;
    if (transient > 0) charFeatures(Ma, transient, tFeats, tFeatsQ, tFeatSteps);
    const maxHp = Math.max(...this.lstms.map((l) => l.hp));
    // x·kernel + bias per direction. The first layer's two directions take turns in one buffer
    // (the backward one is built after the forward LSTM has run); a later layer reads X, which
    // its LSTMs overwrite, so it needs both at once.
    const xzF = a.alloc(N * 4 * maxHp * 4);
    const xzB = this.lstms.length > 1 ? a.alloc(N * 4 * maxHp * 4) : xzF;
    const X = a.alloc(N * 2 * maxHp * 4);
    const hPtr = a.alloc(m * maxHp * 4);
    const cPtr = a.alloc(m * maxHp * 4);
    const zPtr = a.alloc(m * 4 * maxHp * 4);
    const hqPtr = this.lstms[0].recQ === null ? 0 : a.alloc(m * maxHp * 2);
    const hard = this.hard ? 1 : 0;
    const lstm = (layer: PackedLstm, dir: number, xz: number): KernelCall => {
      const rows = dir === 0 ? 0 : rowsPtr;
      const outCol = dir === 0 ? 0 : layer.hp;
      const q = layer.recQ;
      return q === null
        ? ['lstmPacked', xz, rows, bsPtr, steps, layer.hp, layer.rec[dir], maskPtr, hard, X, 2 * layer.hp, outCol, hPtr, cPtr, zPtr]
        : ['lstmPackedQ', xz, rows, bsPtr, steps, layer.hp, q.kernel[dir], q.scale[dir], q.qmax, maskPtr, hard, X, 2 * layer.hp, outCol, hPtr, cPtr, zPtr, hqPtr];
    };
    this.lstms.forEach((layer, l) => {
      const gp = 4 * layer.hp;
      if (l === 0) {
        for (const dir of [0, 1]) {
          const xz = dir === 0 ? xzF : xzB;
          calls.push(int16 ? ['gatherRows16', xz, tables[dir], steps16[dir], slotsPtr, N, gp] : ['gatherRows', xz, tables[dir], slotsPtr, N, gp]);
          for (let b = 0, t0 = 0; t0 < transient; b++, t0 += B) {
            const n = Math.min(B, transient - t0);
            rowsOf(dir, Ma + t0, n, tFeats + 4 * width * t0, cq === null ? 0 : tFeatsQ + 2 * cq[0].kp * t0, tFeatSteps + 4 * t0);
            if (int16) calls.push(['roundRows16', wordPart, n, gp, row16]); // (as the table would keep them)
            calls.push(['copyRows', xz, posDst + 4 * blockStart[b], wordPart, posSrc + 4 * blockStart[b], blockStart[b + 1] - blockStart[b], gp]);
          }
          if (this.features !== null) calls.push(['addRowsCsr', xz, gp, this.features[dir], gp, foPtr, fiPtr, N, gp]);
          calls.push(lstm(layer, dir, xz));
        }
      } else {
        calls.push(
          ['gemmBias', xzF, gp, X, layer.inP, layer.kernel[0], gp, layer.bias[0], N, layer.inP, gp, 0],
          ['gemmBias', xzB, gp, X, layer.inP, layer.kernel[1], gp, layer.bias[1], N, layer.inP, gp, 0],
          lstm(layer, 0, xzF),
          lstm(layer, 1, xzB),
        );
      }
    });
    let cur = X;
    let curW = 2 * this.lstms[this.lstms.length - 1].hp;
    const maxOut = Math.max(0, ...this.dense.map((d) => d.outP));
    const bufs = [a.alloc(N * maxOut * 4), a.alloc(N * maxOut * 4)];
    this.dense.forEach((d, i) => {
      const dst = bufs[i % 2];
      calls.push(['gemmBias', dst, d.outP, cur, curW, d.kernel, d.outP, d.bias, N, d.inP, d.outP, d.relu ? 1 : 0]);
      cur = dst;
      curW = d.outP;
    });
    return { order, offsets, calls, computed: M, inputAt, inputEnd, top: a.mark(), outAt: cur, outBytes: N * curW * 4, width: curW };
  }

  /** Copies a plan's output rows `y` into the per-tweet results. */
  extract(batch: readonly CheckedInput[], plan: Plan, y: Float32Array, results: Float32Array[]): void {
    const K = this.outputDim;
    const W = plan.width;
    const hp = this.lstms[this.lstms.length - 1].hp;
    plan.order.forEach((i, r) => {
      const out = results[i];
      const L = batch[i].words.length;
      for (let t = 0; t < L; t++) {
        const src = (plan.offsets[t] + r) * W;
        const dst = t * K;
        if (this.lastIsLstm) {
          for (let j = 0; j < this.lastH; j++) {
            out[dst + j] = y[src + j];
            out[dst + this.lastH + j] = y[src + hp + j];
          }
        } else {
          for (let j = 0; j < K; j++) out[dst + j] = y[src + j];
        }
      }
    });
  }

  /** What a worker's copy of kernel memory needs: the weights but the embeddings (its plans carry the rows they use). */
  weightsSnapshot(): { base: number; bytes: Uint8Array } {
    const base = this.arena.k.heapBase();
    return { base, bytes: new Uint8Array(this.arena.k.memory.buffer, base, this.workerWeightsEnd - base).slice() };
  }

  /** Kernel memory bytes `[from, to)`, not copied (valid until the memory grows). */
  view(from: number, to: number): Uint8Array {
    return new Uint8Array(this.arena.k.memory.buffer, from, to - from);
  }

  /** The current top of kernel memory (everything above is scratch). */
  mark(): number {
    return this.arena.mark();
  }

  release(mark: number): void {
    this.arena.release(mark);
  }
}

/** Indices of the non-empty tweets, longest first (ties in input order): a packed batch's order. */
function longestFirst(batch: readonly CheckedInput[]): number[] {
  const order = Array.from({ length: batch.length }, (_, i) => i).filter((i) => batch[i].words.length > 0);
  return order.sort((x, y) => batch[y].words.length - batch[x].words.length || x - y);
}

/** A kernel export's name and its numeric arguments. */
export type KernelCall = [KernelName, ...number[]];
/** The kernel exports a plan may call (a worker's mailbox names them by index in this list). */
export const PLAN_KERNELS = ['gatherRows', 'scatterRows', 'gemmBias', 'gemmAcc', 'lstmPacked', 'lstmPackedQ', 'gemmBiasQ', 'quantizeRows', 'charCnnMax', 'addRowsCsr', 'copyRows', 'scatterRows16', 'gatherRows16', 'roundRows16'] as const;
type KernelName = (typeof PLAN_KERNELS)[number];

/** One packed batch laid out in kernel memory. */
export interface Plan {
  order: number[];
  offsets: Int32Array;
  calls: KernelCall[];
  /** How many tokens' rows the plan computes (those its memory's table lacked). */
  computed: number;
  /** Inputs lie in `[inputAt, inputEnd)`; everything the plan uses lies below `top`. */
  inputAt: number;
  inputEnd: number;
  top: number;
  outAt: number;
  outBytes: number;
  /** Floats per output row. */
  width: number;
}
