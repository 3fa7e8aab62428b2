/**
 * The backends twner knows how to pick, fastest first.
 * - `tensorflow`: native TensorFlow through `@tensorflow/tfjs-node-gpu`, else `@tensorflow/tfjs-node`.
 * - `wasm`: `@tensorflow/tfjs-backend-wasm` (SIMD where the runtime has it).
 * - `cpu`: the plain JavaScript backend that ships with `@tensorflow/tfjs`.
 * - `auto`: the first of the above that loads.
 */
export type BackendName = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** The order `auto` tries. */
export const BACKEND_PREFERENCE: readonly Exclude<BackendName, 'auto'>[] = ['tensorflow', 'wasm', 'cpu'];

export const BACKEND_NAMES: readonly BackendName[] = ['auto', ...BACKEND_PREFERENCE];

export function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}
