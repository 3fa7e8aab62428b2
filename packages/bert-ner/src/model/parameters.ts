import * as tf from '@tensorflow/tfjs';
import { type BertConfig, numLabels } from '../config';

/** How a parameter is stored: linear weights are transposed between PyTorch and tfjs. */
export type ParameterKind = 'linear' | 'embedding' | 'bias' | 'norm-weight' | 'norm-bias';

/** One parameter of BertForTokenClassification, named and shaped as in Hugging Face (PyTorch layout). */
export interface ParameterSpec {
  name: string;
  /** PyTorch shape: `[out, in]` for linear weights. */
  shape: number[];
  kind: ParameterKind;
}

/** Model weights by Hugging Face parameter name. Linear weights are `[in, out]` (tfjs layout). */
export type BertWeights = ReadonlyMap<string, tf.Variable>;

function linearSpecs(prefix: string, inDim: number, outDim: number): ParameterSpec[] {
  return [
    { name: `${prefix}.weight`, shape: [outDim, inDim], kind: 'linear' },
    { name: `${prefix}.bias`, shape: [outDim], kind: 'bias' },
  ];
}

function normSpecs(prefix: string, dim: number): ParameterSpec[] {
  return [
    { name: `${prefix}.weight`, shape: [dim], kind: 'norm-weight' },
    { name: `${prefix}.bias`, shape: [dim], kind: 'norm-bias' },
  ];
}

/** Every parameter of `BertForTokenClassification` for `config`, in Hugging Face's order. */
export function bertParameterSpecs(config: BertConfig): ParameterSpec[] {
  const h = config.hiddenSize;
  const specs: ParameterSpec[] = [
    { name: 'bert.embeddings.word_embeddings.weight', shape: [config.vocabSize, h], kind: 'embedding' },
    { name: 'bert.embeddings.position_embeddings.weight', shape: [config.maxPositionEmbeddings, h], kind: 'embedding' },
    { name: 'bert.embeddings.token_type_embeddings.weight', shape: [config.typeVocabSize, h], kind: 'embedding' },
    ...normSpecs('bert.embeddings.LayerNorm', h),
  ];
  for (let i = 0; i < config.numHiddenLayers; i++) {
    const p = `bert.encoder.layer.${i}`;
    specs.push(
      ...linearSpecs(`${p}.attention.self.query`, h, h),
      ...linearSpecs(`${p}.attention.self.key`, h, h),
      ...linearSpecs(`${p}.attention.self.value`, h, h),
      ...linearSpecs(`${p}.attention.output.dense`, h, h),
      ...normSpecs(`${p}.attention.output.LayerNorm`, h),
      ...linearSpecs(`${p}.intermediate.dense`, h, config.intermediateSize),
      ...linearSpecs(`${p}.output.dense`, config.intermediateSize, h),
      ...normSpecs(`${p}.output.LayerNorm`, h),
    );
  }
  specs.push(...linearSpecs('classifier', h, numLabels(config)));
  return specs;
}

/** The tfjs shape of a parameter (linear weights transposed to `[in, out]`). */
export function tfjsShape(spec: ParameterSpec): number[] {
  return spec.kind === 'linear' ? [spec.shape[1], spec.shape[0]] : spec.shape;
}

/** Converts PyTorch-layout values to a tfjs-layout tensor. */
export function fromTorchLayout(spec: ParameterSpec, data: Float32Array): tf.Tensor {
  return tf.tidy(() => {
    const t = tf.tensor(data, spec.shape, 'float32');
    return spec.kind === 'linear' ? tf.transpose(t) : t;
  });
}

/** Reads a tfjs-layout variable back to PyTorch-layout values. */
export function toTorchLayout(spec: ParameterSpec, value: tf.Tensor): Float32Array {
  const t = spec.kind === 'linear' ? tf.transpose(value) : value;
  const data = t.dataSync() as Float32Array;
  if (t !== value) t.dispose();
  return Float32Array.from(data);
}

/**
 * Hugging Face's `_init_weights`: linear and embedding weights ~ N(0, initializer_range²),
 * the padding row of the word embeddings zero, biases zero, LayerNorm γ = 1 and β = 0.
 */
export function initialValue(spec: ParameterSpec, config: BertConfig, seed?: number): tf.Tensor {
  return tf.tidy(() => {
    switch (spec.kind) {
      case 'linear':
        return tf.randomNormal(tfjsShape(spec), 0, config.initializerRange, 'float32', seed);
      case 'embedding': {
        const w = tf.randomNormal(spec.shape, 0, config.initializerRange, 'float32', seed);
        if (spec.name !== 'bert.embeddings.word_embeddings.weight' || config.padTokenId >= spec.shape[0]) return w;
        const keep = tf.reshape(tf.cast(tf.notEqual(tf.range(0, spec.shape[0], 1, 'int32'), config.padTokenId), 'float32'), [-1, 1]);
        return tf.mul(w, keep);
      }
      case 'bias':
      case 'norm-bias':
        return tf.zeros(spec.shape);
      case 'norm-weight':
        return tf.ones(spec.shape);
    }
  });
}

/** Looks up a weight by Hugging Face name, typed by rank. */
export function weight1d(weights: BertWeights, name: string): tf.Tensor1D {
  return get(weights, name) as tf.Tensor1D;
}

export function weight2d(weights: BertWeights, name: string): tf.Tensor2D {
  return get(weights, name) as tf.Tensor2D;
}

function get(weights: BertWeights, name: string): tf.Variable {
  const w = weights.get(name);
  if (!w) throw new Error(`internal: weight ${name} is not loaded`);
  return w;
}
