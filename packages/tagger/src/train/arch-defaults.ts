import type { Arch } from '../models/arch';

/** The training settings whose defaults depend on the architecture (see `TrainTaggerOptions`). */
export interface ArchDefaults {
  /** LSTM units per direction. */
  units: number;
  /** BiLSTM layers. */
  layers: number;
  /** Word embedding size without pretrained vectors. */
  embeddingDim: number;
  lr: number;
  /** Sentences per training step. */
  batchSize: number;
  /** The most epochs a run takes (dev F1 and the patience stop it sooner). */
  epochs: number;
  /** Learning-rate factor after an epoch without dev F1 gain (1 = off). */
  plateauDecay: number;
  /** Probability of replacing a training singleton by the OOV id. */
  wordDropout: number;
  /** Polyak averaging decay per step (0 = off). */
  ema: number;
  /** Refit on train + dev for the best epoch count after early stopping on dev. */
  trainWithDev: boolean;
}

/**
 * The one table of architecture defaults: `resolveTrainOptions` fills them all in and the CLI's
 * help prints them. `notebook` trains as the notebook did (Keras' learning rate, its batch size, no
 * weight averaging, no word dropout, no refit); the `char-gazetteer` values were chosen on dev
 * (the studies in `@twner/embeddings-glove`'s README: learning rate 0.005 and batches of 64 beat
 * 0.01 and 32 on both seeds; batches of 64 reach their best epoch later, 18 and 23, hence 30).
 */
export const ARCH_DEFAULTS: Readonly<Record<Arch, Readonly<ArchDefaults>>> = Object.freeze({
  notebook: Object.freeze({ units: 50, layers: 2, embeddingDim: 200, lr: 0.001, batchSize: 32, epochs: 20, plateauDecay: 1, wordDropout: 0, ema: 0, trainWithDev: false }),
  'char-gazetteer': Object.freeze({ units: 100, layers: 1, embeddingDim: 100, lr: 0.005, batchSize: 64, epochs: 30, plateauDecay: 0.5, wordDropout: 0.5, ema: 0.995, trainWithDev: true }),
});
