import { allowedTransitions, constraintPenalties, CRFDecoder } from '@twner/crf/decoder';
import type { EmissionEngine } from './engine';
import { entitiesOf, joinTokens, type TaggedText, type TaggedToken } from './entities/entity';
import { expScores, spanScorer, type CrfExpScores, type CrfScores } from './entities/span-scores';
import { EXIT_USAGE, TaggerError } from './errors';
import type { RunConfig, SavedCrf } from './run-folder/config';
import { tokenizeTweet } from './tokenize/tweet-tokenizer';

/** Smallest batch split between two threads. */
const MIN_SPLIT = 16;

const now = (): number => performance.now();

/** The mean of the members' CRF scores (what the ensemble tags with). */
export function averageSavedCrf(crfs: readonly SavedCrf[]): SavedCrf {
  const n = crfs.length;
  const mean = (pick: (c: SavedCrf) => number[]): number[] => pick(crfs[0]).map((_, j) => crfs.reduce((s, c) => s + pick(c)[j], 0) / n);
  return {
    transitions: crfs[0].transitions.map((row, i) => row.map((_, j) => crfs.reduce((s, c) => s + c.transitions[i][j], 0) / n)),
    start: mean((c) => c.start),
    end: mean((c) => c.end),
  };
}

/**
 * The tweet tagger's tagging: text in, entities out, from a model's config, CRFs and emission
 * engine. No file system: this is what `@twner/tagger/browser` gives; {@link Tagger} (Node)
 * adds loading and saving run folders.
 */
export class TweetTagger {
  readonly labels: readonly string[];
  readonly config: RunConfig;
  readonly engine: EmissionEngine;
  /** Where the model was loaded from (a folder, or `package@version`). */
  readonly source: string;
  /** The run folder of the model, when it was loaded from disk. */
  readonly dir: string | undefined;
  private readonly decoder: CRFDecoder;
  private readonly scores: CrfScores;
  private readonly expScores: CrfExpScores;

  constructor(parts: { config: RunConfig; crfs: readonly SavedCrf[]; engine: EmissionEngine; source: string; dir?: string }) {
    this.dir = parts.dir;
    this.config = parts.config;
    this.labels = Object.freeze([...parts.config.labels]);
    this.engine = parts.engine;
    this.source = parts.source;
    const K = this.labels.length;
    if (parts.engine.numTags !== K) throw new TaggerError(`${parts.source}: the model has ${parts.engine.numTags} outputs but ${K} labels`, EXIT_USAGE);
    const crf = parts.crfs.length === 1 ? parts.crfs[0] : averageSavedCrf(parts.crfs);
    const constraints = parts.config.constrained ? allowedTransitions([...this.labels], 'IOB2') : undefined;
    this.decoder = new CRFDecoder(
      { transitions: Float32Array.from(crf.transitions.flat()), startTransitions: Float32Array.from(crf.start), endTransitions: Float32Array.from(crf.end), constraints },
      K,
    );
    // Span scores use the scores Viterbi sees: transitions plus the constraint penalties.
    const pen = constraints ? constraintPenalties(constraints) : null;
    this.scores = {
      numTags: K,
      transitions: Float32Array.from(crf.transitions.flatMap((row, i) => row.map((v, j) => v + (pen ? pen.transitions[i][j] : 0)))),
      start: Float32Array.from(crf.start, (v, j) => v + (pen ? pen.start[j] : 0)),
      end: Float32Array.from(crf.end, (v, j) => v + (pen ? pen.end[j] : 0)),
    };
    this.expScores = expScores(this.scores);
  }

  /** Tags one tweet. */
  tag(text: string): TaggedText {
    return this.tagBatch([text])[0];
  }

  /** Tags tweets (batched through the engine), in input order. */
  tagBatch(texts: readonly string[]): TaggedText[] {
    texts.forEach((t, i) => {
      if (typeof t !== 'string') throw new TaggerError(`tagBatch: texts[${i}] is ${t === null ? 'null' : typeof t}, expected a string`, EXIT_USAGE);
    });
    return this.tagPrepared(texts, (i) => tokenizeTweet(texts[i]));
  }

  /** Tags pre-tokenised sentences (the tokens are kept; the text is the tokens joined by spaces). */
  tagTokens(sentences: readonly (readonly string[])[]): TaggedText[] {
    const joined = sentences.map((tokens, i) => {
      if (!Array.isArray(tokens) || tokens.some((t) => typeof t !== 'string' || t.length === 0)) {
        throw new TaggerError(`tagTokens: sentence ${i} must be an array of non-empty strings`, EXIT_USAGE);
      }
      return joinTokens(tokens);
    });
    return this.tagPrepared(joined.map((j) => j.text), (i) => joined[i].tokens);
  }

  /**
   * Share of a batch's tokens given to the engine's second thread (when it has one), adapted
   * after each batch so that both threads finish together: this thread also tokenizes,
   * computes features and decodes every tweet. Which thread tags a tweet never changes its result.
   */
  private workerShare = 0.6;

  private tagPrepared(texts: readonly string[], tokenize: (i: number) => readonly TaggedToken[]): TaggedText[] {
    const n = texts.length;
    const onWorker = this.engine.emissionsOnWorker?.bind(this.engine);
    if (onWorker !== undefined && n >= MIN_SPLIT) {
      const split = this.tagSplit(texts, tokenize, onWorker);
      if (split !== null) return split;
    }
    const tokens = texts.map((_, i) => tokenize(i));
    const emissions = this.engine.emissions(tokens.map((ts) => ts.map((t) => t.text)));
    return texts.map((text, s) => this.decode(text, tokens[s], emissions[s], s));
  }

  /**
   * Part A of the batch (a `workerShare` of its characters, spread over it) goes to the second
   * thread; this thread meanwhile tokenizes and tags part B, then decodes A.
   */
  private tagSplit(
    texts: readonly string[],
    tokenize: (i: number) => readonly TaggedToken[],
    onWorker: NonNullable<EmissionEngine['emissionsOnWorker']>,
  ): TaggedText[] | null {
    const n = texts.length;
    const total = texts.reduce((c, t) => c + t.length, 0);
    const a: number[] = [];
    const b: number[] = [];
    let given = 0;
    let seen = 0;
    for (let i = 0; i < n; i++) {
      seen += texts[i].length;
      if (given + texts[i].length / 2 <= this.workerShare * seen) {
        a.push(i);
        given += texts[i].length;
      } else b.push(i);
    }
    if (a.length === 0 || b.length === 0 || total === 0) return null;
    const tokA = a.map((i) => tokenize(i));
    const job = onWorker(tokA.map((ts) => ts.map((t) => t.text)));
    if (job === null) return null;
    const t1 = now();
    const out: TaggedText[] = new Array<TaggedText>(n);
    let t2: number;
    try {
      const tokB = b.map((i) => tokenize(i));
      const emB = this.engine.emissions(tokB.map((ts) => ts.map((t) => t.text)));
      b.forEach((i, k) => (out[i] = this.decode(texts[i], tokB[k], emB[k], i)));
      t2 = now();
    } catch (error) {
      job.finish(); // the worker's part is collected (its thread free again), then the error goes on
      throw error;
    }
    const emA = job.finish();
    a.forEach((i, k) => (out[i] = this.decode(texts[i], tokA[k], emA[k], i)));
    // Per character: this thread's cost for part B (all of it) and the worker's for part A. This
    // thread's own work on A (tokenize and encode before the worker starts, decode after it is
    // done) overlaps nothing whatever the share, so the batch ends soonest when the worker and
    // part B end together: share · worker = (1 - share) · B  →  share = B / (worker + B).
    // (Counting this thread's work on A in, as if it overlapped the worker, gave shares near 0.5
    // and a worker busy 62% of the time; measured on the shipped model, batches of 256.)
    const charsA = given;
    const charsB = total - given;
    const perB = (t2 - t1) / charsB;
    const perWorker = job.workerMs() / charsA;
    const target = perB / (perWorker + perB);
    if (Number.isFinite(target) && target > 0) this.workerShare = Math.min(0.9, Math.max(0.1, 0.7 * this.workerShare + 0.3 * target));
    return out;
  }

  private decode(text: string, tokens: readonly TaggedToken[], em: Float32Array, s: number): TaggedText {
    const K = this.labels.length;
    const toks = [...tokens];
    const T = toks.length;
    if (T === 0) return { text, tokens: toks, tags: [], entities: [] };
    for (let q = 0; q < T * K; q++) {
      if (!Number.isFinite(em[q])) {
        throw new TaggerError(`the model produced a non-finite emission (${em[q]}) for token ${Math.floor(q / K) + 1} of text ${s + 1}: its weights are damaged`);
      }
    }
    const path = new Int32Array(T);
    this.decoder.decodeInto(em, path, T);
    const tags = Array.from(path, (i) => this.labels[i]);
    const score = spanScorer(this.scores, this.labels, em, T, this.expScores);
    return { text, tokens: toks, tags, entities: entitiesOf(text, toks, tags, score) };
  }

  /** Frees the engine (its worker thread, tfjs models). */
  async dispose(): Promise<void> {
    await this.engine.dispose();
  }
}
