// An open-loop HTTP load generator: requests leave on a fixed schedule (rate per second, evenly
// spaced), whatever the server's answers do, and each latency is measured from the moment its
// request was due, so time spent waiting for a free connection counts (no coordinated omission).
//
// Why not autocannon's `overallRate`: it gives each connection a budget per second that it spends
// as fast as it can, so "5,000 tweets/s" arrives as a burst at the top of every second and the
// p99 is the burst's queueing delay (≈130 ms here with an engine that costs nothing), not the
// latency at that load.
import * as http from 'node:http';

export interface OpenLoopOptions {
  url: string;
  /** Request bodies (JSON), cycled. */
  bodies: readonly string[];
  /** Requests per second. */
  rate: number;
  durationS: number;
  /** Most connections open at once (keep-alive); requests beyond wait for one. */
  connections: number;
  /**
   * Seconds of load at the same rate before `durationS`, not counted (default 0): the server's
   * batches, JIT and heap settle into the rate first, so the figures are the steady state's.
   */
  warmupS?: number;
}

export interface OpenLoopResult {
  /** Requests sent and answered in the counted part (after the warm-up). */
  sent: number;
  ok: number;
  failed: number;
  /** Seconds from the first counted request's due time to the last answer. */
  elapsedS: number;
  p50: number;
  p99: number;
  max: number;
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const { url, bodies, rate, durationS, connections } = options;
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const warm = Math.round(rate * (options.warmupS ?? 0));
  const total = warm + Math.round(rate * durationS);
  const latencies: number[] = [];
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let answered = 0;
  let lastAnswer = 0;
  const t0 = performance.now() + 10;
  const done = new Promise<void>((resolve) => {
    const answer = (dueAt: number, counted: boolean, good: boolean): void => {
      answered += 1;
      if (counted) {
        lastAnswer = performance.now();
        latencies.push(lastAnswer - dueAt);
        if (good) ok += 1;
        else failed += 1;
      }
      if (answered === total) resolve();
    };
    const send = (dueAt: number, counted: boolean, body: string): void => {
      const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => answer(dueAt, counted, res.statusCode === 200));
      });
      req.on('error', () => answer(dueAt, counted, false));
      req.end(body);
    };
    const tick = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
      while (sent < due) {
        send(t0 + (sent * 1000) / rate, sent >= warm, bodies[sent % bodies.length]);
        sent += 1;
      }
      if (sent < total) setTimeout(tick, 1);
    };
    setTimeout(tick, 10);
  });
  await done;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { sent: sent - warm, ok, failed, elapsedS: (lastAnswer - (t0 + (warm * 1000) / rate)) / 1000, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies[latencies.length - 1] };
}
