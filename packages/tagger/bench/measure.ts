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

/**
 * A full garbage collection now, where the process runs with `--expose-gc` (the bench scripts
 * do): what earlier parts left (taggers disposed, gazetteers built) is then not collected by
 * V8's background threads while a part is timed, taking CPU from an engine that uses both cores.
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Median of `repeats` timings of `fn` over `n` tweets, after `warmups` untimed calls (default 1); tweets/s. */
export function rate(n: number, fn: () => void, repeats = reps(3), warmups = 1): number {
  return interleavedRates(n, [fn], repeats, warmups)[0];
}

/**
 * Median tweets/s of each of several timed functions over `n` tweets, their timings interleaved
 * (A, B, A, B, …, after `warmups` untimed calls of each, default 1), so that a machine whose
 * speed drifts from minute to minute slows them alike: for ratios between them.
 */
export function interleavedRates(n: number, fns: readonly (() => void)[], repeats = reps(5), warmups = 1): number[] {
  collectGarbage();
  for (let w = 0; w < warmups; w++) for (const fn of fns) fn();
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
