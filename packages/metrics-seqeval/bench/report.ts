/**
 * Full classification report (default mode and strict IOB2) over 1,000,000 tokens of WNUT-like
 * data: tweets of ~16 tokens, ~5.6% entity tokens over the ten WNUT types, a prediction that
 * keeps, drops, retypes or shifts entities. Run: pnpm --filter @twner/metrics-seqeval bench
 * TWNER_BENCH_SMOKE=1 (CI): 10,000 tokens and one timed run, figures not meaningful.
 */
import { classificationReport, conlleval, partialMatch } from '../src/index';

const TYPES = ['company', 'facility', 'geo-loc', 'movie', 'musicartist', 'other', 'person', 'product', 'sportsteam', 'tvshow'];
const SMOKE = process.env.TWNER_BENCH_SMOKE === '1';
const TOKENS = SMOKE ? 10_000 : 1_000_000;
const RUNS = SMOKE ? 1 : 5;

let seed = 20160101;
const random = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 4294967296;
};

function makeData(): { yTrue: string[][]; yPred: string[][] } {
  const yTrue: string[][] = [];
  const yPred: string[][] = [];
  let total = 0;
  while (total < TOKENS) {
    const length = Math.min(TOKENS - total, 4 + Math.floor(random() * 24));
    const t: string[] = new Array(length).fill('O');
    const p: string[] = new Array(length).fill('O');
    for (let i = 0; i < length; i += 1) {
      if (random() < 0.035) {
        const type = TYPES[Math.floor(random() * TYPES.length)];
        const span = Math.min(length - i, 1 + Math.floor(random() * 3));
        const fate = random();
        const predType = fate < 0.1 ? TYPES[Math.floor(random() * TYPES.length)] : type;
        for (let k = 0; k < span; k += 1) {
          t[i + k] = `${k === 0 ? 'B' : 'I'}-${type}`;
          if (fate < 0.85) p[i + k] = `${k === 0 ? 'B' : 'I'}-${predType}`;
          else if (fate < 0.9 && k > 0) p[i + k] = `I-${type}`; // a broken prediction
        }
        i += span;
      } else if (random() < 0.005) {
        p[i] = `B-${TYPES[Math.floor(random() * TYPES.length)]}`;
      }
    }
    yTrue.push(t);
    yPred.push(p);
    total += length;
  }
  return { yTrue, yPred };
}

function time(label: string, run: () => unknown): void {
  run(); // warm-up
  const runs = RUNS;
  const times: number[] = [];
  for (let r = 0; r < runs; r += 1) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(runs / 2)];
  const rate = TOKENS / (median / 1000);
  console.log(`${label.padEnd(34)} ${median.toFixed(1).padStart(8)} ms  ${(rate / 1e6).toFixed(2).padStart(6)} M tokens/s`);
}

const { yTrue, yPred } = makeData();
console.log(`${yTrue.length} sentences, ${TOKENS} tokens (median of ${RUNS} run${RUNS > 1 ? 's' : ''}, one core)`);
time('classificationReport default', () => classificationReport(yTrue, yPred));
time('classificationReport strict IOB2', () => classificationReport(yTrue, yPred, { mode: 'strict', scheme: 'IOB2' }));
time('conlleval', () => conlleval(yTrue, yPred));
time('partialMatch default', () => partialMatch(yTrue, yPred));
console.log();
console.log(classificationReport(yTrue, yPred, { digits: 4 }));
