import type { TagEngine, TaggedResult } from './engine';
import { ClosedError, EngineError, OptionsError, QueueFullError } from './errors';

export interface BatcherOptions {
  engine: TagEngine;
  /** Most texts handed to the engine in one call. */
  maxBatch: number;
  /** Longest a text waits for others to fill a batch while the engine is idle, in ms. */
  maxWaitMs: number;
  /** Most texts waiting for the engine; a request that would exceed it is refused with `QueueFullError`. */
  maxQueue: number;
  /** Called after each engine call with the batch size and its duration in seconds. */
  onBatch?: (size: number, seconds: number) => void;
  /** Engine calls run at once (default: the engine's `concurrency`, else 1). */
  concurrency?: number;
}

interface Job {
  texts: readonly string[];
  results: TaggedResult[];
  /** Index of the first text not yet handed to the engine. */
  next: number;
  /** Texts handed to the engine whose results have not come back. */
  inFlight: number;
  settled: boolean;
  resolve: (results: TaggedResult[]) => void;
  reject: (err: unknown) => void;
}

/**
 * Collects the texts of concurrent requests into engine batches: a batch starts when `maxBatch`
 * texts are waiting, when the oldest has waited `maxWaitMs`, or at once after the previous batch
 * when texts queued up meanwhile. Up to `concurrency` engine calls run at a time (one, unless the
 * engine is a pool of threads); a request larger than `maxBatch` is split over several batches
 * and answered when its last text is tagged.
 */
export class MicroBatcher {
  private readonly options: BatcherOptions;
  private readonly jobs: Job[] = [];
  private queued = 0;
  /** Engine calls running. */
  private inFlight = 0;
  private readonly concurrency: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(options: BatcherOptions) {
    this.options = options;
    const concurrency = options.concurrency ?? options.engine.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new OptionsError('MicroBatcher', options.concurrency !== undefined ? 'concurrency' : 'engine.concurrency', `must be a positive integer, got ${String(concurrency)}`);
    }
    this.concurrency = concurrency;
  }

  /** Texts waiting for the engine (not counting the batch being tagged). */
  get depth(): number {
    return this.queued;
  }

  /** Tags `texts` in whatever batches form; resolves with one result per text, in order. */
  submit(texts: readonly string[]): Promise<TaggedResult[]> {
    if (this.closed) return Promise.reject(new ClosedError('the tagging queue'));
    if (texts.length === 0) return Promise.resolve([]);
    if (this.queued + texts.length > this.options.maxQueue) {
      return Promise.reject(new QueueFullError(this.queued, texts.length, this.options.maxQueue));
    }
    return new Promise<TaggedResult[]>((resolve, reject) => {
      this.jobs.push({ texts, results: new Array(texts.length), next: 0, inFlight: 0, settled: false, resolve, reject });
      this.queued += texts.length;
      this.schedule();
    });
  }

  /** Refuses new work and resolves once every accepted text has been answered. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.inFlight === 0 && this.queued === 0) return;
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.schedule();
    await idle;
  }

  private schedule(): void {
    if (this.inFlight >= this.concurrency || this.queued === 0) return;
    if (this.queued >= this.options.maxBatch || this.closed) {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      void this.run();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.run();
      }, this.options.maxWaitMs);
    }
  }

  /** Takes up to `maxBatch` texts from the head of the queue. */
  private take(): { texts: string[]; parts: { job: Job; from: number; to: number }[] } {
    const texts: string[] = [];
    const parts: { job: Job; from: number; to: number }[] = [];
    for (const job of this.jobs) {
      if (texts.length >= this.options.maxBatch) break;
      if (job.next >= job.texts.length) continue;
      const from = job.next;
      const to = Math.min(job.texts.length, from + this.options.maxBatch - texts.length);
      for (let i = from; i < to; i++) texts.push(job.texts[i]);
      job.next = to;
      job.inFlight += to - from;
      parts.push({ job, from, to });
    }
    this.queued -= texts.length;
    return { texts, parts };
  }

  private async run(): Promise<void> {
    if (this.inFlight >= this.concurrency || this.queued === 0) return this.settleIdle();
    this.inFlight++;
    const { texts, parts } = this.take();
    // A free engine slot takes the next batch as it forms.
    if (this.queued > 0) this.schedule();
    const t0 = performance.now();
    try {
      const results = await this.options.engine.tagBatch(texts);
      if (!Array.isArray(results) || results.length !== texts.length) {
        throw new EngineError(
          `engine.tagBatch returned ${Array.isArray(results) ? results.length : typeof results} results for ${texts.length} texts; it must return one result per text, in order`,
        );
      }
      this.options.onBatch?.(texts.length, (performance.now() - t0) / 1000);
      let k = 0;
      for (const { job, from, to } of parts) {
        for (let i = from; i < to; i++) job.results[i] = results[k++];
        job.inFlight -= to - from;
        if (!job.settled && job.inFlight === 0 && job.next === job.texts.length) this.finish(job, undefined);
      }
    } catch (err) {
      for (const { job } of parts) this.finish(job, err);
    } finally {
      this.inFlight--;
    }
    if (this.queued > 0) setImmediate(() => this.schedule());
    else this.settleIdle();
  }

  private finish(job: Job, err: unknown): void {
    if (job.settled) return;
    job.settled = true;
    const index = this.jobs.indexOf(job);
    if (index >= 0) this.jobs.splice(index, 1);
    if (err === undefined) {
      job.resolve(job.results);
    } else {
      // Texts of a failed request that never reached the engine are dropped from the queue.
      this.queued -= job.texts.length - job.next;
      job.next = job.texts.length;
      job.reject(err);
    }
  }

  private settleIdle(): void {
    if (this.inFlight > 0 || this.queued > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
