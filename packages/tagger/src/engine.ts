/**
 * What turns tokenised sentences into emission scores for the CRF: the tfjs-free serving engine
 * (`@twner/tagger`) or the tfjs path (`@twner/tagger/train`). An ensemble's engine returns the
 * mean of its members' emissions.
 */
/** Emissions computed on a second thread: `finish()` waits for them, `workerMs()` says how long that thread computed. */
export interface WorkerJob {
  finish(): Float32Array[];
  workerMs(): number;
  /** Whether `finish()` would return without waiting (absent: treated as always). */
  ready?(): boolean;
}

export interface EmissionEngine {
  /** Tags K (the length of each emission row). */
  readonly numTags: number;
  /** One line for logs: which engine, which kernels, why. */
  readonly description: string;
  /** Emissions [T, K] row-major of each sentence (T its token count; empty sentences give empty arrays). */
  emissions(sentences: readonly (readonly string[])[]): Float32Array[];
  /**
   * Optional (the serving engine with `threads: 2`): starts `sentences` on a second thread and
   * returns at once; meanwhile `emissions` runs on this thread alone. `finish()` gives what
   * `emissions` would, `workerMs()` how long the second thread computed. Null when it cannot
   * (no second thread, too many tokens for one batch).
   */
  emissionsOnWorker?(sentences: readonly (readonly string[])[]): WorkerJob | null;
  /**
   * Optional, with `emissionsOnWorker`: its two halves. Encodes `sentences` on this thread now
   * (tokens to ids and features), while the second thread may still be busy; `start()` then
   * sends them to the second thread (once that is free: after the previous job's `finish()`) and
   * returns the job, or null when it cannot (as `emissionsOnWorker`).
   */
  prepareOnWorker?(sentences: readonly (readonly string[])[]): { start(): WorkerJob | null };
  dispose(): Promise<void> | void;
}
