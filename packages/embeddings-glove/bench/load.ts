/**
 * Parse-rate benchmark: a generated 200-d GloVe text file (~200 MB, written to the temp dir and deleted after),
 * parsed by loadVectors (bytes → floats by hand) and by a naive baseline (readline + split + parseFloat), alternating, in the
 * same process; then the binary cache's load time for a 25k-word vocabulary.
 *
 * Run: pnpm --filter @twner/embeddings-glove bench   (env BENCH_MB to change the size)
 * TWNER_BENCH_SMOKE=1 (CI): a 2 MB file and one round of each part, figures not meaningful.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadVectors } from '../src/index';

const DIM = 200;
const SMOKE = process.env.TWNER_BENCH_SMOKE === '1';
const TARGET_MB = Number(process.env.BENCH_MB ?? (SMOKE ? 2 : 200));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (SMOKE ? 1 : 3));

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function generate(file: string): Promise<number> {
  const out = createWriteStream(file);
  let seed = 12345;
  const rand = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  let bytes = 0;
  let n = 0;
  while (bytes < TARGET_MB * 1e6) {
    const parts: string[] = [`w${n}`];
    for (let d = 0; d < DIM; d++) parts.push(((rand() - 0.5) * 2).toFixed(6));
    const line = parts.join(' ') + '\n';
    bytes += line.length;
    n++;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return n;
}

async function naive(file: string): Promise<number> {
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  const map = new Map<string, Float32Array>();
  for await (const line of rl) {
    const parts = line.split(' ');
    const v = new Float32Array(parts.length - 1);
    for (let i = 1; i < parts.length; i++) v[i - 1] = parseFloat(parts[i]);
    map.set(parts[0], v);
  }
  return map.size;
}

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await fn();
  return [result, (performance.now() - t0) / 1000];
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'twner-glove-bench-'));
  try {
    const file = join(dir, 'bench.200d.txt');
    const words = await generate(file);
    const mb = (await stat(file)).size / 1e6;
    console.log(`generated ${mb.toFixed(1)} MB, ${words} words × ${DIM}`);

    // Alternate the two parsers and report medians: the machine may be shared, so single runs are noisy.
    const ours: number[] = [];
    const base: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const [loaded, tOurs] = await time(() => loadVectors(file));
      const [naiveCount, tNaive] = await time(() => naive(file));
      if (loaded.size !== naiveCount) throw new Error(`size mismatch: ${loaded.size} vs ${naiveCount}`);
      ours.push(tOurs);
      base.push(tNaive);
    }
    const tOurs = median(ours);
    const tNaive = median(base);
    console.log(`loadVectors (full parse): ${(mb / tOurs).toFixed(1)} MB/s (median of ${ROUNDS}: ${tOurs.toFixed(2)} s)`);
    console.log(`naive readline+split+parseFloat: ${(mb / tNaive).toFixed(1)} MB/s (median of ${ROUNDS}: ${tNaive.toFixed(2)} s)`);
    console.log(`ratio: ${(tNaive / tOurs).toFixed(2)}× the naive rate`);

    const vocabulary = Array.from({ length: 25_000 }, (_, i) => `w${i * 3}`);
    const cacheDir = join(dir, 'cache');
    const [filtered, tFiltered] = await time(() => loadVectors(file, { vocabulary, cacheDir }));
    console.log(
      `filtered to 25k words + cache write: ${(mb / tFiltered).toFixed(1)} MB/s (${tFiltered.toFixed(2)} s), ` +
        `${filtered.size} vectors in ${(filtered.data.byteLength / 1e6).toFixed(1)} MB`,
    );
    const cacheTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const [cached, tCache] = await time(() => loadVectors(file, { vocabulary, cacheDir }));
      if (cached.report.cache !== 'hit') throw new Error(`expected a cache hit, got ${cached.report.cache}`);
      cacheTimes.push(tCache);
    }
    console.log(`cache load (hit, 25k × ${DIM}): ${(median(cacheTimes) * 1000).toFixed(0)} ms (median of ${ROUNDS})`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
