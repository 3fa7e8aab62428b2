import * as tf from '@tensorflow/tfjs';
import { BACKEND_PREFERENCE, type BackendName, isBackendName } from './backend-name';
import { type BackendAttempt, BackendUnavailableError } from './errors';
import { registerMissingWasmKernels } from './wasm-kernel-bridge';

/** What `useBackend` chose, and what it tried on the way. */
export interface BackendChoice {
  /** The tfjs backend now active: `tensorflow`, `wasm` or `cpu`. */
  name: string;
  tried: BackendAttempt[];
}

// Optional packages are loaded by name at run time, so that a missing one is a clear failure of
// that backend rather than a failure to load this module.
const dynamicImport = (specifier: string): Promise<unknown> => import(specifier);

async function activate(name: Exclude<BackendName, 'auto'>): Promise<void> {
  if (name === 'tensorflow') {
    let lastError: unknown;
    for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
      try {
        await dynamicImport(pkg);
        lastError = undefined;
        break;
      } catch (error) {
        lastError = error;
      }
    }
    if (lastError !== undefined) throw lastError;
  } else if (name === 'wasm') {
    if (tf.findBackendFactory('wasm') == null) await dynamicImport('@tensorflow/tfjs-backend-wasm');
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
  if (name === 'wasm') registerMissingWasmKernels();
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

/**
 * Makes `name` the active TensorFlow.js backend. `auto` (the default) tries native TensorFlow
 * (`@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node`), then wasm, then cpu, and keeps the
 * first that loads. On wasm it also registers the kernels that backend lacks.
 *
 * @example
 * const { name } = await useBackend('auto'); // 'wasm' where tfjs-node is not installed
 */
export async function useBackend(name: BackendName | string = 'auto'): Promise<BackendChoice> {
  if (!isBackendName(name)) {
    throw new BackendUnavailableError(name, [{ name, error: 'unknown backend; expected auto, tensorflow, wasm or cpu' }]);
  }
  const candidates = name === 'auto' ? BACKEND_PREFERENCE : [name];
  const tried: BackendAttempt[] = [];
  for (const candidate of candidates) {
    try {
      await activate(candidate);
      tried.push({ name: candidate });
      return { name: tf.getBackend(), tried };
    } catch (error) {
      tried.push({ name: candidate, error: describe(error) });
    }
  }
  throw new BackendUnavailableError(name, tried);
}
