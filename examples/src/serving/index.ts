/**
 * The serving path: a saved run folder tagged without tfjs. The emission network runs on
 * `@twner/kernels`' `InferenceBiLstm` (WebAssembly SIMD, optionally a second thread) and the
 * CRF on `@twner/crf`'s plain-TypeScript `CRFDecoder`, with the run's start/end scores and its
 * IOB2 constraints. Tokens are encoded exactly as in training (`TokenVocabulary.indexOf`).
 *
 * `InferenceBiLstm` expresses Embedding → BiLSTM × n → Dense × m, i.e. `--arch notebook`, and
 * `--arch char-gazetteer` only when it was trained without the char CNN and without the
 * casing/gazetteer features (dropout is the identity at inference). Any other model is tagged
 * by the tfjs path (`loadBundle`); {@link servingSupport} says which and why.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TokenVocabulary } from '@twner/conll';
import { allowedTransitions, CRFDecoder } from '@twner/crf';
import { InferenceBiLstm, type InferenceBiLstmConfig } from '@twner/kernels';
import { CliError, EXIT_USAGE } from '../errors';
import type { SavedConfig, SavedCrf } from '../run-folder/bundle';

/** Whether a run's model can be served by `InferenceBiLstm`. */
export type ServingSupport = { ok: true } | { ok: false; reason: string };

export function servingSupport(config: SavedConfig): ServingSupport {
  const m = config.model;
  const members = config.ensemble?.seeds.length ?? 1;
  if (members > 1) return { ok: false, reason: `the run is an ensemble of ${members} models, which the serving network (one model) does not average` };
  if (m.arch === 'notebook') return { ok: true };
  if (m.charVocabSize > 0) return { ok: false, reason: `--arch ${m.arch} uses a char CNN, which the serving network (Embedding → BiLSTM → Dense) cannot express` };
  if (m.featureDim > 0) return { ok: false, reason: `--arch ${m.arch} uses ${m.featureDim} casing/gazetteer features per token, which the serving network cannot take` };
  return { ok: true };
}

export interface ServingOptions {
  /** Threads of the batched forward pass (a worker thread takes every other tweet of a batch of 16 or more). */
  threads?: 1 | 2;
  /** Kernels of `InferenceBiLstm` (default: WebAssembly SIMD where the runtime has it). */
  kernels?: 'wasm' | 'typescript';
}

/** A run folder loaded for serving: tokens in, IOB2 tags out, no tfjs. */
export interface ServingTagger {
  readonly config: SavedConfig;
  readonly labels: readonly string[];
  readonly net: InferenceBiLstm;
  readonly decoder: CRFDecoder;
  /** Word ids of tokens, as in training (lower-cased lookup, 1 = OOV). */
  encode(tokens: readonly string[]): Int32Array;
  /** Viterbi tag ids of encoded tweets (each unpadded; empty tweets give empty paths). */
  tagIds(batch: readonly Int32Array[]): Int32Array[];
  /** IOB2 tags of tokenised tweets, in input order. */
  tag(sentences: readonly (readonly string[])[]): string[][];
  /** Ends the worker thread of `threads: 2`. */
  dispose(): Promise<void>;
}

interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: string;
}

interface ModelJson {
  weightsManifest: { paths: string[]; weights: ManifestWeight[] }[];
}

/** The weights of `model/weights.bin` by name, read without tfjs. */
async function readWeights(modelDir: string): Promise<Map<string, { shape: number[]; values: Float32Array }>> {
  const json = JSON.parse(await readFile(join(modelDir, 'model.json'), 'utf8')) as ModelJson;
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const group of json.weightsManifest) {
    const bytes = Buffer.concat(await Promise.all(group.paths.map((p) => readFile(join(modelDir, p)))));
    let offset = 0;
    for (const w of group.weights) {
      if (w.dtype !== 'float32') throw new CliError(`${modelDir}: weight ${w.name} is ${w.dtype}, the serving path reads float32 only`, EXIT_USAGE);
      const size = w.shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(size);
      // Copy (weights.bin offsets need not be 4-byte aligned within a Node Buffer's pool).
      new Uint8Array(values.buffer).set(bytes.subarray(offset, offset + 4 * size));
      offset += 4 * size;
      out.set(w.name, { shape: w.shape, values });
    }
    if (offset !== bytes.length) throw new CliError(`${modelDir}: weights.bin holds ${bytes.length} bytes, the manifest ${offset}`, EXIT_USAGE);
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
  config: SavedConfig,
): { arrays: Float32Array[]; net: InferenceBiLstmConfig } {
  const m = config.model;
  const used = new Set<string>();
  const take = (pick: (name: string) => boolean, what: string, shape: number[]): Float32Array => {
    const hits = [...weights.keys()].filter((n) => !used.has(n) && pick(n));
    if (hits.length !== 1) throw new CliError(`model/weights: expected one ${what}, found ${hits.length} (${[...weights.keys()].join(', ')})`, EXIT_USAGE);
    const w = weights.get(hits[0])!;
    if (w.shape.join(',') !== shape.join(',')) throw new CliError(`model/weights: ${hits[0]} has shape [${w.shape}], expected [${shape}]`, EXIT_USAGE);
    used.add(hits[0]);
    return w.values;
  };
  const arrays: Float32Array[] = [take((n) => n.startsWith('word_embedding/'), 'word embedding', [m.vocabSize, m.embeddingDim])];
  let inDim = m.embeddingDim;
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
    },
  };
}

/** Loads a run folder for serving; throws a usage error when {@link servingSupport} says no. */
export async function loadServing(dir: string, options: ServingOptions = {}): Promise<ServingTagger> {
  for (const f of ['config.json', 'vocab.json', join('model', 'model.json'), join('model', 'crf.json')]) {
    if (!existsSync(join(dir, f))) throw new CliError(`${dir} is not a twner run folder: ${f} is missing`, EXIT_USAGE);
  }
  const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as SavedConfig;
  const support = servingSupport(config);
  if (!support.ok) throw new CliError(`the serving engine cannot run this model: ${support.reason}; use --engine tfjs`, EXIT_USAGE);
  const vocab = TokenVocabulary.fromJSON(JSON.parse(await readFile(join(dir, 'vocab.json'), 'utf8')));
  const crf = JSON.parse(await readFile(join(dir, 'model', 'crf.json'), 'utf8')) as SavedCrf;
  const { arrays, net: netConfig } = orderWeights(await readWeights(join(dir, 'model')), config);
  const net = new InferenceBiLstm(arrays, netConfig, { threads: options.threads ?? 1, ...(options.kernels ? { kernels: options.kernels } : {}) });
  const labels = config.labels;
  const K = labels.length;
  const decoder = new CRFDecoder(
    {
      transitions: Float32Array.from(crf.transitions.flat()),
      startTransitions: Float32Array.from(crf.start),
      endTransitions: Float32Array.from(crf.end),
      constraints: config.constrained ? allowedTransitions(labels, 'IOB2') : undefined,
    },
    K,
  );
  const encode = (tokens: readonly string[]): Int32Array => Int32Array.from(tokens, (t) => vocab.indexOf(t));
  const tagIds = (batch: readonly Int32Array[]): Int32Array[] => {
    const nonEmpty = batch.filter((ids) => ids.length > 0);
    const emissions = nonEmpty.length > 0 ? net.forwardBatch(nonEmpty) : [];
    let k = 0;
    return batch.map((ids) => {
      const path = new Int32Array(ids.length);
      if (ids.length > 0) decoder.decodeInto(emissions[k++], path, ids.length);
      return path;
    });
  };
  return {
    config,
    labels,
    net,
    decoder,
    encode,
    tagIds,
    tag(sentences) {
      return tagIds(sentences.map(encode)).map((path) => Array.from(path, (i) => labels[i]));
    },
    dispose: () => net.dispose(),
  };
}
