import { allowedTransitions, constraintPenalties, CRFDecoder } from '@twner/crf/decoder';
import type { EmissionEngine, WorkerJob } from './engine';
import { getEntities } from '@twner/metrics-seqeval';
import { entitiesOfChunks, joinTokens, type TaggedText, type TaggedToken } from './entities/entity';
import { expScores, spanScoresOf, type CrfExpScores, type CrfScores } from './entities/span-scores';
import { EXIT_USAGE, TaggerError } from './errors';
import type { RunConfig, SavedCrf } from './run-folder/config';
import { tokenizeTweet } from './tokenize/tweet-tokenizer';

/** Smallest batch split between two threads. */
const MIN_SPLIT = 16;
/**
 * Most units a batch shared by both threads is cut into, and the fewest tweets in one; the second
 * thread gets WORKER_UNITS at a time, this thread tags one at a time (so that it looks again soon
 * whether the second thread needs its next piece).
 */
const MAX_PIECES = 32;
const MIN_PIECE = 8;
const WORKER_UNITS = 2;

/** Refuses `texts` unless it is an array of strings, naming the first text that is not one (a usage error). */
export function checkTexts(texts: unknown): asserts texts is readonly string[] {
  if (!Array.isArray(texts)) throw new TaggerError(`tagBatch: texts must be an array of strings, got ${texts === null ? 'null' : typeof texts}`, EXIT_USAGE);
  texts.forEach((t: unknown, i) => {
    if (typeof t !== 'string') throw new TaggerError(`tagBatch: texts[${i}] is ${t === null ? 'null' : typeof t}, expected a string`, EXIT_USAGE);
  });
}

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
    checkTexts(texts);
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
   * A batch shared by both threads, cut into units of consecutive tweets (about the same number
   * of characters each). The second thread takes pieces of W units from the front, this thread
   * one unit at a time from the back, until they meet. Two pieces are started on the second
   * thread at once (the second waits there behind the first; the first is one unit, so that the
   * second thread starts soon); then, each time its oldest is done, this thread collects it,
   * starts the next from the front and decodes the collected one, and while it is not done,
   * this thread tags a unit from the back itself (tokenize, emissions, decode) instead of
   * waiting. So the threads wait for each other only at the ends of a batch, and how the batch
   * divides follows how fast each thread is on these tweets. Which thread tags a tweet never
   * changes its result. (Before, the batch was divided beforehand by a share of its characters
   * that adapted from batch to batch: in profiles on the shipped model at batch 256, this thread
   * then waited for the second about 6% of the time and the second idled about 13%; now about
   * 5% and 7%.)
   */
  private tagSplit(texts: readonly string[], tokenize: (i: number) => readonly TaggedToken[]): TaggedText[] | null {
    const engine = this.engine;
    const n = texts.length;
    const total = texts.reduce((c, t) => c + t.length, 0);
    if (total === 0) return null;
    const P = Math.max(2, Math.min(MAX_PIECES, Math.floor(n / MIN_PIECE)));
    const W = P >= 4 * WORKER_UNITS ? WORKER_UNITS : 1;
    // Piece j is tweets bounds[j] … bounds[j + 1] - 1, cut where the characters pass j/P of the total.
    const bounds = [0];
    let seen = 0;
    for (let i = 0; i < n && bounds.length < P; i++) {
      seen += texts[i].length;
      if (seen * P >= bounds.length * total && i + 1 < n) bounds.push(i + 1);
    }
    bounds.push(n);
    const pieces = bounds.length - 1;
    const out: TaggedText[] = new Array<TaggedText>(n);
    const tokensOf = (j: number): (readonly TaggedToken[])[] => {
      const ts: (readonly TaggedToken[])[] = [];
      for (let i = bounds[j]; i < bounds[j + 1]; i++) ts.push(tokenize(i));
      return ts;
    };
    const decodeInto = (j: number, tokens: readonly (readonly TaggedToken[])[], em: readonly Float32Array[], units = 1): void => {
      for (let i = bounds[j], k = 0; i < bounds[j + units]; i++, k++) out[i] = this.decode(texts[i], tokens[k], em[k], i);
    };
    interface Running {
      j: number;
      units: number;
      tokens: (readonly TaggedToken[])[];
      job: WorkerJob;
    }
    /** Tokenizes and encodes units j … j + W - 1 and starts them on the second thread (null: it refused). */
    const startPiece = (j: number, units = W): Running | null => {
      const tokens: (readonly TaggedToken[])[] = [];
      for (let u = j; u < j + units; u++) tokens.push(...tokensOf(u));
      const sentences = tokens.map((ts) => ts.map((t) => t.text));
      const job = engine.prepareOnWorker ? engine.prepareOnWorker(sentences).start() : engine.emissionsOnWorker!(sentences);
      return job === null ? null : { j, units, tokens, job };
    };
    const tagHere = (j: number, tokens: (readonly TaggedToken[])[] = tokensOf(j)): void => {
      decodeInto(j, tokens, engine.emissions(tokens.map((ts) => ts.map((t) => t.text))));
    };
    const first = startPiece(0, 1); // one unit, so that the second thread starts soon
    if (first === null) return null;
    /** The pieces on the second thread, oldest first (it runs them in that order). */
    const running: Running[] = [first];
    let front = first.units;
    let back = pieces;
    /** The next W units from the front to the second thread; what it refuses (too large) is tagged here. */
    const launch = (): void => {
      const j = front;
      const units = Math.min(W, back - front);
      front += units;
      const next = startPiece(j, units);
      if (next === null) for (let u = j; u < j + units; u++) tagHere(u);
      else running.push(next);
    };
    try {
      if (front < back) launch();
      while (running.length > 0 || front < back) {
        const oldest = running[0];
        if (oldest !== undefined && (front >= back || (oldest.job.ready?.() ?? true))) {
          running.shift();
          const em = oldest.job.finish();
          if (front < back) launch();
          decodeInto(oldest.j, oldest.tokens, em, oldest.units);
        } else {
          back--;
          tagHere(back);
        }
      }
    } catch (error) {
      // the second thread's pieces are collected (its thread free again), then the error goes on
      for (const r of running) {
        try {
          r.job.finish();
        } catch {
          // (the first error is the one to report)
        }
      }
      throw error;
    }
    return out;
  }

  private decode(text: string, tokens: readonly TaggedToken[], em: Float32Array, s: number): TaggedText {
    const K = this.labels.length;
    const toks = [...tokens];
    const T = toks.length;
    if (T === 0) return { text, tokens: toks, tags: [], entities: [] };
    for (let q = 0; q < T * K; q++) {
      if (!Number.isFinite(em[q])) {
        // a damaged model is bad input, as a damaged run folder is: exit 2, the tfjs path's code too
        throw new TaggerError(`${this.source}: the model produced a non-finite emission (${em[q]}) for token ${Math.floor(q / K) + 1} of text ${s + 1}: its weights are damaged`, EXIT_USAGE);
      }
    }
    const path = new Int32Array(T);
    this.decoder.decodeInto(em, path, T);
    const tags = Array.from(path, (i) => this.labels[i]);
    const chunks = getEntities(tags);
    const scores = spanScoresOf(this.scores, this.labels, em, T, chunks, this.expScores);
    return { text, tokens: toks, tags, entities: entitiesOfChunks(text, toks, chunks, scores) };
  }

  /** Frees the engine (its worker thread, tfjs models). */
  async dispose(): Promise<void> {
    await this.engine.dispose();
  }
}
