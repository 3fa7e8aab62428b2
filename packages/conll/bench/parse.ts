// Streaming parse rate of a large generated CoNLL file, in MB/s, against a baseline that only
// reads the file and splits it into lines (measured in the same run).
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readConll } from '../src';

const TARGET_MB = Number(process.env.BENCH_MB ?? 100);
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

async function time(run: () => Promise<number>): Promise<{ seconds: number; count: number }> {
  const start = performance.now();
  const count = await run();
  return { seconds: (performance.now() - start) / 1000, count };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'twner-conll-bench-'));
  try {
    const file = path.join(dir, 'large.conll');
    const bytes = generate(file);
    const mb = bytes / 1e6;
    const baseline = await time(async () => readFileSync(file, 'utf8').split('\n').length);
    const runs: number[] = [];
    let sentences = 0;
    for (let r = 0; r < 3; r++) {
      const { seconds, count } = await time(async () => {
        let n = 0;
        for await (const sentence of readConll(file, { separator: 'tab' })) n += sentence.tokens.length > 0 ? 1 : 0;
        return n;
      });
      runs.push(seconds);
      sentences = count;
    }
    const best = Math.min(...runs);
    console.log(`file: ${mb.toFixed(1)} MB, ${sentences} sentences`);
    console.log(`baseline readFileSync+split: ${(mb / baseline.seconds).toFixed(1)} MB/s`);
    console.log(`readConll streaming (best of 3): ${(mb / best).toFixed(1)} MB/s (${(best / baseline.seconds).toFixed(2)}x baseline time); runs ${runs.map((s) => s.toFixed(2)).join(', ')} s`);
    console.log(`target >= 50 MB/s: ${mb / best >= 50 ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
