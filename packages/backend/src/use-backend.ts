import * as tf from '@tensorflow/tfjs';
import { BACKEND_PREFERENCE, type BackendName, isBackendName } from './backend-name';
import { type BackendAttempt, BackendUnavailableError } from './errors';
import { registerMissingWasmKernels } from './wasm-kernel-bridge';
import { shareWasmIdentity } from './wasm-shared-identity';
import { initThreadedWasm } from './wasm-threads';

/** What `useBackend` chose, and what it tried on the way. */
export interface BackendChoice {
  /** The tfjs backend now active: `tensorflow`, `wasm` or `cpu`. */
  name: string;
  tried: BackendAttempt[];
}

// Optional packages are loaded by name at run time, so that a missing one is a clear failure of
// that backend rather than a failure to load this module.
const dynamicImport = (specifier: string): Promise<unknown> => import(specifier);

/** Options of {@link useBackend}. */
export interface UseBackendOptions {
  /**
   * XNNPACK threads of the wasm backend in Node (its threaded SIMD build), 2 to 8; 1 keeps the
   * single-threaded build. Default: `TWNER_WASM_THREADS`, else 1. Only effective when the wasm
   * backend has not been initialised yet in the process. More threads than idle cores is slower
   * (the pool spins): measure before turning it on.
   */
  wasmThreads?: number;
}

/** The wasm thread count asked for: the option, else `TWNER_WASM_THREADS`, else 1. */
function wasmThreads(options: UseBackendOptions): number {
  const raw = options.wasmThreads ?? (process.env.TWNER_WASM_THREADS ? Number(process.env.TWNER_WASM_THREADS) : 1);
  if (!Number.isInteger(raw) || raw < 1 || raw > 8) throw new Error(`wasm threads must be an integer from 1 to 8, got ${String(raw)} (wasmThreads or TWNER_WASM_THREADS)`);
  return raw;
}

async function activate(name: Exclude<BackendName, 'auto'>, options: UseBackendOptions): Promise<void> {
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
    const threads = wasmThreads(options);
    // the thread count is fixed when the backend is first initialised (tf.findBackend would
    // initialise it, so the engine's registry is asked)
    const initialised = (tf.engine() as unknown as { registry: Record<string, unknown> }).registry.wasm != null;
    if (threads > 1 && !initialised) await initThreadedWasm(threads);
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
  if (name === 'wasm') {
    registerMissingWasmKernels();
    shareWasmIdentity();
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

/**
 * Makes `name` the active TensorFlow.js backend. `auto` (the default) tries native TensorFlow
 * (`@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node`), then wasm, then cpu, and keeps the
 * first that loads. On wasm it also registers the kernels that backend lacks, shares memory in
 * `Identity`, and with `wasmThreads` ≥ 2 (or `TWNER_WASM_THREADS`) loads the threaded build.
 *
 * @example
 * const { name } = await useBackend('auto'); // 'wasm' where tfjs-node is not installed
 */
export async function useBackend(name: BackendName | string = 'auto', options: UseBackendOptions = {}): Promise<BackendChoice> {
  if (!isBackendName(name)) {
    throw new BackendUnavailableError(name, [{ name, error: 'unknown backend; expected auto, tensorflow, wasm or cpu' }]);
  }
  const candidates = name === 'auto' ? BACKEND_PREFERENCE : [name];
  const tried: BackendAttempt[] = [];
  for (const candidate of candidates) {
    try {
      await activate(candidate, options);
      tried.push({ name: candidate });
      return { name: tf.getBackend(), tried };
    } catch (error) {
      tried.push({ name: candidate, error: describe(error) });
    }
  }
  throw new BackendUnavailableError(name, tried);
}
