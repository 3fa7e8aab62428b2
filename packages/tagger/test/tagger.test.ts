import { allowedTransitions, constraintPenalties } from '@twner/crf/decoder';
import { expScores, forwardBackward, spanScorer, spanScoresOf, type CrfExpScores, type CrfScores } from '../src/entities/span-scores';
import { Tagger } from '../src/tagger';
import type { EmissionEngine } from '../src/engine';
import type { RunConfig, SavedCrf } from '../src/run-folder/format';
import { seededRandom } from '../src/random';
import { EXIT_USAGE, TaggerError } from '../src/errors';

const labels = ['O', 'B-a', 'I-a', 'B-b', 'I-b'];
const K = labels.length;

function randomCrf(seed: number): CrfScores {
  const rng = seededRandom(seed);
  const r = (n: number): Float32Array => Float32Array.from({ length: n }, () => (rng() - 0.5) * 4);
  return { numTags: K, transitions: r(K * K), start: r(K), end: r(K) };
}

/** Every path of length T with its unnormalised log score (brute force over K^T paths). */
function allPaths(crf: CrfScores, em: Float32Array, T: number): { path: number[]; score: number }[] {
  const out: { path: number[]; score: number }[] = [];
  const rec = (path: number[]): void => {
    if (path.length === T) {
      let s = crf.start[path[0]] + em[path[0]];
      for (let t = 1; t < T; t++) s += crf.transitions[path[t - 1] * K + path[t]] + em[t * K + path[t]];
      out.push({ path: [...path], score: s + crf.end[path[T - 1]] });
      return;
    }
    for (let k = 0; k < K; k++) rec([...path, k]);
  };
  rec([]);
  return out;
}

/**
 * Checks `forwardBackward`'s log Z and every span score of both types against brute force over
 * all K^T paths (`exp`: the exp scores to pass, else computed by the functions themselves).
 */
function expectBruteForce(crf: CrfScores, em: Float32Array, T: number, exp?: CrfExpScores): void {
  const paths = allPaths(crf, em, T);
  const max = Math.max(...paths.map((p) => p.score));
  const z = paths.reduce((s, p) => s + Math.exp(p.score - max), 0);
  expect(forwardBackward(crf, em, T, exp).logZ).toBeCloseTo(max + Math.log(z), 4);
  const score = spanScorer(crf, labels, em, T, exp);
  for (const type of ['a', 'b']) {
    const b = labels.indexOf(`B-${type}`);
    const i = labels.indexOf(`I-${type}`);
    for (let s = 0; s < T; s++) {
      for (let e = s + 1; e <= T; e++) {
        // The event: y_s = B-type, y_{s+1..e-1} = I-type, and y_e (if any) is not I-type.
        const p = paths
          .filter(({ path }) => path[s] === b && path.slice(s + 1, e).every((y) => y === i) && (e === T || path[e] !== i))
          .reduce((acc, { score: sc }) => acc + Math.exp(sc - max), 0) / z;
        expect(score(type, s, e)).toBeCloseTo(p, 5);
      }
    }
  }
}

describe('span scores (CRF marginals of whole spans)', () => {
  it.each([1, 2, 3, 4])('equal brute force over all K^T paths, T = %i', (T) => {
    for (const seed of [1, 2, 3]) {
      const crf = randomCrf(seed * 10 + T);
      const rng = seededRandom(seed + 99);
      const em = Float32Array.from({ length: T * K }, () => (rng() - 0.5) * 6);
      expectBruteForce(crf, em, T);
    }
  });

  it.each([1, 2, 3, 4])('equal brute force with IOB2 constraints as the tagger applies them (forbidden moves exp to exactly 0, skipped), T = %i', (T) => {
    const pen = constraintPenalties(allowedTransitions(labels, 'IOB2'));
    for (const seed of [4, 5]) {
      const raw = randomCrf(seed * 10 + T);
      const crf: CrfScores = {
        numTags: K,
        transitions: Float32Array.from(raw.transitions, (v, q) => v + pen.transitions[Math.floor(q / K)][q % K]),
        start: Float32Array.from(raw.start, (v, j) => v + pen.start[j]),
        end: Float32Array.from(raw.end, (v, j) => v + pen.end[j]),
      };
      const exp = expScores(crf);
      // I-x only after B-x or I-x: 3 targets from all 5 tags, 2 I- targets from 2 sources each.
      expect(exp.fromIdx.length).toBe(3 * K + 2 * 2);
      const rng = seededRandom(seed + 7);
      const em = Float32Array.from({ length: T * K }, () => (rng() - 0.5) * 6);
      expectBruteForce(crf, em, T, exp);
    }
  });

  it('spanScoresOf (partial passes, for the spans a decoder found) equals brute force and spanScorer, for any set of spans', () => {
    const pen = constraintPenalties(allowedTransitions(labels, 'IOB2'));
    for (const constrained of [false, true]) {
      for (const T of [1, 2, 3, 5]) {
        const raw = randomCrf(T + (constrained ? 50 : 0));
        const crf: CrfScores = constrained
          ? {
              numTags: K,
              transitions: Float32Array.from(raw.transitions, (v, q) => v + pen.transitions[Math.floor(q / K)][q % K]),
              start: Float32Array.from(raw.start, (v, j) => v + pen.start[j]),
              end: Float32Array.from(raw.end, (v, j) => v + pen.end[j]),
            }
          : raw;
        const exp = expScores(crf);
        const rng = seededRandom(T * 7 + 3);
        const em = Float32Array.from({ length: T * K }, () => (rng() - 0.5) * 6);
        const paths = allPaths(crf, em, T);
        const max = Math.max(...paths.map((p) => p.score));
        const z = paths.reduce((acc, p) => acc + Math.exp(p.score - max), 0);
        const brute = (type: string, s: number, e: number): number =>
          paths
            .filter(({ path }) => path[s] === labels.indexOf(`B-${type}`) && path.slice(s + 1, e).every((y) => y === labels.indexOf(`I-${type}`)) && (e === T || path[e] !== labels.indexOf(`I-${type}`)))
            .reduce((acc, { score: sc }) => acc + Math.exp(sc - max), 0) / z;
        const whole = spanScorer(crf, labels, em, T, exp);
        // Sets of 1 to 3 spans anywhere (the passes' reach depends on the first end and the last start).
        for (let trial = 0; trial < 12; trial++) {
          const spans: [string, number, number][] = Array.from({ length: 1 + (trial % 3) }, () => {
            const first = Math.floor(rng() * T);
            const last = first + Math.floor(rng() * (T - first));
            return [rng() < 0.5 ? 'a' : 'b', first, last];
          });
          const got = spanScoresOf(crf, labels, em, T, spans, exp);
          spans.forEach(([type, first, last], k) => {
            expect(got[k]).toBeCloseTo(brute(type, first, last + 1), 5);
            expect(Math.abs(got[k] - whole(type, first, last + 1))).toBeLessThanOrEqual(1e-12 + 1e-9 * whole(type, first, last + 1));
          });
        }
      }
    }
    // A long sentence (no brute force): one span near each end, and one in the middle.
    const crf = randomCrf(77);
    const T = 40;
    const rng = seededRandom(78);
    const em = Float32Array.from({ length: T * K }, () => (rng() - 0.5) * 8);
    const whole = spanScorer(crf, labels, em, T);
    for (const spans of [[['a', 0, 1]], [['b', 38, 39]], [['a', 20, 22]], [['a', 3, 3], ['b', 30, 31]]] as [string, number, number][][]) {
      const got = spanScoresOf(crf, labels, em, T, spans, expScores(crf));
      spans.forEach(([type, first, last], k) => expect(Math.abs(got[k] - whole(type, first, last + 1))).toBeLessThanOrEqual(1e-12 + 1e-9 * whole(type, first, last + 1)));
    }
  });

  it('stays finite and in [0, 1] for emissions of ±1e3', () => {
    const crf = randomCrf(5);
    const em = Float32Array.from({ length: 4 * K }, (_, q) => (q % 3 === 0 ? 1000 : -1000));
    const score = spanScorer(crf, labels, em, 4);
    for (let s = 0; s < 4; s++) for (let e = s + 1; e <= 4; e++) {
      const v = score('a', s, e);
      expect(Number.isFinite(v) && v >= 0 && v <= 1).toBe(true);
    }
  });
});

/** An engine whose emissions make capitalised words B-a, and the word after "the" B-b. */
function fakeEngine(): EmissionEngine & { calls: number } {
  return {
    numTags: K,
    description: 'fake',
    calls: 0,
    emissions(sentences) {
      this.calls++;
      return sentences.map((tokens) => {
        const em = new Float32Array(tokens.length * K);
        tokens.forEach((t, i) => {
          const k = /^[A-Z]/.test(t) ? (i > 0 && /^[A-Z]/.test(tokens[i - 1]) ? 2 : 1) : i > 0 && tokens[i - 1] === 'the' ? 3 : 0;
          em[i * K + k] = 5;
        });
        return em;
      });
    },
    dispose() {},
  };
}

const config = { labels, constrained: true, model: { numTags: K } } as unknown as RunConfig;
const zeroCrf: SavedCrf = { transitions: labels.map(() => labels.map(() => 0)), start: labels.map(() => 0), end: labels.map(() => 0) };

describe('Tagger', () => {
  const tagger = new Tagger({ config, crfs: [zeroCrf], engine: fakeEngine(), source: 'fake' });

  it('gives entities with UTF-16 offsets into the text, types and scores', () => {
    const text = 'saw  New York 👍🏽 with the band!';
    const r = tagger.tag(text);
    expect(r.tokens.map((t) => t.text)).toEqual(['saw', 'New', 'York', '👍🏽', 'with', 'the', 'band', '!']);
    for (const t of r.tokens) expect(text.slice(t.start, t.end)).toBe(t.text);
    expect(r.entities.map((e) => [e.type, e.text, e.start, e.end])).toEqual([
      ['a', 'New York', 5, 13],
      ['b', 'band', 28, 32], // the emoji before it (with its skin-tone modifier) is four UTF-16 code units
    ]);
    for (const e of r.entities) {
      expect(text.slice(e.start, e.end)).toBe(e.text);
      expect(e.score).toBeGreaterThan(0.9);
      expect(e.score).toBeLessThanOrEqual(1);
    }
  });

  it('tagBatch is tag, one text at a time; tagTokens keeps the given tokens', () => {
    const texts = ['Hello world', '', 'the cat and the Dog'];
    expect(tagger.tagBatch(texts)).toEqual(texts.map((t) => tagger.tag(t)));
    const [r] = tagger.tagTokens([['New', 'York', 'is', 'big']]);
    expect(r.text).toBe('New York is big');
    expect(r.entities.map((e) => [e.text, e.start, e.end, e.tokenStart, e.tokenEnd])).toEqual([['New York', 0, 8, 0, 2]]);
  });

  it('refuses non-strings and damaged emissions with a TaggerError', () => {
    expect(() => tagger.tagBatch([null as unknown as string])).toThrow(/texts\[0\] is null, expected a string/);
    // Not an array at all: the same typed usage error, not a TypeError from inside the tagger.
    for (const [input, what] of [['one tweet', 'string'], [null, 'null'], [{ length: 1 }, 'object']] as const) {
      let err: unknown;
      try {
        tagger.tagBatch(input as unknown as string[]);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TaggerError);
      expect((err as TaggerError).exitCode).toBe(EXIT_USAGE);
      expect((err as Error).message).toBe(`tagBatch: texts must be an array of strings, got ${what}`);
    }
    expect(() => tagger.tagTokens([['ok', '']])).toThrow(TaggerError);
    const nan = new Tagger({ config, crfs: [zeroCrf], engine: { ...fakeEngine(), emissions: (s) => s.map((t) => new Float32Array(t.length * K).fill(NaN)) }, source: 'x' });
    expect(() => nan.tag('a b')).toThrow(/^x: the model produced a non-finite emission \(NaN\) for token 1 of text 1/);
    const damaged = (() => {
      try {
        nan.tag('a b');
      } catch (e) {
        return e as TaggerError;
      }
      return null;
    })();
    expect(damaged?.exitCode).toBe(EXIT_USAGE);
  });
});

/**
 * The fake engine with a pretend second thread: `prepareOnWorker` encodes at once, `start()`
 * hands the batch over (refused for the starts listed in `refuse`, 1-based), `finish()` gives
 * its emissions. The pretend thread is as fast as this one: a piece is `ready()` once this thread
 * has tagged a piece of its own since the piece started (`finish` before that is recorded as
 * `finish (waited)`). It records the order of events and fails if a batch starts while two others
 * are on the second thread (it holds a running batch and the next one), or is collected twice.
 */
function threadedEngine(options: { refuse?: number[]; failMainAfter?: number } = {}) {
  const base = fakeEngine();
  const events: string[] = [];
  let running = 0;
  let most = 0;
  let starts = 0;
  let mainCalls = 0;
  let mainTagged = 0;
  const engine: EmissionEngine = {
    numTags: K,
    description: 'fake, two threads',
    emissions(sentences) {
      if (options.failMainAfter !== undefined && ++mainCalls > options.failMainAfter) throw new Error('main thread failed');
      events.push(`main ${sentences.length}`);
      mainTagged++;
      return base.emissions(sentences);
    },
    emissionsOnWorker(sentences) {
      return this.prepareOnWorker!(sentences).start();
    },
    prepareOnWorker(sentences) {
      events.push(`prepare ${sentences.length}`);
      return {
        start: () => {
          starts++;
          if (options.refuse?.includes(starts)) {
            events.push('refused');
            return null;
          }
          if (running >= 2) throw new Error('a batch started while two others were on the second thread');
          running++;
          most = Math.max(most, running);
          events.push(`start ${sentences.length}`);
          let collected = false;
          const mainAtStart = mainTagged;
          const ready = (): boolean => mainTagged > mainAtStart;
          return {
            finish: () => {
              if (collected) throw new Error('a batch collected twice');
              collected = true;
              running--;
              events.push(ready() ? 'finish' : 'finish (waited)');
              return base.emissions(sentences);
            },
            workerMs: () => sentences.length,
            ready,
          };
        },
      };
    },
    dispose() {},
  };
  return { engine, events, running: () => running > 0, most: () => most };
}

describe('Tagger with a second thread (the split batch pipeline)', () => {
  const texts = Array.from({ length: 200 }, (_, i) => `tweet ${i} about New York and the band ${'x'.repeat(i % 17)}`);
  const want = new Tagger({ config, crfs: [zeroCrf], engine: fakeEngine(), source: 'one' }).tagBatch(texts);

  it('tags as one thread does, the second thread taking several pieces one after the other', () => {
    const { engine, events, most } = threadedEngine();
    const tagger = new Tagger({ config, crfs: [zeroCrf], engine, source: 'two' });
    for (let k = 0; k < 3; k++) expect(tagger.tagBatch(texts)).toEqual(want);
    const starts = events.filter((e) => e.startsWith('start')).length;
    const mains = events.filter((e) => e.startsWith('main')).length;
    // a thread as fast as this one takes about half the pieces (this one also decodes all of them)
    expect(starts).toBeGreaterThanOrEqual(3 * 4);
    expect(mains).toBeGreaterThanOrEqual(3 * 4);
    // this thread waits for the second only at the end of a batch, for the last piece or two there
    expect(events.filter((e) => e === 'finish (waited)').length).toBeLessThanOrEqual(3 * 2);
    // the second piece is started while the first is still on the second thread, before this
    // thread tags anything, and from then on the next piece is always waiting there
    expect(events.slice(0, 5)).toEqual([
      expect.stringMatching(/^prepare/),
      expect.stringMatching(/^start/),
      expect.stringMatching(/^prepare/),
      expect.stringMatching(/^start/),
      expect.stringMatching(/^main/),
    ]);
    expect(most()).toBe(2);
    const tweets = events.filter((e) => /^(start|main)/.test(e)).reduce((n, e) => n + Number(e.split(' ')[1]), 0);
    expect(tweets).toBe(3 * texts.length);
  });

  it('tags a piece the second thread refuses on this thread instead', () => {
    const { engine, events } = threadedEngine({ refuse: [2, 3] });
    const tagger = new Tagger({ config, crfs: [zeroCrf], engine, source: 'two' });
    expect(tagger.tagBatch(texts)).toEqual(want);
    expect(events.filter((e) => e === 'refused')).toHaveLength(2);
  });

  it('collects the piece on the second thread before an error on this thread goes on', () => {
    const threaded = threadedEngine({ failMainAfter: 2 });
    const tagger = new Tagger({ config, crfs: [zeroCrf], engine: threaded.engine, source: 'two' });
    expect(() => tagger.tagBatch(texts)).toThrow('main thread failed');
    expect(threaded.running()).toBe(false);
    expect(threaded.events[threaded.events.length - 1]).toMatch(/^finish/);
  });
});
