// Streaming parse rate of a large generated CoNLL file, in MB/s, against a baseline that only
// reads the file and splits it into lines (measured in the same run).
// TWNER_BENCH_SMOKE=1 (CI): a 1 MB file and one round, figures not meaningful.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readConll } from '../src';

const SMOKE = process.env.TWNER_BENCH_SMOKE === '1';
const TARGET_MB = Number(process.env.BENCH_MB ?? (SMOKE ? 1 : 100));
const TAGS = ['O', 'O', 'O', 'O', 'O', 'B-person', 'I-person', 'B-geo-loc', 'B-company', 'I-other'];
const WORDS = ['the', 'Obama', '@user', '#hashtag', 'http://t.co/abc', 'lol', 'New', 'York', 'é', '😀', 'going', 'to'];

function generate(file: string): number {
  let seed = 42;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const parts: string[] = [];
  let size = 0;
  while (size < TARGET_MB * 1e6) {
    let sentence = '';
    const length = 5 + rand(30);
    for (let t = 0; t < length; t++) sentence += `${WORDS[rand(WORDS.length)]}\t${TAGS[rand(TAGS.length)]}\n`;
    sentence += '\n';
    parts.push(sentence);
    size += Buffer.byteLength(sentence);
  }
  writeFileSync(file, parts.join(''));
  return statSync(file).size;
}

interface Timing {
  seconds: number;
  /** Process CPU time (user + system): steadier than wall time on a shared machine. */
  cpuSeconds: number;
  count: number;
}

async function time(run: () => Promise<number>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const count = await run();
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6, count };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (SMOKE ? 1 : 5));

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'twner-conll-bench-'));
  try {
    const file = path.join(dir, 'large.conll');
    const bytes = generate(file);
    const mb = bytes / 1e6;
    // Baseline and parser alternate, so that load from other processes hits both alike.
    const baseline: Timing[] = [];
    const parse: Timing[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      baseline.push(await time(async () => readFileSync(file, 'utf8').split('\n').length));
      parse.push(
        await time(async () => {
          let n = 0;
          for await (const sentence of readConll(file, { separator: 'tab' })) n += sentence.tokens.length > 0 ? 1 : 0;
          return n;
        }),
      );
    }
    const base = median(baseline.map((t) => t.seconds));
    const wall = median(parse.map((t) => t.seconds));
    const cpu = median(parse.map((t) => t.cpuSeconds));
    console.log(`file: ${mb.toFixed(1)} MB, ${parse[0].count} sentences; medians of ${ROUNDS} alternating rounds`);
    console.log(`baseline readFileSync+split: ${(mb / base).toFixed(1)} MB/s`);
    console.log(`readConll streaming: ${(mb / wall).toFixed(1)} MB/s wall (${(wall / base).toFixed(2)}x baseline time), ${(mb / cpu).toFixed(1)} MB/s per CPU second; runs ${parse.map((t) => t.seconds.toFixed(2)).join(', ')} s`);
    console.log(`target >= 50 MB/s: ${SMOKE ? 'not checked (smoke mode)' : mb / wall >= 50 ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
