/** Options of {@link linearSchedule}. */
export interface LinearScheduleOptions {
  /** Peak learning rate, reached after warm-up. */
  learningRate: number;
  /** Steps of linear warm-up from 0. Default 0. */
  warmupSteps?: number;
  /** Total optimiser steps; the rate falls linearly to 0 at this step. */
  totalSteps: number;
}

/**
 * transformers' `get_linear_schedule_with_warmup`: the learning rate for 0-based step `s` is
 * lr·s/warmup during warm-up, then lr·(total − s)/(total − warmup), never below 0.
 */
export function linearSchedule(options: LinearScheduleOptions): (step: number) => number {
  const warmup = options.warmupSteps ?? 0;
  const total = options.totalSteps;
  return (step) => {
    if (step < warmup) return (options.learningRate * step) / Math.max(1, warmup);
    return options.learningRate * Math.max(0, (total - step) / Math.max(1, total - warmup));
  };
}
