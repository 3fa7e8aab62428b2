import type { TaggedRecord } from '../src';

/** mulberry32: a small seeded generator, so that every synthetic stream is the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Poisson sample by inversion (fine for the small rates used here). */
export function poisson(random: () => number, rate: number): number {
  const limit = Math.exp(-rate);
  let k = 0;
  let p = random();
  while (p > limit) {
    k += 1;
    p *= random();
  }
  return k;
}

export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

/**
 * `minutes` minutes of tweets from T0: steady entities at constant rates per minute, and
 * `eclipse` (the planted burst) at 0.2 a minute until the last `burstMinutes`, then 15 a minute.
 */
export function plantedBurst(minutes = 120, burstMinutes = 5, seed = 7): TaggedRecord[] {
  const random = rng(seed);
  const steady: [string, string, number][] = [
    ['sportsteam', 'Yankees', 20],
    ['person', 'Obama', 10],
    ['geo-loc', 'London', 6],
    ['person', 'Taylor Swift', 4],
    ['company', 'Apple', 8],
  ];
  const records: TaggedRecord[] = [];
  for (let m = 0; m < minutes; m += 1) {
    const plan: [string, string, number][] = [...steady, ['other', 'eclipse', m >= minutes - burstMinutes ? 15 : 0.2]];
    for (const [type, text, rate] of plan) {
      const n = poisson(random, rate);
      for (let i = 0; i < n; i += 1) {
        const variant = [text, text.toLowerCase(), `#${text}`, ` ${text.toUpperCase()}`][i % 4];
        records.push({ at: T0 + m * 60_000 + Math.floor(random() * 60_000), entities: [{ type, text: variant }] });
      }
    }
  }
  return records.sort((a, b) => a.at - b.at);
}
