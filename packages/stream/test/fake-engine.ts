// A deterministic stand-in for the tagger that does real work: every run of capitalised words
// is an entity (one word: "geo-loc", more: "person"), and each text costs `work` rounds of
// SHA-256 over it, so a batch takes CPU time in proportion to its size.
import { createHash } from 'node:crypto';
import type { Entity, TagEngine } from '../src';

export interface FakeEngineOptions {
  /** SHA-256 rounds per text (default 0: no extra cost). */
  work?: number;
  /** Texts containing this string make `tagBatch` throw. */
  poison?: string;
}

const WORD = /[^\s]+/g;

export function tagOne(text: string): Entity[] {
  const entities: Entity[] = [];
  let run: { start: number; end: number; words: number } | undefined;
  const flush = (): void => {
    if (!run) return;
    const surface = text.slice(run.start, run.end);
    entities.push({ type: run.words > 1 ? 'person' : 'geo-loc', text: surface, start: run.start, end: run.end, score: 0.5 + (surface.length % 5) / 10 });
    run = undefined;
  };
  for (const m of text.matchAll(WORD)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (/^\p{Lu}\p{Ll}+$/u.test(m[0])) {
      if (run) {
        run.end = end;
        run.words += 1;
      } else run = { start, end, words: 1 };
    } else flush();
  }
  flush();
  return entities;
}

/** `rounds` chained SHA-256 digests of the text: native work whose cost does not hinge on the JIT. */
function burn(text: string, rounds: number): number {
  let h: Buffer = Buffer.alloc(0);
  for (let r = 0; r < rounds; r++) h = createHash('sha256').update(h).update(text).digest();
  return rounds > 0 ? h.readUInt32LE(0) : 0;
}

export function fakeEngine(options: FakeEngineOptions = {}): TagEngine & { calls: number[]; sink: number } {
  const work = options.work ?? 0;
  const engine = {
    calls: [] as number[],
    sink: 0,
    tagBatch(texts: readonly string[]) {
      engine.calls.push(texts.length);
      return texts.map((text) => {
        if (options.poison !== undefined && text.includes(options.poison)) throw new Error(`poisoned text: ${text.slice(0, 20)}`);
        engine.sink ^= burn(text, work);
        return { text, entities: tagOne(text) };
      });
    },
  };
  return engine;
}

const NAMES = ['Alice', 'Bob', 'London', 'Paris', 'Taylor Swift', 'New York', 'Obama', 'Berlin'];

/** The i-th synthetic tweet (deterministic). */
export function tweet(i: number): string {
  return `tweet ${i} about ${NAMES[i % NAMES.length]} and lol ${NAMES[(i * 7 + 3) % NAMES.length]} #t${i % 13}`;
}
