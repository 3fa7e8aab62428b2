/** Raised when a requested backend cannot be loaded or initialised. */
export class BackendUnavailableError extends Error {
  readonly code = 'BACKEND_UNAVAILABLE' as const;
  constructor(
    readonly backend: string,
    readonly tried: readonly BackendAttempt[],
  ) {
    super(
      `TensorFlow.js backend '${backend}' is not available: ` +
        tried.map((t) => `${t.name}: ${t.error ?? 'ok'}`).join('; ') +
        `. Install the package it needs (tensorflow: @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu; ` +
        `wasm: @tensorflow/tfjs-backend-wasm) or choose another with --backend auto|tensorflow|wasm|cpu.`,
    );
    this.name = 'BackendUnavailableError';
  }
}

/** One backend that `useBackend` tried, and why it failed when it did. */
export interface BackendAttempt {
  name: string;
  error?: string;
}
