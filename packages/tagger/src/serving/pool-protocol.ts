import type { TaggedText } from '../entities/entity';
import type { LoadTaggerOptions } from '../load';

/** What a pool thread is started with. */
export interface PoolWorkerData {
  model: string | undefined;
  options: Omit<LoadTaggerOptions, 'gazetteer'>;
}

/** Parent → thread: tag these texts (the reply carries the same id). */
export interface PoolRequest {
  id: number;
  texts: readonly string[];
}

/** An error thrown in a pool thread, as it crosses to the parent. */
export interface PoolErrorData {
  name: string;
  message: string;
  code: string | undefined;
  exitCode: number | undefined;
}

/** Thread → parent: loaded (or not), and one reply per request. */
export type PoolReply =
  | { type: 'ready'; source: string; description: string; labels: readonly string[] }
  | { type: 'load-failed'; error: PoolErrorData }
  | { type: 'done'; id: number; results: TaggedText[] }
  | { type: 'failed'; id: number; error: PoolErrorData };

/** The fields of an error that survive the trip between threads. */
export function errorData(error: unknown): PoolErrorData {
  if (error instanceof Error) {
    const e = error as Error & { code?: unknown; exitCode?: unknown };
    return {
      name: e.name,
      message: e.message,
      code: typeof e.code === 'string' ? e.code : undefined,
      exitCode: typeof e.exitCode === 'number' ? e.exitCode : undefined,
    };
  }
  return { name: 'Error', message: String(error), code: undefined, exitCode: undefined };
}
