import * as tf from '@tensorflow/tfjs';

/** Hyper-parameters of {@link AdamW}; defaults are `torch.optim.AdamW`'s except the learning rate. */
export interface AdamWOptions {
  /** Step size. Default 5e-5 (transformers' Trainer default). */
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Decoupled weight decay λ: each step multiplies a parameter by 1 − lr·λ. Default 0.01. */
  weightDecay?: number;
  /**
   * Variables (by tfjs variable name) that get no weight decay. Default: none, as
   * `torch.optim.AdamW(model.parameters())`; pass {@link noDecayForBiasAndLayerNorm} for
   * transformers' Trainer grouping.
   */
  excludeFromWeightDecay?: (variableName: string) => boolean;
}

/** transformers' Trainer rule: no weight decay for biases and LayerNorm weights. */
export function noDecayForBiasAndLayerNorm(variableName: string): boolean {
  return /(\.bias|LayerNorm\.weight)$/.test(variableName);
}

/** A tensor with a name, as tfjs optimisers exchange weights. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

interface Slots {
  m: tf.Variable;
  v: tf.Variable;
}

/** `variable.assign(compute())`, the computation's temporaries freed before the next one starts. */
function assignFrom(variable: tf.Variable, compute: () => tf.Tensor): void {
  const value = tf.tidy(compute);
  variable.assign(value);
  value.dispose();
}

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter 2019), step for step the same as
 * `torch.optim.AdamW` (no amsgrad):
 *
 *   θ ← θ·(1 − lr·λ);  m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
 *   θ ← θ − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
 *
 * A tfjs `Optimizer`: use `minimize`, or `applyGradients` with gradients by variable name.
 * `learningRate` may be changed between steps (schedules).
 */
export class AdamW extends tf.Optimizer {
  static get className(): string {
    return 'AdamW';
  }

  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  private readonly exclude: (variableName: string) => boolean;
  private readonly slots = new Map<string, Slots>();
  private step = 0;

  constructor(options: AdamWOptions = {}) {
    super();
    this.learningRate = options.learningRate ?? 5e-5;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
    this.exclude = options.excludeFromWeightDecay ?? (() => false);
  }

  /** Number of steps taken. */
  get stepCount(): number {
    return this.step;
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor] as const)
      : Object.entries(variableGradients);
    this.step += 1;
    this.incrementIterations();
    const lr = this.learningRate;
    const bc1 = 1 - this.beta1 ** this.step;
    const bc2Sqrt = Math.sqrt(1 - this.beta2 ** this.step);
    const stepSize = lr / bc1;
    const registered = tf.engine().registeredVariables;
    for (const [name, grad] of entries) {
      if (grad == null) continue;
      const variable = registered[name];
      if (!variable) throw new Error(`AdamW: no variable named ${name}`);
      let slot = this.slots.get(name);
      if (!slot) {
        slot = {
          m: tf.tidy(() => tf.variable(tf.zerosLike(variable), false)),
          v: tf.tidy(() => tf.variable(tf.zerosLike(variable), false)),
        };
        this.slots.set(name, slot);
      }
      const { m, v } = slot;
      const decay = this.exclude(name) ? 0 : lr * this.weightDecay;
      // Three scopes instead of one, so that at most one update's temporaries are alive at a time:
      // for bert-base's word embeddings (23 M values) that is ~0.5 GB less at the peak.
      assignFrom(m, () => tf.add(tf.mul(m, this.beta1), tf.mul(grad, 1 - this.beta1)));
      assignFrom(v, () => tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(grad), 1 - this.beta2)));
      assignFrom(variable, () => {
        const denom = tf.add(tf.div(tf.sqrt(v), bc2Sqrt), this.epsilon);
        const decayed = decay === 0 ? variable : tf.mul(variable, 1 - decay);
        return tf.sub(decayed, tf.mul(tf.div(m, denom), stepSize));
      });
    }
  }

  override dispose(): void {
    super.dispose();
    for (const { m, v } of this.slots.values()) {
      m.dispose();
      v.dispose();
    }
    this.slots.clear();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const weights: NamedTensor[] = [await this.saveIterations()];
    for (const [name, { m, v }] of this.slots) weights.push({ name: `${name}/m`, tensor: m }, { name: `${name}/v`, tensor: v });
    return weights;
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    this.step = this.iterations;
    for (const { name, tensor } of rest) {
      const slotName = name.replace(/\/(m|v)$/, '');
      const which = name.endsWith('/m') ? 'm' : 'v';
      let slot = this.slots.get(slotName);
      if (!slot) {
        slot = { m: tf.variable(tf.zerosLike(tensor), false), v: tf.variable(tf.zerosLike(tensor), false) };
        this.slots.set(slotName, slot);
      }
      slot[which].assign(tensor);
    }
  }

  getConfig(): tf.serialization.ConfigDict {
    return {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      weightDecay: this.weightDecay,
    };
  }
}
