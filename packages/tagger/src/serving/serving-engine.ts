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
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TokenVocabulary } from '@twner/conll';
import { InferenceBiLstm, type InferenceBiLstmConfig } from '@twner/kernels/inference';
import type { EmissionEngine } from '../engine';
import type { Gazetteer } from '../features/gazetteer';
import { RunFolderError } from '../errors';
import { readRunJson, type RunConfig, type RunFolder } from '../run-folder/format';

/** Whether a run's model can be served by `InferenceBiLstm`. */
export type ServingSupport = { ok: true } | { ok: false; reason: string };

export function servingSupport(config: RunConfig): ServingSupport {
  const m = config.model;
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
  const json = (await readRunJson(modelDir, 'model.json')) as ModelJson;
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const group of json.weightsManifest) {
    const bytes = Buffer.concat(await Promise.all(group.paths.map((p) => readFile(join(modelDir, p)))));
    let offset = 0;
    for (const w of group.weights) {
      if (w.dtype !== 'float32') throw new RunFolderError(modelDir, `weight ${w.name} is ${w.dtype}, the serving path reads float32 only`);
      const size = w.shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(size);
      // Copy (weights.bin offsets need not be 4-byte aligned within a Node Buffer's pool).
      new Uint8Array(values.buffer).set(bytes.subarray(offset, offset + 4 * size));
      offset += 4 * size;
      out.set(w.name, { shape: w.shape, values });
    }
    if (offset !== bytes.length) throw new RunFolderError(modelDir, `weights.bin holds ${bytes.length} bytes, the manifest ${offset}`);
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
): { arrays: Float32Array[]; net: InferenceBiLstmConfig } {
  const m = config.model;
  const used = new Set<string>();
  const take = (pick: (name: string) => boolean, what: string, shape: number[]): Float32Array => {
    const hits = [...weights.keys()].filter((n) => !used.has(n) && pick(n));
    if (hits.length !== 1) throw new RunFolderError('model', `expected one ${what} weight, found ${hits.length} (${[...weights.keys()].join(', ')})`);
    const w = weights.get(hits[0])!;
    if (w.shape.join(',') !== shape.join(',')) throw new RunFolderError('model', `weight ${hits[0]} has shape [${w.shape}], expected [${shape}]`);
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

/** Options of {@link loadServingEngine}. */
export interface ServingOptions {
  /** Threads of the batched forward pass (a worker thread takes every other tweet of a batch of 16 or more). */
  threads?: 1 | 2;
  /** Kernels of `InferenceBiLstm` (default: WebAssembly SIMD where the runtime has it). */
  kernels?: 'wasm' | 'typescript';
  /** The gazetteer of a model with gazetteer features. */
  gazetteer?: Gazetteer | null;
}

/**
 * The tfjs-free engine of an opened run folder (every member of an ensemble, emissions averaged);
 * throws a {@link RunFolderError} naming the layer when {@link servingSupport} says no.
 */
export async function loadServingEngine(run: RunFolder, options: ServingOptions = {}): Promise<EmissionEngine> {
  const support = servingSupport(run.config);
  if (!support.ok) throw new RunFolderError(run.dir, `the serving engine cannot run this model: ${support.reason}; use the tfjs engine (--engine tfjs)`);
  const vocab = TokenVocabulary.fromJSON((await readRunJson(run.dir, 'vocab.json')) as Parameters<typeof TokenVocabulary.fromJSON>[0]);
  const nets: InferenceBiLstm[] = [];
  for (const dir of run.netDirs) {
    const { arrays, net: netConfig } = orderWeights(await readWeights(dir), run.config);
    nets.push(new InferenceBiLstm(arrays, netConfig, { threads: options.threads ?? 1, ...(options.kernels ? { kernels: options.kernels } : {}) }));
  }
  const K = run.config.labels.length;
  return {
    numTags: K,
    description: `serving (InferenceBiLstm on ${nets[0].kernels} kernels, ${options.threads ?? 1} thread(s)${nets.length > 1 ? `, ${nets.length} members averaged` : ''}; no tfjs)`,
    emissions(sentences) {
      const ids = sentences.map((tokens) => Int32Array.from(tokens, (t) => vocab.indexOf(t)));
      const nonEmpty = ids.filter((x) => x.length > 0);
      const outs = nets.map((net) => (nonEmpty.length > 0 ? net.forwardBatch(nonEmpty) : []));
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
    },
    async dispose() {
      await Promise.all(nets.map((n) => n.dispose()));
    },
  };
}
