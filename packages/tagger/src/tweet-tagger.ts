import { allowedTransitions, constraintPenalties, CRFDecoder } from '@twner/crf/decoder';
import type { EmissionEngine, WorkerJob } from './engine';
import { entitiesOf, joinTokens, type TaggedText, type TaggedToken } from './entities/entity';
import { expScores, spanScorer, type CrfExpScores, type CrfScores } from './entities/span-scores';
import { EXIT_USAGE, TaggerError } from './errors';
import type { RunConfig, SavedCrf } from './run-folder/config';
import { tokenizeTweet } from './tokenize/tweet-tokenizer';

/** Smallest batch split between two threads. */
const MIN_SPLIT = 16;
/** Most pieces a split batch's two parts are cut into for the pipeline, and the fewest tweets in a piece. */
const PIPELINE_PIECES = 8;
const MIN_PIECE = 8;

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
   * Share of a batch's characters given to the engine's second thread (when it has one), adapted
   * after each batch so that both threads finish together: this thread also tokenizes, encodes
   * and decodes every tweet. Which thread tags a tweet never changes its result.
   */
  private workerShare = 0.6;

  private tagPrepared(texts: readonly string[], tokenize: (i: number) => readonly TaggedToken[]): TaggedText[] {
    const n = texts.length;
    if (this.engine.emissionsOnWorker !== undefined && n >= MIN_SPLIT) {
      const split = this.tagSplit(texts, tokenize);
      if (split !== null) return split;
    }
    const tokens = texts.map((_, i) => tokenize(i));
    const emissions = this.engine.emissions(tokens.map((ts) => ts.map((t) => t.text)));
    return texts.map((text, s) => this.decode(text, tokens[s], emissions[s], s));
  }

  /**
   * Part A of the batch (a `workerShare` of its characters, spread over it) goes to the second
   * thread in `pieces` consecutive jobs, part B stays here, cut into as many pieces. A pipeline
   * keeps the second thread busy: pieces 0 and 1 of A are encoded and started at once (the second
   * waits on the thread behind the first); then for each j this thread tags piece j of B,
   * collects piece j of A, encodes and starts piece j + 2, and decodes piece j. The second
   * thread always has the next piece waiting, so it idles only while piece 0 is encoded.
   * (One piece: A is encoded before the thread starts and decoded after it ends; measured on the
   * shipped model at batch 256, the second thread was then idle 28% of the time. One piece
   * started at a time, each after the previous was collected: busy 85–87%, this thread waiting
   * 12–14% of the batch.)
   */
  private tagSplit(texts: readonly string[], tokenize: (i: number) => readonly TaggedToken[]): TaggedText[] | null {
    const engine = this.engine;
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
    const pieces = engine.prepareOnWorker === undefined ? 1 : Math.max(1, Math.min(PIPELINE_PIECES, Math.floor(Math.min(a.length, b.length) / MIN_PIECE)));
    const cut = (ix: number[], j: number): number[] => ix.slice(Math.floor((j * ix.length) / pieces), Math.floor(((j + 1) * ix.length) / pieces));
    const piecesA = Array.from({ length: pieces }, (_, j) => cut(a, j));
    const piecesB = Array.from({ length: pieces }, (_, j) => cut(b, j));
    const out: TaggedText[] = new Array<TaggedText>(n);
    const tokensA: (readonly TaggedToken[])[][] = [];
    /** Tokenizes and encodes A's piece j; `start()` sends it to the second thread. */
    const prepare = (j: number): { start(): WorkerJob | null } => {
      tokensA[j] = piecesA[j].map((i) => tokenize(i));
      const sentences = tokensA[j].map((ts) => ts.map((t) => t.text));
      return engine.prepareOnWorker ? engine.prepareOnWorker(sentences) : { start: () => engine.emissionsOnWorker!(sentences) };
    };
    const tA0 = now();
    const first = prepare(0).start();
    if (first === null) return null;
    /** Each piece's job on the second thread (or, where it refused, here), and those not yet collected. */
    const jobs: WorkerJob[] = [first];
    const running = new Set<WorkerJob>([first]);
    const launch = (j: number): void => {
      const next = prepare(j);
      // The second thread refused (a batch too large for it): that piece is tagged here.
      const here = tokensA[j].map((ts) => ts.map((t) => t.text));
      jobs[j] = next.start() ?? { finish: () => engine.emissions(here), workerMs: () => 0 };
      running.add(jobs[j]);
    };
    /** This thread's time on B, on A (tokenize, encode, decode), and the second thread's on A. */
    let msB = 0;
    let msWorker = 0;
    let msA = 0;
    try {
      if (pieces > 1) launch(1);
      msA = now() - tA0;
      for (let j = 0; j < pieces; j++) {
        const t1 = now();
        const tokB = piecesB[j].map((i) => tokenize(i));
        const emB = engine.emissions(tokB.map((ts) => ts.map((t) => t.text)));
        piecesB[j].forEach((i, k) => (out[i] = this.decode(texts[i], tokB[k], emB[k], i)));
        const t2 = now();
        running.delete(jobs[j]);
        const emA = jobs[j].finish();
        msWorker += jobs[j].workerMs();
        const t3 = now();
        if (j + 2 < pieces) launch(j + 2);
        piecesA[j].forEach((i, k) => (out[i] = this.decode(texts[i], tokensA[j][k], emA[k], i)));
        msA += now() - t3;
        msB += t2 - t1;
      }
    } catch (error) {
      // the second thread's parts are collected (its thread free again), then the error goes on
      for (const job of running) {
        try {
          job.finish();
        } catch {
          // (the first error is the one to report)
        }
      }
      throw error;
    }
    // Per character: this thread's cost for B (all of it) and for A (tokenize, encode, decode),
    // and the second thread's for A. The batch ends soonest when both threads are busy as long.
    // Pipelined, this thread's work on A overlaps the second thread's:
    //   share · worker = (1 - share) · perB + share · perA  →  share = perB / (worker + perB - perA).
    // One piece: this thread's work on A overlaps nothing whatever the share, so only B counts
    // (perA = 0; counting it in gave shares near 0.5 and a second thread busy 62% of the time).
    const charsA = given;
    const charsB = total - given;
    const perB = msB / charsB;
    const perA = pieces > 1 ? msA / charsA : 0;
    const perWorker = msWorker / charsA;
    const target = perB / (perWorker + perB - perA);
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
