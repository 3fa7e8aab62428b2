/**
 * Training throughput: sub-tokens per second over the steps taken so far, and what that makes
 * of one epoch. The first step is left out of the rate once there are others: it pays for kernel
 * set-up and the optimiser's first allocations, which later steps do not.
 */

/** How many steps `twner train bert` measures before it prints the expected time per epoch. */
export const ESTIMATE_AFTER_STEPS = 3;

export class ThroughputMeter {
  private readonly steps: { tokens: number; seconds: number }[] = [];

  /** Records one optimiser step: the batch's real (unpadded) sub-tokens and its wall-clock seconds. */
  add(tokens: number, seconds: number): void {
    this.steps.push({ tokens, seconds });
  }

  get count(): number {
    return this.steps.length;
  }

  /** Sub-tokens per second over the recorded steps, the first left out when there are others; 0 before any. */
  get tokensPerSecond(): number {
    const measured = this.steps.length > 1 ? this.steps.slice(1) : this.steps;
    const tokens = measured.reduce((n, s) => n + s.tokens, 0);
    const seconds = measured.reduce((n, s) => n + s.seconds, 0);
    return seconds > 0 ? tokens / seconds : 0;
  }

  /** Seconds one epoch of `epochTokens` sub-tokens takes at the current rate (Infinity before any step). */
  epochSeconds(epochTokens: number): number {
    const rate = this.tokensPerSecond;
    return rate > 0 ? epochTokens / rate : Number.POSITIVE_INFINITY;
  }
}

/** `1h 02m`, `14m 05s`, `9.3 s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(s).padStart(2, '0')}s`;
}

/** The line `twner train bert` prints after its first steps. */
export function expectedEpochLine(meter: ThroughputMeter, epochTokens: number, stepsPerEpoch: number): string {
  const over = meter.count > 2 ? `steps 2–${meter.count}` : `step ${meter.count}`;
  return (
    `expected time per epoch: ${formatDuration(meter.epochSeconds(epochTokens))} ` +
    `(${epochTokens.toLocaleString('en-US')} sub-tokens in ${stepsPerEpoch} steps at ${Math.round(meter.tokensPerSecond).toLocaleString('en-US')} tokens/s, measured over ${over})`
  );
}
