/** Loads `../shared/fixtures/hf-tiny-bert` (or `$TWNER_SHARED_DIR/fixtures/hf-tiny-bert`) for tests. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const SHARED_DIR = process.env.TWNER_SHARED_DIR ?? path.resolve(__dirname, '../../../../shared');
export const FIXTURE_DIR = path.join(SHARED_DIR, 'fixtures', 'hf-tiny-bert');
export const MODEL_DIR = path.join(FIXTURE_DIR, 'model');

export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(FIXTURE_DIR, name), 'utf8')) as T;
}

export interface ForwardFixture {
  words: string[][];
  tags: string[][];
  input_ids: number[][];
  attention_mask: number[][];
  token_type_ids: number[][];
  tokens: string[][];
  word_ids: Array<Array<number | null>>;
  logits: number[][][];
}

export interface PipelineEntity {
  entity?: string;
  entity_group?: string;
  score: number;
  index?: number;
  word: string;
  start: number;
  end: number;
}

export interface PipelineFixture {
  texts: string[];
  results: Record<string, PipelineEntity[][]>;
}

export interface ModelConfigJson {
  id2label: Record<string, string>;
  label2id: Record<string, number>;
}

/**
 * Compares nested arrays/objects; numbers within `tol` (absolute), everything else exactly.
 * Returns `null` when equal, otherwise the path of the first mismatch and both values.
 */
export function firstMismatch(actual: unknown, expected: unknown, tol = 0, where = '$'): string | null {
  if (typeof expected === 'number' && typeof actual === 'number') {
    return Math.abs(actual - expected) <= tol || (Number.isNaN(actual) && Number.isNaN(expected))
      ? null
      : `${where}: expected ${expected}, got ${actual}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${where}: expected an array, got ${JSON.stringify(actual)}`;
    if (actual.length !== expected.length) return `${where}: expected length ${expected.length}, got ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const m = firstMismatch(actual[i], expected[i], tol, `${where}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return `${where}: expected an object, got ${JSON.stringify(actual)}`;
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const keys = new Set([...Object.keys(a), ...Object.keys(e)]);
    for (const key of keys) {
      if (!(key in a)) return `${where}.${key}: missing (expected ${JSON.stringify(e[key])})`;
      if (!(key in e)) return `${where}.${key}: unexpected (got ${JSON.stringify(a[key])})`;
      const m = firstMismatch(a[key], e[key], tol, `${where}.${key}`);
      if (m) return m;
    }
    return null;
  }
  return Object.is(actual, expected) ? null : `${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

/** `expect(firstMismatch(...)).toBeNull()` with the mismatch path as the failure message. */
export function expectCloseNested(actual: unknown, expected: unknown, tol = 0): void {
  const mismatch = firstMismatch(actual, expected, tol);
  if (mismatch !== null) throw new Error(`Nested values differ at ${mismatch}`);
}
