import * as tf from '@tensorflow/tfjs';
import { FusedBidirectionalLSTM, FusedCharCNN, FusedEmbedding } from '@twner/kernels';

import type { RunConfig } from '../run-folder/format';
export { ARCHS, type Arch } from './arch';

/**
 * Everything needed to rebuild the emission network (saved as `config.json` → `model`; the
 * fields are documented with the run-folder format in `run-folder/format.ts`).
 */
export type ModelConfig = RunConfig['model'];

function apply(layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor {
  return layer.apply(x) as tf.SymbolicTensor;
}

/**
 * The emission network, [B, T] word ids (+ [B, T, C] char ids, [B, T, F] features) → [B, T, K]
 * scores; the CRF sits on top (see `crf.ts`).
 *
 * - `notebook`: Embedding(mask zero) → BiLSTM(units) × layers → TimeDistributed Dense(denseUnits, relu) → Dense(K).
 * - `char-gazetteer`: [word embedding ‖ char CNN (max-pooled) ‖ casing + gazetteer features] → dropout →
 *   BiLSTM(units) × layers → dropout → Dense(K).
 */
export function buildEmissionModel(config: ModelConfig, embeddingInit?: tf.Tensor2D): tf.LayersModel {
  // tfjs warns that the orthogonal initializer of the recurrent kernels is slow for 100×400; it is a one-off.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('Orthogonal initializer')) return;
    warn(...args);
  };
  try {
    return build(config, embeddingInit);
  } finally {
    console.warn = warn;
  }
}

function build(config: ModelConfig, embeddingInit?: tf.Tensor2D): tf.LayersModel {
  const seed = config.seed;
  // [B, T, D] activations: one mask per sentence with variational dropout, else one per token
  const noiseShape = config.variationalDropout === true ? { noiseShape: [null, 1, null] as unknown as number[] } : {};
  const words = tf.input({ shape: [null], dtype: 'int32', name: 'words' });
  const inputs: tf.SymbolicTensor[] = [words];
  const wordArgs = { inputDim: config.vocabSize, outputDim: config.embeddingDim, maskZero: true, name: 'word_embedding' };
  let x = apply(
    config.fused
      ? new FusedEmbedding({
          ...wordArgs,
          weights: [embeddingInit ?? tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }).apply([config.vocabSize, config.embeddingDim])],
        })
      : tf.layers.embedding({
          ...wordArgs,
          ...(embeddingInit
            ? { weights: [embeddingInit] }
            : { embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }) }),
        }),
    words,
  );
  if (config.arch === 'char-gazetteer') {
    const parts = [x];
    const widths = config.charKernels ?? [config.charKernel];
    if (config.charVocabSize > 0 && config.charCnnFused) {
      const chars = tf.input({ shape: [null, config.maxChars], dtype: 'int32', name: 'chars' });
      inputs.push(chars);
      // The composition below in one layer, with the same initial weights (seeds) as it.
      const d = config.charDim;
      const initial = [
        tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: seed + 1 }).apply([config.charVocabSize, d]),
        ...widths.flatMap((width) => [
          tf.initializers.glorotUniform({ seed: seed + 2 + (widths.length > 1 ? 100 * width : 0) }).apply([width * d, config.charFilters]),
          tf.zeros([config.charFilters]),
        ]),
      ];
      parts.push(apply(
        new FusedCharCNN({ inputDim: config.charVocabSize, outputDim: d, filters: config.charFilters, widths, name: 'char_cnn', weights: initial }),
        chars,
      ));
    } else if (config.charVocabSize > 0) {
      const chars = tf.input({ shape: [null, config.maxChars], dtype: 'int32', name: 'chars' });
      inputs.push(chars);
      // [B, T, C, charDim] → conv over characters (kernel 1 × k) → max over characters → [B, T, filters]
      // The fused embedding's gradient is a scatter-add; tfjs' (UnsortedSegmentSum, bridged to the
      // cpu backend on wasm) costs O(ids × characters × dims) and made an epoch several times slower.
      const charInit = tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: seed + 1 });
      let c = apply(
        config.fused
          ? new FusedEmbedding({
              inputDim: config.charVocabSize,
              outputDim: config.charDim,
              name: 'char_embedding',
              weights: [charInit.apply([config.charVocabSize, config.charDim])],
            })
          : tf.layers.embedding({
              inputDim: config.charVocabSize,
              outputDim: config.charDim,
              name: 'char_embedding',
              embeddingsInitializer: charInit,
            }),
        chars,
      );
      // A width-k convolution over characters written as shifted copies + Dense, because the
      // wasm backend has no Conv2DBackpropFilter kernel: [B, T, C, k * charDim] → [B, T, C, filters].
      const pooled: tf.SymbolicTensor[] = [];
      for (const width of widths) {
        // Layer names of a single width stay as before (saved runs).
        const sfx = widths.length > 1 ? `_w${width}` : '';
        const half = Math.floor(width / 2);
        const padded = apply(
          tf.layers.zeroPadding2d({ padding: [[0, 0], [half, width - 1 - half]], name: `char_pad${sfx}` }),
          c,
        );
        const shifted: tf.SymbolicTensor[] = [];
        for (let k = 0; k < width; k++) {
          shifted.push(apply(tf.layers.cropping2D({ cropping: [[0, 0], [k, width - 1 - k]], name: `char_shift${sfx}_${k}` }), padded));
        }
        let w = shifted.length > 1 ? apply(tf.layers.concatenate({ name: `char_windows${sfx}` }), shifted) : shifted[0];
        w = apply(
          tf.layers.dense({
            units: config.charFilters,
            activation: 'relu',
            name: `char_cnn${sfx}`,
            kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 + (widths.length > 1 ? 100 * width : 0) }),
          }),
          w,
        );
        w = apply(tf.layers.maxPooling2d({ poolSize: [1, config.maxChars], strides: [1, config.maxChars], name: `char_pool${sfx}` }), w);
        pooled.push(apply(tf.layers.reshape({ targetShape: [-1, config.charFilters], name: `char_features${sfx}` }), w));
      }
      c = pooled.length > 1 ? apply(tf.layers.concatenate({ name: 'char_features' }), pooled) : pooled[0];
      parts.push(c);
    }
    // Dropout on the learned representations (word + chars), not on the 0/1 casing and gazetteer features.
    x = parts.length > 1 ? apply(tf.layers.concatenate({ name: 'word_chars' }), parts) : x;
    if (config.dropout > 0) x = apply(tf.layers.dropout({ rate: config.dropout, seed: seed + 3, name: 'input_dropout', ...noiseShape }), x);
    if (config.featureDim > 0) {
      const feats = tf.input({ shape: [null, config.featureDim], dtype: 'float32', name: 'features' });
      inputs.push(feats);
      x = apply(tf.layers.concatenate({ name: 'token_features' }), [x, feats]);
    }
  }
  for (let l = 0; l < config.layers; l++) {
    if (config.fused) {
      x = apply(
        new FusedBidirectionalLSTM({
          units: config.units,
          recurrentActivation: config.recurrentActivation ?? 'hardSigmoid',
          name: `bilstm_${l + 1}`,
        }),
        x,
      );
      if (config.arch === 'char-gazetteer' && config.dropout > 0) {
        x = apply(tf.layers.dropout({ rate: config.dropout, seed: seed + 30 + l, name: `dropout_${l + 1}`, ...noiseShape }), x);
      }
      continue;
    }
    const lstm = tf.layers.lstm({
      units: config.units,
      returnSequences: true,
      recurrentActivation: config.recurrentActivation ?? 'hardSigmoid',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 10 + l }),
      // Orthogonal init is slow in tfjs for these sizes; glorot works as well here.
      recurrentInitializer: tf.initializers.glorotUniform({ seed: seed + 20 + l }),
      unitForgetBias: config.lstmInit === 'keras',
    }) as unknown as tf.RNN;
    x = apply(tf.layers.bidirectional({ layer: lstm, mergeMode: 'concat', name: `bilstm_${l + 1}` }), x);
    if (config.arch === 'char-gazetteer' && config.dropout > 0) {
      x = apply(tf.layers.dropout({ rate: config.dropout, seed: seed + 30 + l, name: `dropout_${l + 1}`, ...noiseShape }), x);
    }
  }
  if (config.denseUnits > 0) {
    x = apply(
      tf.layers.timeDistributed({
        layer: tf.layers.dense({
          units: config.denseUnits,
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 40 }),
        }),
        name: 'hidden',
      }),
      x,
    );
  }
  const emissions = apply(
    tf.layers.dense({
      units: config.numTags,
      name: 'emissions',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 50 }),
    }),
    x,
  );
  const model = tf.model({ inputs, outputs: emissions, name: `bilstm_crf_${config.arch}` });
  if (config.fused) seedFusedLstms(model, seed, config.lstmInit ?? 'tfjs');
  return model;
}

/**
 * The fused BiLSTM's initializers take no seed; re-draw its weights with the run's seed, from
 * tfjs-layers' LSTM defaults (glorotNormal kernels, orthogonal recurrent kernels, zero biases)
 * or Keras' (glorotUniform kernels, orthogonal, zero biases but 1 for the forget gate — the
 * gate order is i, f, c, o in both), so runs repeat.
 */
function seedFusedLstms(model: tf.LayersModel, seed: number, init: 'keras' | 'tfjs'): void {
  let k = 0;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'FusedBidirectionalLSTM') continue;
    const values = layer.weights.map((w) => {
      const s = seed + 60 + k++;
      const shape = w.shape.map((d) => d ?? 1);
      if (w.name.includes('recurrent_kernel')) return tf.initializers.orthogonal({ seed: s }).apply(shape);
      if (w.name.includes('kernel')) {
        return (init === 'keras' ? tf.initializers.glorotUniform({ seed: s }) : tf.initializers.glorotNormal({ seed: s })).apply(shape);
      }
      if (init === 'keras') {
        const H = shape[0] / 4;
        return tf.tidy(() => tf.concat([tf.zeros([H]), tf.ones([H]), tf.zeros([2 * H])]));
      }
      return tf.zeros(shape);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}
