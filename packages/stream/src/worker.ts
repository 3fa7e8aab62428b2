import type { Entity, TagEngine, TaggedResult, TrendSink } from './engine';
import { deadLetterEntry, decodeEntry, outputEntry } from './entry';
import { EngineError } from './errors';
import { checkKeys, intOption, required } from './options';
import type { OutgoingEntry, StreamEntry, StreamTransport } from './transport';

export interface WorkerOptions {
  transport: StreamTransport;
  engine: TagEngine;
  /** Most entries per read and per engine call (default 256). */
  batch?: number;
  /** Entries idle this long on another consumer are taken over, ms (default 30000). */
  claimIdleMs?: number;
  /** How long one read waits for new entries, ms; also bounds how late a stop is noticed (default 1000). */
  blockMs?: number;
  /** Texts longer than this many UTF-8 bytes go to the dead-letter stream (default 8192). */
  maxTextBytes?: number;
  /** Longest pause between retries after a transport error, ms (default 2000). */
  maxBackoffMs?: number;
  /** Where tagged mentions are recorded. */
  trends?: TrendSink;
  /** Stops the worker: the batch in hand is finished and acknowledged, then `runWorker` resolves. */
  signal?: AbortSignal;
  /** After a stop, how long a commit still in progress may take before the worker gives up on it, ms (default 10000). */
  stopGraceMs?: number;
  /** Called after each committed batch with the running totals. */
  onProgress?: (stats: WorkerStats) => void;
  /** Called with each transport or sink error the worker recovers from; default: ignore. */
  onError?: (err: unknown) => void;
}

export interface WorkerStats {
  /** Entries tagged and written to the output stream. */
  tagged: number;
  /** Entries written to the dead-letter stream. */
  deadLettered: number;
  /** Batches committed. */
  batches: number;
  /** Entries taken over from other consumers. */
  claimed: number;
  /** Transport errors recovered from. */
  retries: number;
}

const WORKER_KEYS = ['transport', 'engine', 'batch', 'claimIdleMs', 'blockMs', 'maxTextBytes', 'maxBackoffMs', 'stopGraceMs', 'trends', 'signal', 'onProgress', 'onError'];

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

async function tagAll(engine: TagEngine, texts: string[]): Promise<readonly TaggedResult[]> {
  const results = await engine.tagBatch(texts);
  if (!Array.isArray(results) || results.length !== texts.length) {
    throw new EngineError(`engine.tagBatch returned ${Array.isArray(results) ? results.length : typeof results} results for ${texts.length} texts; it must return one per text`);
  }
  return results;
}

/**
 * Tags one batch of entries: undecodable ones and, when the engine fails on the batch, each
 * entry it still fails on alone, become dead letters; the rest become outputs.
 */
export async function tagEntries(
  engine: TagEngine,
  entries: readonly StreamEntry[],
  maxTextBytes: number,
): Promise<{ outputs: OutgoingEntry[]; deadLetters: OutgoingEntry[]; mentions: { type: string; text: string }[] }> {
  const outputs: OutgoingEntry[] = [];
  const deadLetters: OutgoingEntry[] = [];
  const good: { entry: StreamEntry; text: string }[] = [];
  for (const entry of entries) {
    const d = decodeEntry(entry, maxTextBytes);
    if (d.ok) good.push({ entry, text: d.text });
    else deadLetters.push(deadLetterEntry(entry, d.reason, d.detail));
  }
  let results: (readonly Entity[] | Error)[];
  try {
    results = (await tagAll(engine, good.map((g) => g.text))).map((r) => r.entities);
  } catch {
    // Find the entries the engine fails on by tagging each alone.
    results = [];
    for (const g of good) {
      try {
        results.push((await tagAll(engine, [g.text]))[0].entities);
      } catch (err) {
        results.push(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }
  const mentions: { type: string; text: string }[] = [];
  good.forEach((g, i) => {
    const r = results[i];
    if (r instanceof Error) {
      deadLetters.push(deadLetterEntry(g.entry, 'engine-error', `entry ${g.entry.id}: the engine failed on this text: ${r.message}`));
    } else {
      outputs.push(outputEntry(g.entry, r));
      for (const e of r) mentions.push({ type: e.type, text: e.text });
    }
  });
  return { outputs, deadLetters, mentions };
}

/**
 * Consumes the transport's stream until `signal` aborts: first this consumer's own pending
 * entries, then entries idle on dead consumers (claimed after `claimIdleMs`), then new ones;
 * each batch is tagged, written and only then acknowledged (at-least-once). Transport errors
 * (Redis restarting, …) are retried with exponential backoff, after which pending entries are
 * read again. Resolves with the totals once stopped; closes the transport, not the engine.
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerStats> {
  const fn = 'runWorker';
  checkKeys(fn, options, WORKER_KEYS);
  const transport = required(fn, 'transport', options.transport);
  const engine = required(fn, 'engine', options.engine);
  const batch = intOption(fn, 'batch', options.batch, 256);
  const claimIdleMs = intOption(fn, 'claimIdleMs', options.claimIdleMs, 30000);
  const blockMs = intOption(fn, 'blockMs', options.blockMs, 1000);
  const maxTextBytes = intOption(fn, 'maxTextBytes', options.maxTextBytes, 8192);
  const maxBackoffMs = intOption(fn, 'maxBackoffMs', options.maxBackoffMs, 2000);
  const stopGraceMs = intOption(fn, 'stopGraceMs', options.stopGraceMs, 10000, 0);
  const { signal, trends, onProgress, onError } = options;
  // A read blocked on a Redis that is down never settles: a stop must not wait for it. What such
  // a read delivered stays pending on this consumer and is taken over later (at-least-once).
  const STOP = Symbol('stop');
  const stopped = new Promise<typeof STOP>((resolve) => {
    if (signal?.aborted) resolve(STOP);
    signal?.addEventListener('abort', () => resolve(STOP), { once: true });
  });
  const unlessStopped = <T>(p: Promise<T>): Promise<T | typeof STOP> => Promise.race([p, stopped]);
  const graceAfterStop = <T>(p: Promise<T>): Promise<T | typeof STOP> =>
    Promise.race([p, stopped.then(() => new Promise<typeof STOP>((resolve) => setTimeout(() => resolve(STOP), stopGraceMs).unref()))]);
  // Scan for idle entries of other consumers this often (and at once while a scan finds a full batch).
  const claimEveryMs = Math.max(50, Math.min(5000, Math.floor(claimIdleMs / 2)));

  const stats: WorkerStats = { tagged: 0, deadLettered: 0, batches: 0, claimed: 0, retries: 0 };
  let backoff = 50;
  let opened = false;
  let ownPending = true;
  let lastClaim = 0;
  let claimAgain = false;

  // While a batch is tagged, the read of the next one is already under way (without blocking,
  // so that it never holds up the commit behind it on the same connection).
  let prefetched: Promise<StreamEntry[]> | undefined;
  let committing: Promise<void> | undefined;
  const takePrefetched = (): Promise<StreamEntry[]> | undefined => {
    const p = prefetched;
    prefetched = undefined;
    return p;
  };

  // After a stop, a batch already read ahead is still tagged and acknowledged before exiting.
  while (!signal?.aborted || prefetched) {
    try {
      if (!opened) {
        if ((await unlessStopped(transport.open())) === STOP) break;
        opened = true;
      }
      let entries: StreamEntry[] = [];
      const ahead = takePrefetched();
      if (ahead) {
        const got = await graceAfterStop(ahead);
        if (got === STOP) break;
        entries = got;
      }
      if (signal?.aborted && entries.length === 0) break;
      if (entries.length === 0 && ownPending) {
        const got = await unlessStopped(transport.pending(batch));
        if (got === STOP) break;
        entries = got;
        if (entries.length === 0) ownPending = false;
      }
      if (entries.length === 0 && (claimAgain || Date.now() - lastClaim >= claimEveryMs)) {
        lastClaim = Date.now();
        const got = await unlessStopped(transport.claim(claimIdleMs, batch));
        if (got === STOP) break;
        entries = got;
        claimAgain = entries.length === batch;
        stats.claimed += entries.length;
      }
      if (entries.length === 0) {
        const got = await unlessStopped(transport.read(batch, blockMs));
        if (got === STOP) break;
        entries = got;
      }
      backoff = 50;
      if (entries.length === 0) continue;
      if (!ownPending && !signal?.aborted) {
        prefetched = transport.read(batch, 0);
        prefetched.catch(() => undefined); // its failure surfaces when it is taken
        // Clients write commands from a setImmediate (node-redis does): yield once so the read is
        // on the wire, and Redis answers it, while a synchronous engine holds the event loop.
        // Otherwise it would leave only after the batch is tagged, and the engine would sit idle
        // for its round trip on every batch.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const { outputs, deadLetters, mentions } = await tagEntries(engine, entries, maxTextBytes);
      // Commits run one at a time, in order; the next batch is tagged while this one is written.
      if (committing) {
        const previous = committing;
        committing = undefined;
        // A stop arriving now lets the batch in hand finish: the commit gets stopGraceMs to complete.
        if ((await graceAfterStop(previous)) === STOP) break;
      }
      const ids = entries.map((e) => e.id);
      committing = transport.commit(outputs, deadLetters, ids).then(async () => {
        stats.tagged += outputs.length;
        stats.deadLettered += deadLetters.length;
        stats.batches += 1;
        if (trends && mentions.length > 0) {
          try {
            await trends.record(mentions, Date.now());
          } catch (err) {
            onError?.(err);
          }
        }
        onProgress?.({ ...stats });
      });
      committing.catch(() => undefined); // its failure surfaces when it is awaited
    } catch (err) {
      prefetched = undefined;
      if (committing) {
        // Let a commit in flight settle first: it may well succeed, and nothing runs twice at once.
        await graceAfterStop(committing).catch(() => undefined);
        committing = undefined;
      }
      if (signal?.aborted) break;
      stats.retries += 1;
      onError?.(err);
      // What was read but not committed is still pending on this consumer: read it again first.
      ownPending = true;
      await sleep(backoff, signal);
      backoff = Math.min(maxBackoffMs, backoff * 2);
    }
  }
  if (committing) {
    try {
      await graceAfterStop(committing);
    } catch (err) {
      onError?.(err);
    }
  }
  try {
    await transport.close();
  } catch (err) {
    onError?.(err);
  }
  return stats;
}
