import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@twner/backend';

import type { BackendName } from './backend-name';
export type { BackendName } from './backend-name';

let gradientsPatched = false;

/**
 * Masked RNNs put `tf.all` over a boolean mask on the gradient tape; tfjs registers no gradient
 * for `All`, so `optimizer.minimize` fails. Its gradient is zero: register that once.
 */
export function patchMaskGradients(): void {
  if (gradientsPatched) return;
  gradientsPatched = true;
  if (tf.getGradient('All') === undefined) {
    tf.registerGradient({
      kernelName: 'All',
      inputsToSave: ['x'],
      gradFunc: (_dy, saved) => ({ x: () => tf.zeros(saved[0].shape, 'float32') }),
    });
  }
}

/**
 * Picks the tfjs backend through `@twner/backend` (auto: tfjs-node-gpu → tfjs-node → wasm → cpu;
 * on wasm it also fills the kernels wasm lacks) and patches the mask gradient.
 * `tried` lists each attempt, with why it failed.
 */
export async function selectBackend(name: BackendName = 'auto'): Promise<{ name: string; tried: string[] }> {
  const choice = await useBackend(name);
  patchMaskGradients();
  return {
    name: choice.name,
    tried: choice.tried.map((a) => (a.error ? `${a.name} (${a.error.slice(0, 60)})` : a.name)),
  };
}
