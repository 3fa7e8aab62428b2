import { isTaggingScheme, parseTag, schemePrefixes, type ParsedTag, type TaggingScheme } from '@twner/conll';
import { ValueError } from './errors';

/**
 * Which moves a tagging scheme permits, as plain data (JSON-serialisable, so a `CRF` layer can
 * store it in its config).
 */
export interface TransitionConstraints {
  /** The labels, in tag-index order, e.g. `['O', 'B-person', 'I-person']`. */
  labels: string[];
  /** `transitions[i][j]`: may tag `j` follow tag `i`? `[K][K]`. */
  transitions: boolean[][];
  /** `start[j]`: may a sequence begin with tag `j`? `[K]`. */
  start: boolean[];
  /** `end[i]`: may a sequence end with tag `i`? `[K]`. */
  end: boolean[];
}

/** The additive penalty matrices derived from {@link TransitionConstraints}: 0 where allowed, `penalty` where not. */
export interface ConstraintPenalties {
  /** `[K][K]` */
  transitions: number[][];
  /** `[K]` */
  start: number[];
  /** `[K]` */
  end: number[];
}

/** Default score added to a forbidden move: large, negative and finite (never NaN under autodiff). */
export const DEFAULT_PENALTY = -1e4;

export interface AllowedTransitionsOptions {
  /** Tags are written `PER-B` instead of `B-PER` (as `@twner/conll`'s `parseTag`). Default false. */
  suffix?: boolean;
  /** Separator between prefix and type. Default `-`. */
  delimiter?: string;
}

/** May `to` follow `from` under `scheme`? `from` null = START, `to` null = END. */
function canMove(scheme: TaggingScheme, from: ParsedTag | null, to: ParsedTag | null): boolean {
  // null = START when `from`, END when `to`
  const same = from !== null && to !== null && from.type === to.type;
  switch (scheme) {
    case 'IO':
      return true;
    case 'IOB2': {
      if (to === null) return true;
      if (to.prefix !== 'I') return true;
      return from !== null && (from.prefix === 'B' || from.prefix === 'I') && same;
    }
    case 'IOB1': {
      // B-x only separates two adjacent chunks of the same type x.
      if (to === null || to.prefix !== 'B') return true;
      return from !== null && (from.prefix === 'B' || from.prefix === 'I') && same;
    }
    case 'IOE2': {
      // Every chunk ends with E-x; I-x must be followed by I-x or E-x of the same type.
      if (from === null || from.prefix !== 'I') return true;
      return to !== null && (to.prefix === 'I' || to.prefix === 'E') && same;
    }
    case 'IOE1': {
      // E-x only ends a chunk that is directly followed by another chunk of type x.
      if (from === null || from.prefix !== 'E') return true;
      return to !== null && (to.prefix === 'I' || to.prefix === 'E') && same;
    }
    case 'IOBES':
    case 'BILOU': {
      const [begin, last, unit] = scheme === 'IOBES' ? ['B', 'E', 'S'] : ['B', 'L', 'U'];
      const fromOpen = from !== null && (from.prefix === begin || from.prefix === 'I');
      const toContinues = to !== null && (to.prefix === 'I' || to.prefix === last);
      if (fromOpen) return toContinues && same;
      // After START, O, E/L or S/U: a new chunk must begin (B/S, U) or stay outside.
      return !toContinues && (to === null || to.prefix === 'O' || to.prefix === begin || to.prefix === unit);
    }
  }
}

/**
 * The moves a tagging scheme permits between `labels`, including which tags may start and end
 * a sequence. For IOB2: no `O → I-x`, no `B-y → I-x` (y ≠ x), no `I-x` at the start.
 *
 * @param labels the tag set in index order, `[K]`
 * @param scheme one of `IO`, `IOB1`, `IOB2`, `IOE1`, `IOE2`, `IOBES`, `BILOU`
 * @returns boolean tables `transitions [K][K]`, `start [K]`, `end [K]`
 * @throws ValueError when a label's prefix is not part of the scheme
 */
export function allowedTransitions(
  labels: readonly string[],
  scheme: TaggingScheme,
  opts: AllowedTransitionsOptions = {},
): TransitionConstraints {
  const op = 'allowedTransitions';
  if (!isTaggingScheme(scheme)) {
    throw new ValueError(op, 'scheme', `must be IO, IOB1, IOB2, IOE1, IOE2, IOBES or BILOU, got ${String(scheme)}`);
  }
  const prefixes = schemePrefixes(scheme);
  if (labels.length === 0) throw new ValueError(op, 'labels', 'must not be empty');
  const parsed = labels.map((label) => {
    const tag = parseTag(label, opts);
    if (!prefixes.includes(tag.prefix) || (tag.prefix === 'O') !== (tag.type === '')) {
      throw new ValueError(op, 'labels', `contains ${JSON.stringify(label)}, which is not a tag of scheme ${scheme} (prefixes ${prefixes.join(', ')})`);
    }
    return tag;
  });
  return {
    labels: [...labels],
    transitions: parsed.map((from) => parsed.map((to) => canMove(scheme, from, to))),
    start: parsed.map((to) => canMove(scheme, null, to)),
    end: parsed.map((from) => canMove(scheme, from, null)),
  };
}

/**
 * Turn constraints into additive penalties: 0 where a move is allowed, `penalty` where it is not.
 *
 * @param constraints from {@link allowedTransitions}
 * @param penalty score of a forbidden move, default `-1e4` (finite, so gradients never become NaN)
 */
export function constraintPenalties(constraints: TransitionConstraints, penalty: number = DEFAULT_PENALTY): ConstraintPenalties {
  const f = (ok: boolean): number => (ok ? 0 : penalty);
  return {
    transitions: constraints.transitions.map((row) => row.map(f)),
    start: constraints.start.map(f),
    end: constraints.end.map(f),
  };
}

/**
 * Is `path` permitted by `constraints` (start, every move, end)? An empty path is permitted.
 *
 * @param path tag indices `[L]`
 */
export function isAllowedPath(path: ArrayLike<number>, constraints: TransitionConstraints): boolean {
  if (path.length === 0) return true;
  if (!constraints.start[path[0]] || !constraints.end[path[path.length - 1]]) return false;
  for (let t = 1; t < path.length; t++) if (!constraints.transitions[path[t - 1]][path[t]]) return false;
  return true;
}
