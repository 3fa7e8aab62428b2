/** Options shared by the score functions, validated in one place. */
import { InvalidOptionError, MissingSchemeError, UnknownOptionError } from './errors';

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

/** The accepted option keys of each public function. */
export const ENTITY_KEYS = ['mode', 'scheme', 'suffix'] as const;
export const SCORE_KEYS = [...ENTITY_KEYS, 'average', 'zeroDivision', 'onWarning'] as const;

function camelCase(key: string): string {
  return key.replace(/[_-]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Refuses an option bag that is not an object, and any key not in `accepted` (seqeval's
 * snake_case `zero_division` included, with the camelCase name suggested); checks the types of
 * `suffix`, `onWarning` and `outputDict`, the options not checked where they are used.
 * `undefined` values count as absent.
 * @internal
 */
export function checkOptionKeys(options: unknown, accepted: readonly string[], where: string): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidOptionError('options', 'an object (or nothing)', options);
  }
  for (const key of Object.keys(options)) {
    const value = (options as Record<string, unknown>)[key];
    if (!accepted.includes(key)) {
      const camel = camelCase(key);
      const lower = key.toLowerCase();
      const suggestion = accepted.includes(camel) ? camel : accepted.find((a) => a.toLowerCase() === lower || a.toLowerCase() === camel.toLowerCase());
      throw new UnknownOptionError(where, key, accepted, suggestion);
    }
    if (value === undefined) continue;
    if ((key === 'suffix' || key === 'outputDict') && typeof value !== 'boolean') throw new InvalidOptionError(key, 'true or false', value);
    if (key === 'onWarning' && typeof value !== 'function') throw new InvalidOptionError(key, 'a function', value);
  }
}
