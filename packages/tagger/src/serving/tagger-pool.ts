import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TaggedText } from '../entities/entity';
import { EXIT_FAILURE, EXIT_USAGE, TaggerError, type TaggerErrorCode } from '../errors';
import type { LoadTaggerOptions } from '../load';
import { checkTexts } from '../tweet-tagger';
import type { PoolErrorData, PoolReply, PoolRequest, PoolWorkerData } from './pool-protocol';

/** Most texts one thread tags at a time: a larger call is cut into pieces, spread over the threads. */
export const POOL_PIECE = 256;
/** Fewest texts in a piece of a call cut to keep every thread busy. */
const MIN_POOL_PIECE = 64;

/** Options of {@link loadTaggerPool}: `loadTagger`'s, with `threads` the number of threads of the pool. */
export interface TaggerPoolOptions extends Omit<LoadTaggerOptions, 'threads' | 'gazetteer'> {
  /** Tagging threads, each with its own tagger on one engine thread (default 2). */
  threads?: number;
}

/**
 * Taggers in worker threads, for a process whose own thread has other work (an HTTP server, a
 * stream consumer): `tagBatch` returns at once with a promise, and this thread stays free while
 * the pool tags. Calls run side by side, each thread taking the next piece: a call is cut into
 * equal pieces of at most {@link POOL_PIECE} texts, and one of 128 texts or more into at least
 * as many pieces as there are threads. Each thread loads the whole model (its own copy) and tags
 * exactly as `loadTagger` does.
 */
export interface TaggerPool {
  /** Threads of the pool. */
  readonly threads: number;
  /** Where the model was loaded from (a folder, or `package@version`). */
  readonly source: string;
  /** The engine each thread runs, in words. */
  readonly description: string;
  readonly labels: readonly string[];
  /** Tags tweets in input order, as `Tagger.tagBatch` does. */
  tagBatch(texts: readonly string[]): Promise<TaggedText[]>;
  /** Pieces waiting for a thread or running. */
  readonly pending: number;
  /** Lets running calls finish, refuses new ones, and ends the threads. */
  dispose(): Promise<void>;
}

/**
 * The thread script: `pool-worker.js` beside this bundle; run from the sources, the package's
 * build (`dist/`, found from this file under CJS, else from the working folder as the model is).
 */
function workerScript(): string {
  const dirs: string[] = [];
  // (`__dirname` is this bundle's folder in the CJS and ESM builds; run from source as ESM there is none)
  if (typeof __dirname === 'string') dirs.push(__dirname, join(__dirname, '..', '..', 'dist'));
  try {
    dirs.push(join(dirname(createRequire(join(process.cwd(), 'noop.js')).resolve('@twner/tagger/package.json')), 'dist'));
  } catch {
    // (not installed where this process runs)
  }
  for (const dir of dirs) {
    for (const name of ['pool-worker.js', 'pool-worker.cjs']) if (existsSync(join(dir, name))) return join(dir, name);
  }
  throw new TaggerError(`cannot find the tagger pool's thread script (pool-worker.js) in ${dirs.join(', ')}: build or reinstall @twner/tagger`, EXIT_FAILURE);
}

/** An error from a pool thread, rebuilt here with its name, message, code and exit code. */
function poolError(data: PoolErrorData): TaggerError {
  const code = data.code?.startsWith('TWNER_') ? (data.code as TaggerErrorCode) : undefined;
  const error = new TaggerError(data.message, data.exitCode ?? EXIT_FAILURE, code ? { code } : undefined);
  Object.defineProperty(error, 'name', { value: data.name });
  return error;
}

interface Task {
  texts: readonly string[];
  resolve: (results: TaggedText[]) => void;
  reject: (error: unknown) => void;
}

interface Thread {
  worker: Worker;
  index: number;
  /** The task it runs, or null when idle. */
  task: Task | null;
}

type Ready = Extract<PoolReply, { type: 'ready' }>;

/** Starts one thread and waits until its tagger has loaded. */
function startThread(index: number, data: PoolWorkerData): Promise<{ thread: Thread; ready: Ready }> {
  const worker = new Worker(workerScript(), { workerData: data });
  return new Promise((resolve, reject) => {
    const onMessage = (reply: PoolReply): void => {
      if (reply.type === 'ready') {
        off();
        resolve({ thread: { worker, index, task: null }, ready: reply });
      } else if (reply.type === 'load-failed') {
        off();
        void worker.terminate();
        reject(poolError(reply.error));
      }
    };
    const onError = (error: Error): void => {
      off();
      reject(new TaggerError(`tagger pool thread ${index + 1} failed while loading: ${error.message}`, EXIT_FAILURE, { cause: error }));
    };
    const onExit = (code: number): void => {
      off();
      reject(new TaggerError(`tagger pool thread ${index + 1} exited (${code}) while loading`, EXIT_FAILURE));
    };
    const off = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/**
 * Loads a model (as `loadTagger` does, default the shipped `@twner/model-wnut16`) into `threads`
 * worker threads (default 2) and returns the pool that tags with them. The `gazetteer` option of
 * `loadTagger` cannot cross threads: give `lexiconDir` instead.
 */
export async function loadTaggerPool(model?: string, options: TaggerPoolOptions = {}): Promise<TaggerPool> {
  const { threads: count = 2, ...rest } = options;
  if (!Number.isInteger(count) || count < 1) throw new TaggerError(`loadTaggerPool: threads must be a positive integer, got ${JSON.stringify(count)}`, EXIT_USAGE);
  if ('gazetteer' in rest) throw new TaggerError('loadTaggerPool: the gazetteer option cannot cross threads; give lexiconDir instead', EXIT_USAGE);
  const data: PoolWorkerData = { model, options: rest };
  const started = await Promise.allSettled(Array.from({ length: count }, (_, i) => startThread(i, data)));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.thread.worker.terminate() : undefined)));
    throw failed.reason;
  }
  const ready = (started as PromiseFulfilledResult<{ thread: Thread; ready: Ready }>[]).map((s) => s.value);
  const pool: Thread[] = ready.map((r) => r.thread);
  const queue: Task[] = [];
  let nextId = 1;
  let broken: TaggerError | null = null;
  let closing = false;
  let running = 0;
  let idleWaiters: (() => void)[] = [];

  const settleIdle = (): void => {
    if (running > 0 || queue.length > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };
  /** Every call waiting or running fails with `error`; later calls too. */
  const breakPool = (error: TaggerError): void => {
    broken ??= error;
    for (const t of pool) {
      if (t.task !== null) {
        t.task.reject(error);
        t.task = null;
        running--;
      }
    }
    for (const task of queue.splice(0)) task.reject(error);
    settleIdle();
  };
  const dispatch = (): void => {
    for (const thread of pool) {
      if (thread.task !== null || queue.length === 0 || broken !== null) continue;
      const task = queue.shift() as Task;
      thread.task = task;
      running++;
      const request: PoolRequest = { id: nextId++, texts: task.texts };
      thread.worker.postMessage(request);
    }
  };
  for (const thread of pool) {
    thread.worker.on('message', (reply: PoolReply) => {
      const task = thread.task;
      if (task === null || (reply.type !== 'done' && reply.type !== 'failed')) return;
      thread.task = null;
      running--;
      if (reply.type === 'done') task.resolve(reply.results);
      else task.reject(poolError(reply.error));
      dispatch();
      settleIdle();
    });
    thread.worker.on('error', (error) => breakPool(new TaggerError(`tagger pool thread ${thread.index + 1} failed: ${error.message}; load a new pool`, EXIT_FAILURE, { cause: error })));
    thread.worker.on('exit', (code) => {
      if (!closing) breakPool(new TaggerError(`tagger pool thread ${thread.index + 1} stopped (exit code ${code}); load a new pool`, EXIT_FAILURE));
    });
  }

  const submit = (texts: readonly string[]): Promise<TaggedText[]> =>
    new Promise<TaggedText[]>((resolve, reject) => {
      queue.push({ texts, resolve, reject });
      dispatch();
    });

  return {
    threads: count,
    source: ready[0].ready.source,
    description: `${ready[0].ready.description}, in a pool of ${count} thread${count === 1 ? '' : 's'}`,
    labels: ready[0].ready.labels,
    get pending() {
      return running + queue.length;
    },
    async tagBatch(texts: readonly string[]): Promise<TaggedText[]> {
      checkTexts(texts);
      if (closing) throw new TaggerError('tagBatch: the tagger pool is disposed', EXIT_USAGE);
      if (broken !== null) throw broken;
      if (texts.length === 0) return [];
      const n = texts.length;
      const k = Math.max(Math.ceil(n / POOL_PIECE), Math.min(count, Math.floor(n / MIN_POOL_PIECE)), 1);
      const size = Math.ceil(n / k);
      const pieces: Promise<TaggedText[]>[] = [];
      for (let i = 0; i < n; i += size) pieces.push(submit(texts.slice(i, i + size)));
      return (await Promise.all(pieces)).flat();
    },
    async dispose(): Promise<void> {
      if (closing) return;
      closing = true;
      if (running > 0 || queue.length > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
      await Promise.all(pool.map((t) => t.worker.terminate()));
    },
  };
}
