/**
 * Nested-close comparison for tests: walks arrays and objects and reports the path of the
 * first number that differs by more than `atol + rtol · |expected|`.
 */
export interface Tolerance {
  atol?: number;
  rtol?: number;
}

export type Nested = number | null | string | boolean | Nested[] | { [key: string]: Nested } | Float32Array;

function walk(actual: unknown, expected: unknown, at: string, tol: Required<Tolerance>): string | null {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return `${at}: expected number ${expected}, got ${JSON.stringify(actual)}`;
    const diff = Math.abs(actual - expected);
    if (!(diff <= tol.atol + tol.rtol * Math.abs(expected))) {
      return `${at}: expected ${expected}, got ${actual} (|diff| ${diff.toExponential(3)} > ${tol.atol} + ${tol.rtol}·|expected|)`;
    }
    return null;
  }
  if (Array.isArray(expected) || ArrayBuffer.isView(expected)) {
    const exp = Array.from(expected as ArrayLike<unknown>);
    if (!Array.isArray(actual) && !ArrayBuffer.isView(actual)) return `${at}: expected an array, got ${typeof actual}`;
    const act = Array.from(actual as ArrayLike<unknown>);
    if (act.length !== exp.length) return `${at}: expected length ${exp.length}, got ${act.length}`;
    for (let i = 0; i < exp.length; i++) {
      const m = walk(act[i], exp[i], `${at}[${i}]`, tol);
      if (m) return m;
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return `${at}: expected an object, got ${JSON.stringify(actual)}`;
    for (const key of Object.keys(expected)) {
      const m = walk((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${at}.${key}`, tol);
      if (m) return m;
    }
    return null;
  }
  return actual === expected ? null : `${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

/** The first mismatch as `path: expected …, got …`, or null when everything is close. */
export function firstMismatch(actual: unknown, expected: unknown, tolerance: Tolerance = {}): string | null {
  return walk(actual, expected, '$', { atol: tolerance.atol ?? 0, rtol: tolerance.rtol ?? 0 });
}
