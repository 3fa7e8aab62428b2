import * as tf from '@tensorflow/tfjs';
import { bidirectionalLstm } from './bidirectional-lstm';
import { ValueError } from './errors';
import { checkRecurrentActivation, type RecurrentActivation } from './recurrent-activation';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Shape = (number | null)[];

/** Constructor arguments of {@link FusedBidirectionalLSTM}. */
export interface FusedBidirectionalLSTMArgs extends LayerArgs {
  /** Units H of each direction; the output has 2H features. */
  units: number;
  /** Gate activation. Default `'hardSigmoid'`, as `tf.layers.lstm`. */
  recurrentActivation?: RecurrentActivation;
  /** Only `'concat'` is supported (the default of `tf.layers.bidirectional`). */
  mergeMode?: 'concat';
  /** Only `true` is supported. */
  returnSequences?: true;
}

/**
 * Drop-in replacement for
 * `tf.layers.bidirectional({ layer: tf.layers.lstm({ units, returnSequences: true }) })`
 * that runs each direction as one fused op ({@link bidirectionalLstm}).
 *
 * Weights: the same six tensors, shapes and order as the tfjs-layers pair (forward kernel
 * `[D, 4H]`, recurrent kernel `[H, 4H]`, bias `[4H]`, then the same for the backward
 * direction), named `<layer>/forward_lstm/{kernel,recurrent_kernel,bias}` and
 * `<layer>/backward_lstm/…`, so `getWeights()`/`setWeights()` copy either way. Initializers
 * are tfjs-layers' LSTM defaults (glorotNormal, orthogonal, zeros).
 *
 * Masks: takes the mask an upstream `Embedding({ maskZero: true })` propagates, or one passed
 * as `layer.apply(x, { mask })`, and passes it on.
 */
export class FusedBidirectionalLSTM extends tf.layers.Layer {
  static className = 'FusedBidirectionalLSTM';
  readonly units: number;
  readonly recurrentActivation: RecurrentActivation;
  private weightsFwd: tf.LayerVariable[] = [];
  private weightsBwd: tf.LayerVariable[] = [];

  constructor(args: FusedBidirectionalLSTMArgs) {
    super(args);
    const op = 'FusedBidirectionalLSTM';
    if (!Number.isInteger(args.units) || args.units <= 0) {
      throw new ValueError(op, 'units', `must be a positive integer, got ${args.units}`);
    }
    if (args.mergeMode !== undefined && args.mergeMode !== 'concat') {
      throw new ValueError(op, 'mergeMode', `must be 'concat', got ${JSON.stringify(args.mergeMode)}`);
    }
    if (args.returnSequences !== undefined && args.returnSequences !== true) {
      throw new ValueError(op, 'returnSequences', 'must be true');
    }
    this.units = args.units;
    this.recurrentActivation = checkRecurrentActivation(op, args.recurrentActivation ?? 'hardSigmoid');
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const D = shape[shape.length - 1];
    if (D === null) throw new ValueError('FusedBidirectionalLSTM', 'inputShape', 'needs a known last dimension');
    const H = this.units;
    const make = (prefix: string): tf.LayerVariable[] => [
      this.addWeight(`${prefix}/kernel`, [D, 4 * H], 'float32', tf.initializers.glorotNormal({})),
      this.addWeight(`${prefix}/recurrent_kernel`, [H, 4 * H], 'float32', tf.initializers.orthogonal({})),
      this.addWeight(`${prefix}/bias`, [4 * H], 'float32', tf.initializers.zeros()),
    ];
    this.weightsFwd = make('forward_lstm');
    this.weightsBwd = make('backward_lstm');
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [shape[0], shape[1], 2 * this.units];
  }

  /** The output keeps the input's time axis, so the input mask passes through unchanged. */
  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    return (Array.isArray(mask) ? mask[0] : mask) as tf.Tensor;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs; // [B, T, D]
      let mask = kwargs['mask'] as tf.Tensor | tf.Tensor[] | undefined | null;
      if (Array.isArray(mask)) mask = mask[0];
      const maskF = mask == null ? null : tf.cast(mask, 'float32'); // [B, T]
      const read = (w: tf.LayerVariable[]) => ({
        kernel: w[0].read(),
        recurrentKernel: w[1].read(),
        bias: w[2].read(),
      });
      return bidirectionalLstm(x, maskF, read(this.weightsFwd), read(this.weightsBwd), {
        recurrentActivation: this.recurrentActivation,
      });
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      recurrentActivation: this.recurrentActivation,
      mergeMode: 'concat',
      returnSequences: true,
    };
  }
}
tf.serialization.registerClass(FusedBidirectionalLSTM);
