/**
 * What turns tokenised sentences into emission scores for the CRF: the tfjs-free serving engine
 * (`@twner/tagger`) or the tfjs path (`@twner/tagger/train`). An ensemble's engine returns the
 * mean of its members' emissions.
 */
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
  emissionsOnWorker?(sentences: readonly (readonly string[])[]): { finish(): Float32Array[]; workerMs(): number } | null;
  dispose(): Promise<void> | void;
}
