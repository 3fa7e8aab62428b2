/**
 * The serving path: a saved run folder tagged without tfjs. The emission network runs on
 * `@twner/kernels`' `InferenceBiLstm` (WebAssembly SIMD, optionally a second thread) and the
 * CRF on `@twner/crf`'s plain-TypeScript `CRFDecoder`, with the run's start/end scores and its
 * IOB2 constraints. Tokens are encoded exactly as in training (`TokenVocabulary.indexOf`).
 *
 * `InferenceBiLstm` expresses both architectures: word embedding (+ char CNN, + the casing and
 * gazetteer features as sparse 0/1 rows) → BiLSTM × n → Dense × m (dropout is the identity at
 * inference), and an ensemble as the mean of its members' emissions and CRF scores.
 * {@link servingSupport} refuses only a model it cannot express (one without a BiLSTM layer) and
 * says why; `--engine tfjs` tags that one.
 */
import { TokenVocabulary } from '@twner/conll';
import {
  InferenceBiLstm,
  type InferenceBiLstmConfig,
  type InferenceInput,
  MIN_SPLIT_TWEETS,
  type Precision,
  type TweetInputs,
  wasmKernelsAvailable,
} from '@twner/kernels/inference';
import { casingActive, CASING_FEATURES } from '../features/casing';
import { charIds, charLookup, type CharIndex } from '../features/chars';
import { gazetteerIndicesOf, mentionMatches, normaliseGazToken, type GazetteerScheme, type TokenGazetteerCache } from '../features/gazetteer';
import type { EmissionEngine, WorkerJob } from '../engine';
import type { Gazetteer } from '../features/gazetteer';
import { RunFolderError } from '../errors';
import type { RunConfig } from '../run-folder/config';
import { readModelJson, type ModelFiles } from '../run-folder/model-files';
import { wordId } from '../data/word-lookup';

/** Whether a run's model can be served by `InferenceBiLstm`. */
export type ServingSupport = { ok: true } | { ok: false; reason: string };

export function servingSupport(config: RunConfig): ServingSupport {
  const m = config.model;
  if (m.arch === 'notebook') return { ok: true };
  if (m.layers < 1) return { ok: false, reason: 'the model has no BiLSTM layer' };
  return { ok: true };
}

/**
 * The inputs of the default architecture for one tweet, as `InferenceBiLstm` takes them: word
 * ids, char ids (FusedCharCNN's layout) and the active casing/gazetteer features (CSR). The
 * gazetteer's match-count feature (values k/4) is expanded into four 0/1 features whose kernel
 * rows are the count row scaled by 1/4, 2/4, 3/4 and 1 (see {@link expandCountRow}).
 */
interface FeatureLayout {
  casing: boolean;
  gazetteer: Gazetteer | null;
  scheme: GazetteerScheme;
  /** Index of the count feature in the trained layout, or -1. */
  countIndex: number;
}

function featureLayout(config: RunConfig, gazetteer: Gazetteer | null): FeatureLayout {
  const scheme = config.gazetteerScheme ?? 'BI';
  const casing = config.useCasing;
  const countIndex = gazetteer && scheme === 'BIES' ? (casing ? CASING_FEATURES.length : 0) + gazetteer.names.length * 4 : -1;
  return { casing, gazetteer, scheme, countIndex };
}

/**
 * Active feature indices of a tweet (CSR), in the expanded layout: `casing(t, out)` pushes token
 * t's casing features, `gazetteerInputs` are the normalised tokens and what the engine keeps per
 * token for the gazetteer (the longest phrase each starts, its `@mention` match).
 */
function activeFeatures(
  layout: FeatureLayout,
  tokens: readonly string[],
  casing: (t: number, out: number[]) => void,
  gazetteerInputs: { norm: readonly string[]; cache: TokenGazetteerCache },
): { offsets: Int32Array; indices: Int32Array } {
  const T = tokens.length;
  const offsets = new Int32Array(T + 1);
  const indices: number[] = [];
  const g = layout.gazetteer;
  const gaz = g === null ? null : gazetteerIndicesOf(g, tokens, gazetteerInputs.norm, gazetteerInputs.cache, layout.scheme);
  const base = layout.casing ? CASING_FEATURES.length : 0;
  const count = layout.countIndex;
  for (let t = 0; t < T; t++) {
    if (layout.casing) casing(t, indices);
    if (gaz) {
      const row = gaz.rows[t];
      for (let q = 0; q < row.length; q++) {
        const at = base + row[q];
        // The match count k/4 (k lists, capped at 4) becomes the k-th of its four expanded rows;
        // features after it shift by 3.
        if (at === count) indices.push(at + Math.min(4, gaz.counts[t]) - 1);
        else indices.push(count >= 0 && at > count ? at + 3 : at);
      }
    }
    offsets[t + 1] = indices.length;
  }
  return { offsets, indices: Int32Array.from(indices) };
}

/**
 * The first LSTM kernel [D, 4H] with the count feature's row replaced by the row scaled by
 * 1/4, 2/4, 3/4 and 1 (D grows by 3); `row` is the count feature's row index in the kernel.
 */
function expandCountRow(kernel: Float32Array, width: number, row: number): Float32Array {
  const D = kernel.length / width;
  const out = new Float32Array((D + 3) * width);
  out.set(kernel.subarray(0, row * width), 0);
  for (let k = 1; k <= 4; k++) {
    const dst = (row + k - 1) * width;
    for (let j = 0; j < width; j++) out[dst + j] = Math.fround((k / 4) * kernel[row * width + j]);
  }
  out.set(kernel.subarray((row + 1) * width), (row + 4) * width);
  return out;
}

interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: string;
}

interface ModelJson {
  weightsManifest: { paths: string[]; weights: ManifestWeight[] }[];
}

/** The weights of `<net>/weights.bin` by name, read without tfjs. */
async function readWeights(files: ModelFiles, net: string): Promise<Map<string, { shape: number[]; values: Float32Array }>> {
  const json = (await readModelJson(files, `${net}/model.json`)) as ModelJson;
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const group of json.weightsManifest) {
    const parts = await Promise.all(group.paths.map((p) => files.read(`${net}/${p}`)));
    const bytes = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of parts) {
      bytes.set(b, at);
      at += b.length;
    }
    let offset = 0;
    for (const w of group.weights) {
      if (w.dtype !== 'float32') throw new RunFolderError(files.where, `${net}: weight ${w.name} is ${w.dtype}, the serving path reads float32 only`);
      const size = w.shape.reduce((a, b) => a * b, 1);
      if (offset + 4 * size > bytes.length) throw new RunFolderError(files.where, `${net}/weights.bin holds ${bytes.length} bytes, the manifest more: the weights were cut off`);
      const values = new Float32Array(size);
      // Copy (offsets need not be 4-byte aligned).
      new Uint8Array(values.buffer).set(bytes.subarray(offset, offset + 4 * size));
      offset += 4 * size;
      out.set(w.name, { shape: w.shape, values });
    }
    if (offset !== bytes.length) throw new RunFolderError(files.where, `${net}/weights.bin holds ${bytes.length} bytes, the manifest ${offset}`);
  }
  return out;
}

/**
 * The weights in `InferenceBiLstm`'s order: word embeddings; per BiLSTM forward kernel,
 * recurrent kernel, bias, then backward; the hidden Dense (if any); the emissions Dense.
 * Found by layer name (`word_embedding`, `bilstm_<n>`, `emissions`; the hidden layer is the
 * remaining kernel/bias pair), each shape checked.
 */
function orderWeights(
  weights: Map<string, { shape: number[]; values: Float32Array }>,
  config: RunConfig,
  /** The run folder and the network's weights file (`model/weights.bin`), as errors name them. */
  dir: string,
  file: string,
): { arrays: Float32Array[]; net: InferenceBiLstmConfig } {
  const m = config.model;
  const used = new Set<string>();
  const take = (pick: (name: string) => boolean, what: string, shape: number[]): Float32Array => {
    const hits = [...weights.keys()].filter((n) => !used.has(n) && pick(n));
    if (hits.length !== 1) throw new RunFolderError(dir, `${file}: expected one ${what} weight, found ${hits.length} (${[...weights.keys()].join(', ') || 'none'}); config.json and model.json disagree`);
    const w = weights.get(hits[0])!;
    if (w.shape.join(',') !== shape.join(',')) throw new RunFolderError(dir, `${file}: weight ${hits[0]} has shape [${w.shape}], config.json says [${shape}]`);
    used.add(hits[0]);
    return w.values;
  };
  const arrays: Float32Array[] = [take((n) => n.startsWith('word_embedding/'), 'word embedding', [m.vocabSize, m.embeddingDim])];
  let inDim = m.embeddingDim;
  let charCnn: InferenceBiLstmConfig['charCnn'];
  if (m.arch === 'char-gazetteer' && m.charVocabSize > 0) {
    const widths = m.charKernels ?? [m.charKernel];
    const fused = m.charCnnFused === true;
    // FusedCharCNN (`char_cnn/embeddings`, `kernel_w<w>`, `bias_w<w>`) or the older layer
    // composition (`char_embedding`, then `char_cnn[_w<w>]` dense kernels): the same numbers.
    arrays.push(take((n) => n === (fused ? 'char_cnn/embeddings' : 'char_embedding/embeddings'), 'char embedding', [m.charVocabSize, m.charDim]));
    for (const w of widths) {
      const sfx = widths.length > 1 ? `_w${w}` : '';
      arrays.push(take((n) => n === (fused ? `char_cnn/kernel_w${w}` : `char_cnn${sfx}/kernel`), `char CNN kernel (width ${w})`, [w * m.charDim, m.charFilters]));
      arrays.push(take((n) => n === (fused ? `char_cnn/bias_w${w}` : `char_cnn${sfx}/bias`), `char CNN bias (width ${w})`, [m.charFilters]));
    }
    charCnn = { vocabSize: m.charVocabSize, dim: m.charDim, filters: m.charFilters, widths, maxChars: m.maxChars };
    inDim += m.charFilters * widths.length;
  }
  const featureDim = m.arch === 'char-gazetteer' ? m.featureDim : 0;
  inDim += featureDim;
  for (let l = 1; l <= m.layers; l++) {
    for (const side of ['forward', 'backward']) {
      const re = (w: string): RegExp => new RegExp(`^bilstm_${l}/${side}[^/]*/${w}$`);
      arrays.push(take((n) => re('kernel').test(n), `bilstm_${l} ${side} kernel`, [inDim, 4 * m.units]));
      arrays.push(take((n) => re('recurrent_kernel').test(n), `bilstm_${l} ${side} recurrent kernel`, [m.units, 4 * m.units]));
      arrays.push(take((n) => re('bias').test(n), `bilstm_${l} ${side} bias`, [4 * m.units]));
    }
    inDim = 2 * m.units;
  }
  const dense: InferenceBiLstmConfig['dense'] = [];
  if (m.denseUnits > 0) {
    const hidden = (n: string): boolean => !n.startsWith('emissions/') && !n.startsWith('word_embedding/') && !n.startsWith('bilstm_') && !n.startsWith('char_');
    arrays.push(take((n) => hidden(n) && n.endsWith('/kernel'), 'hidden dense kernel', [inDim, m.denseUnits]));
    arrays.push(take((n) => hidden(n) && n.endsWith('/bias'), 'hidden dense bias', [m.denseUnits]));
    dense.push({ units: m.denseUnits, activation: 'relu' });
    inDim = m.denseUnits;
  }
  arrays.push(take((n) => n === 'emissions/kernel', 'emissions kernel', [inDim, m.numTags]));
  arrays.push(take((n) => n === 'emissions/bias', 'emissions bias', [m.numTags]));
  dense.push({ units: m.numTags, activation: 'linear' });
  return {
    arrays,
    net: {
      vocabSize: m.vocabSize,
      embeddingDim: m.embeddingDim,
      lstmUnits: Array.from({ length: m.layers }, () => m.units),
      dense,
      recurrentActivation: m.recurrentActivation ?? 'hardSigmoid',
      ...(charCnn ? { charCnn } : {}),
      ...(featureDim > 0 ? { featureDim } : {}),
    },
  };
}

/** Distinct tokens whose encoding the serving engine keeps (then it starts over). */
const TOKEN_CACHE = 200_000;

/** Options of {@link loadServingEngine}. */
export interface ServingOptions {
  /**
   * Threads of the batched forward pass: with 2, a batch of 16 or more is cut into units that a
   * worker thread takes from the front and this thread from the back (fewer tweets run one
   * ensemble member on each thread).
   */
  threads?: 1 | 2;
  /** Kernels of `InferenceBiLstm` (default: WebAssembly SIMD where the runtime has it). */
  kernels?: 'wasm' | 'typescript';
  /**
   * Distinct tokens whose first-layer rows each member keeps between batches, per thread (the
   * wasm kernels' `tokenRows`; default 4,096, about 6.5 MB per member and thread for the shipped
   * model with the default int16 precision, 13 MB with float32). Fewer is less memory and more rows recomputed.
   */
  tokenRows?: number;
  /**
   * The LSTMs' products on the wasm kernels (`InferenceBiLstm`'s `precision`): `'int16'` (the
   * default where the wasm kernels run; the shipped model's tags on all 3,850 WNUT16 test tweets
   * are identical to float32's and tfjs') or `'float32'` (emissions within 1e-5 of tfjs). The
   * TypeScript kernels always compute in float.
   */
  precision?: Precision;
  /** The gazetteer of a model with gazetteer features. */
  gazetteer?: Gazetteer | null;
}

/**
 * The tfjs-free engine of a model (every member of an ensemble, emissions averaged), its files
 * read through `files`; `nets` are the networks' folders (`model`, `members/2`, …). Throws a
 * {@link RunFolderError} naming the layer when {@link servingSupport} says no.
 */
export async function servingEngineFromFiles(runConfig: RunConfig, files: ModelFiles, nets: readonly string[], options: ServingOptions = {}): Promise<EmissionEngine> {
  const run = { config: runConfig, dir: files.where };
  const support = servingSupport(run.config);
  if (!support.ok) throw new RunFolderError(run.dir, `the serving engine cannot run this model: ${support.reason}; use the tfjs engine (--engine tfjs)`);
  const vocabJson = await readModelJson(files, 'vocab.json');
  let vocab: TokenVocabulary;
  try {
    vocab = TokenVocabulary.fromJSON(vocabJson as Parameters<typeof TokenVocabulary.fromJSON>[0]);
  } catch (error) {
    throw new RunFolderError(run.dir, `vocab.json: ${(error as Error).message}`, { cause: error });
  }
  const m = run.config.model;
  const charGaz = m.arch === 'char-gazetteer';
  const gazetteer = charGaz && run.config.gazetteerLists.length > 0 ? (options.gazetteer ?? null) : null;
  if (charGaz && run.config.gazetteerLists.length > 0 && !gazetteer) {
    throw new RunFolderError(run.dir, 'the model uses gazetteer features: load it with its gazetteer (loadTagger finds the WNUT16 lists like the data: --lexicon-dir, $TWNER_LEXICON_DIR, …)');
  }
  if (gazetteer) {
    const names = gazetteer.names.join(',');
    if (names !== run.config.gazetteerLists.join(',')) throw new RunFolderError(run.dir, `the gazetteer has lists ${names.slice(0, 80)}…, the model was trained with ${run.config.gazetteerLists.length} others`);
  }
  const layout = featureLayout(run.config, gazetteer);
  const lookup = run.config.wordLookup ?? 'exact';
  const chars = charGaz && m.charVocabSize > 0 ? charLookup((await readModelJson(files, 'chars.json')) as CharIndex) : null;
  const networks: InferenceBiLstm[] = [];
  const wasm = options.kernels === undefined ? wasmKernelsAvailable() : options.kernels === 'wasm';
  const precision = options.precision ?? (wasm ? 'int16' : 'float32');
  for (const net of nets) {
    const { arrays, net: netConfig } = orderWeights(await readWeights(files, net), run.config, run.dir, `${net}/weights.bin`);
    let config = netConfig;
    if (layout.countIndex >= 0) {
      // The first LSTM kernels (forward, backward) get the count feature's row expanded.
      const first = 1 + (config.charCnn ? 1 + 2 * config.charCnn.widths.length : 0);
      const row = m.embeddingDim + (config.charCnn ? m.charFilters * config.charCnn.widths.length : 0) + layout.countIndex;
      arrays[first] = expandCountRow(arrays[first], 4 * m.units, row);
      arrays[first + 3] = expandCountRow(arrays[first + 3], 4 * m.units, row);
      config = { ...config, featureDim: (config.featureDim ?? 0) + 3 };
    }
    networks.push(
      new InferenceBiLstm(arrays, config, {
        threads: options.threads ?? 1,
        ...(options.kernels ? { kernels: options.kernels } : {}),
        ...(options.tokenRows !== undefined ? { tokenRows: options.tokenRows } : {}),
        precision,
      }),
    );
  }
  // What depends on a token's text alone — its word id, char ids and casing features but the
  // position-dependent `first_token` — is computed once per distinct token (a bounded cache:
  // cleared when it reaches TOKEN_CACHE entries; a firehose repeats most tokens).
  const firstToken = CASING_FEATURES.indexOf('first_token');
  interface TokenInfo {
    word: number;
    chars: Int32Array | null;
    casing: number[];
    /** normaliseGazToken of it, the longest phrase it starts (0: none), its `@mention` match. */
    norm: string;
    longest: number;
    mention: boolean;
  }
  const cache = new Map<string, TokenInfo>();
  const info = (t: string): TokenInfo => {
    let hit = cache.get(t);
    if (hit === undefined) {
      const casing: number[] = [];
      if (layout.casing) {
        // (casingActive at a position other than 0: first_token is added per position below)
        casingActive([t, t], 1, casing);
      }
      const norm = gazetteer ? normaliseGazToken(t) : '';
      hit = {
        word: wordId(vocab, t, lookup),
        chars: chars ? Int32Array.from(charIds(t, chars, m.maxChars)) : null,
        casing,
        norm,
        longest: gazetteer ? gazetteer.phrases.longestFrom(norm) : 0,
        mention: gazetteer !== null && layout.scheme === 'BIES' && mentionMatches(gazetteer, t),
      };
      if (cache.size >= TOKEN_CACHE) cache.clear();
      cache.set(t, hit);
    }
    return hit;
  };
  const encode = (tokens: readonly string[]): InferenceInput => {
    const infos = tokens.map(info);
    const words = Int32Array.from(infos, (x) => x.word);
    if (!charGaz) return words;
    const input: TweetInputs = { words };
    if (chars) {
      const ids = new Int32Array(tokens.length * m.maxChars);
      infos.forEach((x, i) => ids.set(x.chars as Int32Array, i * m.maxChars));
      input.chars = ids;
    }
    if (m.featureDim > 0) {
      const { offsets, indices } = activeFeatures(layout, tokens, (i, out) => {
        let placed = i !== 0; // first_token, in index order, at position 0 only
        for (const f of infos[i].casing) {
          if (!placed && f > firstToken) {
            out.push(firstToken);
            placed = true;
          }
          out.push(f);
        }
        if (!placed) out.push(firstToken);
      }, { norm: infos.map((x) => x.norm), cache: { longest: (i) => infos[i].longest, mention: (i) => infos[i].mention } });
      input.featureOffsets = offsets;
      input.featureIndices = indices;
    }
    return input;
  };
  const K = run.config.labels.length;
  /** The members' emissions of each sentence, averaged (float32, members summed in order, then divided). */
  const average = (ids: { length: number }[], outs: Float32Array[][]): Float32Array[] => {
    let k = 0;
    return ids.map((x) => {
      if (x.length === 0) return new Float32Array(0);
      const first = outs[0][k];
      let mean = first;
      if (outs.length > 1) {
        mean = new Float32Array(first.length);
        for (const o of outs) {
          const e = o[k];
          for (let q = 0; q < e.length; q++) mean[q] += e[q];
        }
        for (let q = 0; q < mean.length; q++) mean[q] /= outs.length;
      }
      k++;
      return mean;
    });
  };
  const encodeAll = (sentences: readonly (readonly string[])[]) => {
    const ids = sentences.map((tokens) => ({ length: tokens.length, input: tokens.length > 0 ? encode(tokens) : null }));
    return { ids, nonEmpty: ids.filter((x) => x.input !== null).map((x) => x.input as InferenceInput) };
  };
  /** Encodes now; `start()` sends the batch to the worker thread, every member one after the other there. */
  const prepareOnWorker = (sentences: readonly (readonly string[])[]): { start(): WorkerJob | null } => {
    const encoded = (options.threads ?? 1) < 2 ? null : encodeAll(sentences);
    return {
      start: (): WorkerJob | null => {
        if (encoded === null) return null;
        const { ids, nonEmpty } = encoded;
        const jobs: WorkerJob[] = [];
        for (const net of networks) {
          const job = net.forwardBatchOnWorker(nonEmpty);
          if (job === null) {
            for (const started of jobs) started.finish();
            return null;
          }
          jobs.push(job);
        }
        return {
          finish: () => average(ids, jobs.map((j) => j.finish())),
          // (the members run one after the other on the one worker thread)
          workerMs: () => jobs.reduce((ms, j) => ms + j.workerMs(), 0),
          ready: () => jobs.every((j) => j.ready?.() ?? true),
        };
      },
    };
  };
  return {
    numTags: K,
    description: `serving (InferenceBiLstm on ${networks[0].kernels} kernels${precision === 'int16' ? ', int16 LSTM products' : ''}, ${options.threads ?? 1} thread(s)${networks.length > 1 ? `, ${networks.length} members averaged` : ''}; no tfjs)`,
    emissions(sentences) {
      const { ids, nonEmpty } = encodeAll(sentences);
      if (nonEmpty.length === 0) return average(ids, networks.map(() => []));
      // An ensemble with an idle worker thread: the last member runs there while this thread
      // runs the others (what lets one tweet at a time use both cores; a batch of 16 or more is
      // split by tweets instead, in forwardBatch or by the tagger).
      const last = networks[networks.length - 1];
      if (networks.length > 1 && nonEmpty.length < MIN_SPLIT_TWEETS && last.workerIdle) {
        const job = last.forwardBatchOnWorker(nonEmpty);
        if (job !== null) {
          let mine: Float32Array[][];
          try {
            mine = networks.slice(0, -1).map((net) => net.forwardBatch(nonEmpty));
          } catch (error) {
            job.finish(); // the worker's part is collected (its thread free again), then the error goes on
            throw error;
          }
          return average(ids, [...mine, job.finish()]);
        }
      }
      return average(ids, networks.map((net) => net.forwardBatch(nonEmpty)));
    },
    emissionsOnWorker: (sentences) => prepareOnWorker(sentences).start(),
    prepareOnWorker,
    async dispose() {
      await Promise.all(networks.map((n) => n.dispose()));
    },
  };
}
