import * as tf from '@tensorflow/tfjs';
import { embeddingLookup } from './embedding-lookup';
import { ValueError } from './errors';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Shape = (number | null)[];

/** Constructor arguments of {@link FusedEmbedding}. */
export interface FusedEmbeddingArgs extends LayerArgs {
  /** Vocabulary size V (ids in [0, V)). */
  inputDim: number;
  /** Embedding size E. */
  outputDim: number;
  /** Treat id 0 as padding and emit a mask `ids != 0`. Default false. */
  maskZero?: boolean;
}

/**
 * Drop-in replacement for `tf.layers.embedding({ inputDim, outputDim, maskZero })` (one weight
 * `embeddings` `[V, E]`, same default initializer randomUniform(-0.05, 0.05)) whose gradient is
 * {@link embeddingLookup}'s TypeScript scatter-add instead of `UnsortedSegmentSum`.
 */
export class FusedEmbedding extends tf.layers.Layer {
  static className = 'FusedEmbedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  private embeddings: tf.LayerVariable | null = null;

  constructor(args: FusedEmbeddingArgs) {
    super(args);
    for (const key of ['inputDim', 'outputDim'] as const) {
      if (!Number.isInteger(args[key]) || args[key] <= 0) {
        throw new ValueError('FusedEmbedding', key, `must be a positive integer, got ${args[key]}`);
      }
    }
    this.inputDim = args.inputDim;
    this.outputDim = args.outputDim;
    this.maskZero = args.maskZero ?? false;
    this.supportsMasking = true;
  }

  override build(): void {
    this.embeddings = this.addWeight(
      'embeddings',
      [this.inputDim, this.outputDim],
      'float32',
      tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05 }),
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [...shape, this.outputDim];
  }

  /** `ids != 0` when maskZero, else no mask. */
  override computeMask(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    const ids = Array.isArray(inputs) ? inputs[0] : inputs;
    return (this.maskZero ? tf.notEqual(ids, tf.zerosLike(ids)) : undefined) as tf.Tensor;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const ids = Array.isArray(inputs) ? inputs[0] : inputs; // [B, T]
      return embeddingLookup((this.embeddings as tf.LayerVariable).read(), ids); // [B, T, E]
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), inputDim: this.inputDim, outputDim: this.outputDim, maskZero: this.maskZero };
  }
}
tf.serialization.registerClass(FusedEmbedding);
