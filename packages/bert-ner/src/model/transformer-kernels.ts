import * as tf from '@tensorflow/tfjs';
import { wasmKernelsAvailable } from '@twner/kernels';
import { InvalidOptionError } from '../tokenize/errors';

/**
 * Which kernels run the attention core (Q·Kᵀ, softmax, ·V per head) and the exact GELU:
 * - `'simd'`: `@twner/kernels`' WebAssembly SIMD kernels, in the [tokens, hidden] layout with no
 *   head transposes (the wasm backend runs these small batched products far off its fast path);
 * - `'tfjs'`: op by op on the active backend;
 * - `'auto'` (the default): `'simd'` on the wasm and cpu backends where WebAssembly SIMD
 *   exists, `'tfjs'` elsewhere (tfjs-node's native kernels, WebGL).
 */
export type TransformerKernels = 'auto' | 'simd' | 'tfjs';

const CHOICES: readonly TransformerKernels[] = ['auto', 'simd', 'tfjs'];

let choice: TransformerKernels = 'auto';

/** Sets the {@link TransformerKernels} choice; returns the previous one. */
export function setTransformerKernels(kernels: TransformerKernels): TransformerKernels {
  if (!CHOICES.includes(kernels)) throw new InvalidOptionError('kernels', "'auto', 'simd' or 'tfjs'", JSON.stringify(kernels), 'setTransformerKernels');
  if (kernels === 'simd' && !wasmKernelsAvailable()) throw new Error("setTransformerKernels: 'simd' needs WebAssembly with SIMD");
  const previous = choice;
  choice = kernels;
  return previous;
}

/** Whether the SIMD kernels run now (the choice resolved for the active backend). */
export function simdKernelsActive(): boolean {
  if (choice !== 'auto') return choice === 'simd';
  const backend = tf.getBackend();
  return (backend === 'wasm' || backend === 'cpu') && wasmKernelsAvailable();
}
