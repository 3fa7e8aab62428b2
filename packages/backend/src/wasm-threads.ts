import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

// tfjs-backend-wasm turns its threaded build off under Node (WASM_HAS_MULTITHREAD_SUPPORT is
// false there), and even when forced on it cannot start in Node: it hands its worker and main
// scripts to the workers as Blob URLs, which Node's worker_threads cannot load, and it sizes
// XNNPACK's pool as logical cores / 2 (one thread on a 2-vCPU machine). `initThreadedWasm` works
// around the three for the duration of the backend's initialisation only.

/** Marks the worker script's source: emscripten's pthread worker starts with this. */
const WORKER_PREFIX = '"use strict";var Module={}';
/** The threaded build's main script, as tfjs hands it over (its bundled, renamed copy). */
const MAIN_PREFIX = 'var WasmBackendModuleThreadedSimd = ';
/** Prepended to the worker script: the "blob URL" the worker receives is already a file path. */
const WORKER_PATCH = 'URL.createObjectURL=function(b){return b.__path};URL.revokeObjectURL=function(){};';

/** The threaded build starts 8 workers; more threads would need workers started after the scripts are gone. */
const MAX_THREADS = 8;

interface Patched {
  blob: unknown;
  createObjectURL: typeof URL.createObjectURL;
  revokeObjectURL: typeof URL.revokeObjectURL;
  cpus: typeof os.cpus;
}

/**
 * Initialises the wasm backend with its threaded SIMD build and `threads` XNNPACK threads, in
 * Node. Must run before the wasm backend is first initialised (`tf.setBackend('wasm')`); the
 * global `Blob`, `URL.createObjectURL` and `os.cpus` are replaced while it runs, and the scripts
 * the workers load are written to a temporary folder that is removed afterwards.
 * @returns the XNNPACK thread count the backend reports
 */
export async function initThreadedWasm(threads: number): Promise<number> {
  if (!Number.isInteger(threads) || threads < 2 || threads > MAX_THREADS) throw new Error(`wasm threads must be an integer from 2 to ${MAX_THREADS}, got ${threads}`);
  if (typeof process === 'undefined' || !process.versions?.node) throw new Error('the threaded wasm loader is for Node; browsers load the threaded build by themselves');
  // CommonJS builds resolve from this package; ES module builds (no `require`) from the working directory
  const resolver = typeof require === 'function' ? require : createRequire(path.join(process.cwd(), 'index.js'));
  const wasmPackage = resolver.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  const mainScript = readFileSync(path.join(path.dirname(wasmPackage), 'wasm-out/tfjs-backend-wasm-threaded-simd.js'), 'utf8');
  const wasm = (await import('@tensorflow/tfjs-backend-wasm')) as { setThreadsCount(n: number): void; getThreadsCount(): number };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'twner-wasm-threads-'));
  let files = 0;
  // A Blob stand-in that is a file: tfjs builds the two scripts as Blobs and turns them into URLs.
  class FileBlob {
    readonly __path: string;
    constructor(parts: unknown[]) {
      let text = parts.map(String).join('');
      if (text.startsWith(MAIN_PREFIX)) text = mainScript;
      else if (text.startsWith(WORKER_PREFIX)) text = WORKER_PATCH + text;
      this.__path = path.join(dir, `script-${files++}.js`);
      writeFileSync(this.__path, text);
    }
  }
  const saved: Patched = { blob: globalThis.Blob, createObjectURL: URL.createObjectURL, revokeObjectURL: URL.revokeObjectURL, cpus: os.cpus };
  const realCpus = os.cpus;
  const globals = globalThis as unknown as { Blob: unknown };
  globals.Blob = FileBlob;
  URL.createObjectURL = ((blob: FileBlob) => blob.__path) as unknown as typeof URL.createObjectURL;
  URL.revokeObjectURL = () => undefined;
  // tfjs sizes its pool as min(requested, logical cores / 2)
  (os as { cpus: typeof os.cpus }).cpus = () => Array.from({ length: 2 * threads }, (_, i) => realCpus()[i % realCpus().length]);
  try {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    wasm.setThreadsCount(threads);
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error("tf.setBackend('wasm') returned false with the threaded build");
    await tf.ready();
  } finally {
    globals.Blob = saved.blob;
    URL.createObjectURL = saved.createObjectURL;
    URL.revokeObjectURL = saved.revokeObjectURL;
    (os as { cpus: typeof os.cpus }).cpus = saved.cpus;
    rmSync(dir, { recursive: true, force: true });
  }
  // emscripten holds a reference on each worker that runs a pool thread, and the pool threads
  // never end: without this the process could not exit once its work is done
  const pthreads = (tf.backend() as unknown as { wasm?: { PThread?: { runningWorkers?: { unref?(): void }[] } } }).wasm?.PThread;
  for (const worker of pthreads?.runningWorkers ?? []) worker.unref?.();
  return wasm.getThreadsCount();
}
