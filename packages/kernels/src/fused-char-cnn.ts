import * as tf from '@tensorflow/tfjs';
import { charCnn } from './char-cnn';
import { ValueError } from './errors';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Shape = (number | null)[];

/** Constructor arguments of {@link FusedCharCNN}. */
export interface FusedCharCNNArgs extends LayerArgs {
  /** Character vocabulary size V (ids in [0, V); id 0 is an ordinary, learnt row). */
  inputDim: number;
  /** Character embedding size d. */
  outputDim: number;
  /** Filters F per width. */
  filters: number;
  /** Window widths, e.g. `[2, 3, 4]` (distinct positive integers); the output has `F · widths.length` features. */
  widths: number[];
  /** Seed of the default initializers (embeddings uniform ±0.1, kernels glorotUniform, biases zero). */
  seed?: number;
}

/**
 * Character CNN features of each token as one layer ({@link charCnn}): `[B, T, C]` int32 char
 * ids → `[B, T, F · widths.length]`. Same numbers as the tfjs-layers composition
 * `embedding → zeroPadding2d → w cropping2D shifts → concatenate → dense(F, relu) →
 * maxPooling2d over C → reshape` per width, concatenated.
 *
 * Weights, in order: `embeddings` `[V, d]`, then for each width w `kernel_w<w>` `[w·d, F]` and
 * `bias_w<w>` `[F]` — the composition's embedding and dense weights in its order, so
 * `getWeights()`/`setWeights()` copy either way. Initial values can be given as `weights`.
 */
export class FusedCharCNN extends tf.layers.Layer {
  static className = 'FusedCharCNN';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly filters: number;
  readonly widths: number[];
  readonly seed: number | undefined;
  private embeddings: tf.LayerVariable | null = null;
  private kernels: tf.LayerVariable[] = [];
  private biases: tf.LayerVariable[] = [];

  constructor(args: FusedCharCNNArgs) {
    super(args);
    const op = 'FusedCharCNN';
    for (const key of ['inputDim', 'outputDim', 'filters'] as const) {
      if (!Number.isInteger(args[key]) || args[key] <= 0) throw new ValueError(op, key, `must be a positive integer, got ${args[key]}`);
    }
    if (!Array.isArray(args.widths) || args.widths.length === 0) throw new ValueError(op, 'widths', 'must be a non-empty array of positive integers');
    for (const w of args.widths) {
      if (!Number.isInteger(w) || w <= 0) throw new ValueError(op, 'widths', `must hold positive integers, got ${w}`);
    }
    if (new Set(args.widths).size !== args.widths.length) throw new ValueError(op, 'widths', `must be distinct, got [${args.widths.join(', ')}]`);
    if (args.seed !== undefined && !Number.isFinite(args.seed)) throw new ValueError(op, 'seed', `must be a number, got ${args.seed}`);
    this.inputDim = args.inputDim;
    this.outputDim = args.outputDim;
    this.filters = args.filters;
    this.widths = [...args.widths];
    this.seed = args.seed;
  }

  override build(): void {
    const { inputDim: V, outputDim: d, filters: F, seed } = this;
    this.embeddings = this.addWeight(
      'embeddings',
      [V, d],
      'float32',
      tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed }),
    );
    this.kernels = [];
    this.biases = [];
    this.widths.forEach((w, i) => {
      this.kernels.push(
        this.addWeight(`kernel_w${w}`, [w * d, F], 'float32', tf.initializers.glorotUniform({ seed: seed === undefined ? undefined : seed + 1 + i })),
      );
      this.biases.push(this.addWeight(`bias_w${w}`, [F], 'float32', tf.initializers.zeros()));
    });
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [...shape.slice(0, -1), this.filters * this.widths.length];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const ids = Array.isArray(inputs) ? inputs[0] : inputs; // [B, T, C]
      if (ids.rank < 2) throw new ValueError('FusedCharCNN', 'inputs', `must have shape [..., C], got rank ${ids.rank}`);
      const C = ids.shape[ids.rank - 1];
      const lead = ids.shape.slice(0, -1);
      const y = charCnn(
        tf.reshape(ids, [-1, C]),
        (this.embeddings as tf.LayerVariable).read(),
        this.kernels.map((k) => k.read()),
        this.biases.map((b) => b.read()),
        this.widths,
      ); // [B·T, F·nW]
      return tf.reshape(y, [...lead, this.filters * this.widths.length]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      filters: this.filters,
      widths: [...this.widths],
    };
    if (this.seed !== undefined) config['seed'] = this.seed;
    return config;
  }
}
tf.serialization.registerClass(FusedCharCNN);
