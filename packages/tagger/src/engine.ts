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
  dispose(): Promise<void> | void;
}
