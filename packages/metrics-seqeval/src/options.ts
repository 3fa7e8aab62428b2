/** Options shared by the score functions, validated in one place. */
import { InvalidOptionError, MissingSchemeError } from './errors';

/** The strict-mode schemes of seqeval 1.2 (`seqeval.scheme`). */
export type StrictScheme = 'IOB1' | 'IOB2' | 'IOE1' | 'IOE2' | 'IOBES' | 'BILOU';
export const STRICT_SCHEMES: readonly StrictScheme[] = ['IOB1', 'IOB2', 'IOE1', 'IOE2', 'IOBES', 'BILOU'];

/** 'default': conlleval-compatible chunking (seqeval's default). 'strict': spans must obey `scheme`. */
export type Mode = 'default' | 'strict';
/** null: one number per entity type, in sorted type order. */
export type Average = 'micro' | 'macro' | 'weighted' | null;
/** Value of a ratio whose denominator is 0; 'warn' acts as 0 and reports through `onWarning`. */
export type ZeroDivision = 'warn' | 0 | 1;

export interface EntityOptions {
  /** Default 'default'. */
  mode?: Mode;
  /** Required with mode 'strict'; ignored in default mode, as in seqeval. */
  scheme?: StrictScheme;
  /** Tags are written `PER-B` instead of `B-PER`. Default false. */
  suffix?: boolean;
}

export interface ScoreOptions extends EntityOptions {
  /** Default 'micro'. */
  average?: Average;
  /** Default 'warn'. */
  zeroDivision?: ZeroDivision;
  /** Receives seqeval's UndefinedMetricWarning texts when zeroDivision is 'warn'. Not called otherwise. */
  onWarning?: (message: string) => void;
}

/** @internal */
export interface ResolvedEntityOptions {
  mode: Mode;
  scheme: StrictScheme | undefined;
  suffix: boolean;
}

/** @internal */
export function resolveEntityOptions(options: EntityOptions): ResolvedEntityOptions {
  const mode = options.mode ?? 'default';
  if (mode !== 'default' && mode !== 'strict') {
    throw new InvalidOptionError('mode', "'default' or 'strict'", mode);
  }
  const scheme = options.scheme;
  if (scheme !== undefined && !(STRICT_SCHEMES as readonly string[]).includes(scheme)) {
    throw new InvalidOptionError('scheme', STRICT_SCHEMES.map((s) => `'${s}'`).join(', '), scheme);
  }
  if (mode === 'strict' && scheme === undefined) throw new MissingSchemeError();
  return { mode, scheme, suffix: options.suffix ?? false };
}

/** @internal */
export function resolveAverage(average: Average | undefined, fallback: Average): Average {
  const value = average === undefined ? fallback : average;
  if (value !== null && value !== 'micro' && value !== 'macro' && value !== 'weighted') {
    throw new InvalidOptionError('average', "'micro', 'macro', 'weighted' or null", value);
  }
  return value;
}

/** @internal */
export function resolveZeroDivision(value: ZeroDivision | undefined): ZeroDivision {
  const resolved = value ?? 'warn';
  if (resolved !== 'warn' && resolved !== 0 && resolved !== 1) {
    throw new InvalidOptionError('zeroDivision', "'warn', 0 or 1", resolved);
  }
  return resolved;
}
