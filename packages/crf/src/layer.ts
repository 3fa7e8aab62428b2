import * as tf from '@tensorflow/tfjs';
import { CRFDecoder } from './decoder';
import { ShapeError, ValueError } from './errors';
import { crfNegLogLikelihood, type CrfReduction } from './loss';
import { crfMarginals } from './marginals';
import { crfNBest, type CrfNBestResult } from './nbest';
import { DEFAULT_PENALTY, type TransitionConstraints } from './transitions';
import type { CrfOptions } from './validate';
import { crfDecode, type CrfDecodeResult } from './viterbi';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Kwargs = Parameters<tf.layers.Layer['call']>[1];

/** Arguments of the {@link CRF} layer. */
export interface CRFLayerArgs extends LayerArgs {
  /** Learn start and end scores `[K]` as well (pytorch-crf style). Default true. */
  useStartEnd?: boolean;
  /** Hard constraints from `allowedTransitions` (stored in the config, so they survive save/load). */
  constraints?: TransitionConstraints;
  /** Score of a forbidden move. Default `-1e4`. */
  penalty?: number;
  /** Initial weights are drawn uniformly from `[-initRange, initRange]`. Default 0.1. */
  initRange?: number;
}

/** Constraints as stored in a config (labels as `{ name }`, see `getConfig`) back to plain data. */
function fromConfigConstraints(c: TransitionConstraints): TransitionConstraints {
  const labels = (c.labels as unknown[]).map((l) => (typeof l === 'object' && l !== null && 'name' in l ? String((l as { name: unknown }).name) : String(l)));
  return { labels, transitions: c.transitions, start: c.start, end: c.end };
}

/**
 * A linear-chain CRF as a tfjs-layers layer, holding trainable `transitions` `[K, K]` (and
 * `start_transitions`, `end_transitions` `[K]`).
 *
 * Its `call` returns the emissions `[B, T, K]` unchanged, so `model.predict` yields emissions and
 * the model stays an ordinary graph; training uses {@link CRF.negLogLikelihood} (custom loop with
 * `optimizer.minimize`) or {@link crfLoss} (`model.compile` + `fit`), decoding uses
 * {@link CRF.decode}. Serialisable: `model.save()` / `tf.loadLayersModel()` round-trip it.
 */
export class CRF extends tf.layers.Layer {
  static className = 'CRF';
  readonly useStartEnd: boolean;
  readonly constraints: TransitionConstraints | undefined;
  readonly penalty: number;
  readonly initRange: number;
  private numTags = 0;
  private transitionsVar: tf.LayerVariable | null = null;
  private startVar: tf.LayerVariable | null = null;
  private endVar: tf.LayerVariable | null = null;

  constructor(args: CRFLayerArgs = {}) {
    super(args);
    this.useStartEnd = args.useStartEnd ?? true;
    this.constraints = args.constraints === undefined ? undefined : fromConfigConstraints(args.constraints);
    this.penalty = args.penalty ?? DEFAULT_PENALTY;
    this.initRange = args.initRange ?? 0.1;
    this.supportsMasking = true;
    if (!Number.isFinite(this.penalty)) throw new ValueError('CRF', 'penalty', `must be finite, got ${this.penalty}`);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const K = shape[shape.length - 1];
    if (shape.length !== 3 || K === null || K === undefined) {
      throw new ShapeError('CRF.build', 'inputShape', '[B, T, K] with a known K', JSON.stringify(shape));
    }
    if (this.constraints !== undefined && this.constraints.start.length !== K) {
      throw new ShapeError('CRF.build', 'constraints', `tables for K=${K}`, `K=${this.constraints.start.length}`);
    }
    this.numTags = K;
    const init = () => tf.initializers.randomUniform({ minval: -this.initRange, maxval: this.initRange });
    this.transitionsVar = this.addWeight('transitions', [K, K], 'float32', init());
    if (this.useStartEnd) {
      this.startVar = this.addWeight('start_transitions', [K], 'float32', init());
      this.endVar = this.addWeight('end_transitions', [K], 'float32', init());
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  /** Identity on the emissions `[B, T, K]`. */
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    // [B, T, K]
    return tf.clone(Array.isArray(inputs) ? inputs[0] : inputs);
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = { useStartEnd: this.useStartEnd, penalty: this.penalty, initRange: this.initRange };
    if (this.constraints !== undefined) {
      config.constraints = {
        // tfjs-layers snake-cases every string in a config except values under a `name` key
        labels: this.constraints.labels.map((name) => ({ name })),
        transitions: this.constraints.transitions,
        start: this.constraints.start,
        end: this.constraints.end,
      };
    }
    return { ...super.getConfig(), ...config };
  }

  private variable(v: tf.LayerVariable | null, name: string): tf.Tensor {
    if (v === null) throw new ValueError(`CRF.${name}`, 'layer', 'is not built yet: apply it to emissions [B, T, K] first');
    return v.read();
  }

  /** The transition scores `[K, K]` (a trainable variable; do not dispose). */
  get transitions(): tf.Tensor2D {
    return this.variable(this.transitionsVar, 'transitions') as tf.Tensor2D;
  }

  /** The start scores `[K]`, or undefined with `useStartEnd: false`. */
  get startTransitions(): tf.Tensor1D | undefined {
    return this.startVar === null ? undefined : (this.startVar.read() as tf.Tensor1D);
  }

  /** The end scores `[K]`, or undefined with `useStartEnd: false`. */
  get endTransitions(): tf.Tensor1D | undefined {
    return this.endVar === null ? undefined : (this.endVar.read() as tf.Tensor1D);
  }

  /** Options for the functional ops (`crfDecode(emissions, mask, crf.transitions, crf.opsOptions())`). */
  opsOptions(): CrfOptions {
    return { startTransitions: this.startTransitions, endTransitions: this.endTransitions, constraints: this.constraints, penalty: this.penalty };
  }

  /**
   * The training loss (to minimise): mean negative log-likelihood of `tags`, differentiable w.r.t.
   * the emissions' producers and this layer's variables.
   *
   * @param emissions [B, T, K] (this layer's output)
   * @param tags [B, T] int32
   * @param mask [B, T] or null for all ones
   */
  negLogLikelihood(emissions: tf.Tensor, tags: tf.Tensor, mask?: tf.Tensor | null, reduction: CrfReduction = 'mean'): tf.Tensor {
    return crfNegLogLikelihood(emissions, tags, mask, this.transitions, { ...this.opsOptions(), reduction });
  }

  /**
   * Viterbi decoding with the layer's weights.
   *
   * @param emissions [B, T, K], e.g. `model.predict(x)`
   * @param mask [B, T] or null for all ones
   */
  decode(emissions: tf.Tensor, mask?: tf.Tensor | null): CrfDecodeResult {
    return crfDecode(emissions, mask, this.transitions, this.opsOptions());
  }

  /** Per-token posteriors `[B, T, K]` with the layer's weights. */
  marginals(emissions: tf.Tensor, mask?: tf.Tensor | null): tf.Tensor3D {
    return crfMarginals(emissions, mask, this.transitions, this.opsOptions());
  }

  /** The n best paths `[B, n, T]` with the layer's weights. */
  nBest(emissions: tf.Tensor, n: number, mask?: tf.Tensor | null): CrfNBestResult {
    return crfNBest(emissions, mask, this.transitions, n, this.opsOptions());
  }

  /** A framework-free {@link CRFDecoder} holding a copy of the current weights. */
  toDecoder(): CRFDecoder {
    return new CRFDecoder(
      {
        transitions: this.transitions.dataSync() as Float32Array,
        startTransitions: this.startTransitions?.dataSync() as Float32Array | undefined,
        endTransitions: this.endTransitions?.dataSync() as Float32Array | undefined,
        constraints: this.constraints,
        penalty: this.penalty,
      },
      this.numTags,
    );
  }
}

tf.serialization.registerClass(CRF);

/**
 * Register {@link CRF} with `tf.serialization` (done on import; call it when a bundler might drop
 * a side-effect-only import before `tf.loadLayersModel`). Idempotent.
 */
export function registerCrfLayer(): void {
  tf.serialization.registerClass(CRF);
}

/**
 * A tfjs-layers loss for `model.compile({ loss: crfLoss(crf) })`: the mean NLL of the CRF.
 * `yTrue` is either one-hot `[B, T, K]` (what `model.fit` accepts for a `[B, T, K]` output; an
 * all-zero row marks padding) or int tags `[B, T]` with `-1` for padding (custom loops).
 * `yPred` is the CRF layer's output, the emissions `[B, T, K]`.
 */
export function crfLoss(crf: CRF): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor {
  return (yTrue, yPred) =>
    tf.tidy(() => {
      let tags: tf.Tensor;
      let mask: tf.Tensor;
      if (yTrue.rank === 3) {
        // [B, T]
        tags = tf.argMax(yTrue, 2);
        mask = tf.cast(tf.greater(tf.sum(yTrue, 2), 0), 'float32');
      } else {
        // [B, T]
        tags = tf.cast(yTrue, 'int32');
        mask = tf.cast(tf.greaterEqual(tags, 0), 'float32');
      }
      return crf.negLogLikelihood(yPred, tags, mask);
    });
}
