// What the tagger's benches share: smoke mode, the machine's description, the load average and
// the median rate of a timed function.
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** TWNER_BENCH_SMOKE=1 (CI): every part once on a few tweets; figures not meaningful. */
export const SMOKE = process.env.TWNER_BENCH_SMOKE === '1';

/** Timed repetitions: `n` normally, 1 in smoke mode. */
export const reps = (n: number): number => (SMOKE ? 1 : n);

export function machine(): string {
  const info = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(info)?.[1] ?? cpus()[0]?.model ?? 'unknown CPU';
  return `${model}, ${cpus().length} logical cores, Node ${process.versions.node}`;
}

/** The 1, 5 and 15 minute load averages. */
export const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

/** The median of `xs` (the upper one of an even count). */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

/** Median of `repeats` timings of `fn` over `n` tweets, after one warm-up call; tweets/s. */
export function rate(n: number, fn: () => void, repeats = reps(3)): number {
  return interleavedRates(n, [fn], repeats)[0];
}

/**
 * Median tweets/s of each of several timed functions over `n` tweets, their timings interleaved
 * (A, B, A, B, …, after one warm-up call of each), so that a machine whose speed drifts from
 * minute to minute slows them alike: for ratios between them.
 */
export function interleavedRates(n: number, fns: readonly (() => void)[], repeats = reps(5)): number[] {
  for (const fn of fns) fn();
  const times = fns.map((): number[] => []);
  for (let r = 0; r < repeats; r++) {
    fns.forEach((fn, i) => {
      const t0 = performance.now();
      fn();
      times[i].push((performance.now() - t0) / 1000);
    });
  }
  return times.map((ts) => n / median(ts));
}
