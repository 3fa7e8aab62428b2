import * as tf from '@tensorflow/tfjs';
import {
  FusedBidirectionalLSTM,
  FusedCharCNN,
  FusedEmbedding,
  InferenceBiLstm,
  type InferenceBiLstmConfig,
  InferenceEnsemble,
  InputTooLongError,
  MAX_TWEET_TOKENS,
  ShapeError,
  type TweetInputs,
  ValueError,
} from '../src';
import { activate } from './helpers';

/** mulberry32: seeded floats in [0, 1). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Sizes {
  V: number;
  E: number;
  Vc: number;
  d: number;
  F: number;
  widths: number[];
  C: number;
  featureDim: number;
  units: number;
  layers: number;
  K: number;
}

/** The char-gazetteer network (examples' `--arch char-gazetteer`, fused layers, no dropout) in tfjs-layers: the truth. */
function tfjsModel(s: Sizes, seed: number): tf.LayersModel {
  const words = tf.input({ shape: [null], dtype: 'int32' });
  const chars = tf.input({ shape: [null, s.C], dtype: 'int32' });
  const feats = tf.input({ shape: [null, s.featureDim], dtype: 'float32' });
  const w = new FusedEmbedding({ inputDim: s.V, outputDim: s.E, maskZero: true }).apply(words) as tf.SymbolicTensor;
  const c = new FusedCharCNN({ inputDim: s.Vc, outputDim: s.d, filters: s.F, widths: s.widths }).apply(chars) as tf.SymbolicTensor;
  let x = tf.layers.concatenate().apply([w, c]) as tf.SymbolicTensor;
  x = tf.layers.concatenate().apply([x, feats]) as tf.SymbolicTensor;
  for (let l = 0; l < s.layers; l++) x = new FusedBidirectionalLSTM({ units: s.units, recurrentActivation: 'sigmoid' }).apply(x) as tf.SymbolicTensor;
  const y = tf.layers.dense({ units: s.K }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: [words, chars, feats], outputs: y });
  const rand = rng(seed);
  model.setWeights(model.weights.map((v) => tf.tensor(Float32Array.from({ length: v.shape.reduce((a, b) => (a as number) * (b as number), 1) as number }, () => rand() - 0.5), v.shape as number[])));
  return model;
}

function configOf(s: Sizes): InferenceBiLstmConfig {
  return {
    vocabSize: s.V,
    embeddingDim: s.E,
    lstmUnits: Array.from({ length: s.layers }, () => s.units),
    dense: [{ units: s.K, activation: 'linear' }],
    recurrentActivation: 'sigmoid',
    charCnn: { vocabSize: s.Vc, dim: s.d, filters: s.F, widths: s.widths, maxChars: s.C },
    featureDim: s.featureDim,
  };
}

/** Random tweets of the given lengths: words (some id 0 = padding), chars (trailing 0s as after short words), 0–3 active features per token. */
function randomTweets(s: Sizes, lengths: number[], seed: number): TweetInputs[] {
  const rand = rng(seed);
  const int = (n: number): number => Math.floor(rand() * n);
  return lengths.map((T) => {
    const words = Int32Array.from({ length: T }, () => (rand() < 0.1 ? 0 : 1 + int(s.V - 1)));
    const chars = new Int32Array(T * s.C);
    for (let t = 0; t < T; t++) {
      const len = 1 + int(s.C);
      for (let q = 0; q < len; q++) chars[t * s.C + q] = 1 + int(s.Vc - 1);
    }
    const offsets = new Int32Array(T + 1);
    const indices: number[] = [];
    for (let t = 0; t < T; t++) {
      const active = new Set(Array.from({ length: int(4) }, () => int(s.featureDim)));
      indices.push(...[...active].sort((a, b) => a - b));
      offsets[t + 1] = indices.length;
    }
    return { words, chars, featureOffsets: offsets, featureIndices: Int32Array.from(indices) };
  });
}

/** tfjs emissions of the tweets, padded to the longest: `[B][T][K]`. */
function tfjsEmissions(model: tf.LayersModel, s: Sizes, tweets: TweetInputs[]): number[][][] {
  const B = tweets.length;
  const T = Math.max(...tweets.map((x) => x.words.length));
  const words = new Int32Array(B * T);
  const chars = new Int32Array(B * T * s.C);
  const feats = new Float32Array(B * T * s.featureDim);
  tweets.forEach((x, b) => {
    const L = x.words.length;
    words.set(x.words as Int32Array, b * T);
    chars.set(x.chars as Int32Array, b * T * s.C);
    const fo = x.featureOffsets as Int32Array;
    const fi = x.featureIndices as Int32Array;
    for (let t = 0; t < L; t++) for (let q = fo[t]; q < fo[t + 1]; q++) feats[(b * T + t) * s.featureDim + fi[q]] = 1;
  });
  return tf.tidy(() => {
    const out = model.predict([tf.tensor2d(words, [B, T], 'int32'), tf.tensor3d(chars, [B, T, s.C], 'int32'), tf.tensor3d(feats, [B, T, s.featureDim])]) as tf.Tensor;
    return out.arraySync() as number[][][];
  });
}

function maxDiff(ours: Float32Array[], truth: number[][][], tweets: TweetInputs[], K: number): number {
  let m = 0;
  tweets.forEach((x, b) => {
    expect(ours[b]).toHaveLength(x.words.length * K);
    for (let t = 0; t < x.words.length; t++) for (let k = 0; k < K; k++) m = Math.max(m, Math.abs(ours[b][t * K + k] - truth[b][t][k]));
  });
  return m;
}

const BASE: Sizes = { V: 40, E: 7, Vc: 23, d: 5, F: 6, widths: [3], C: 8, featureDim: 13, units: 5, layers: 1, K: 4 };
const LENGTHS = [1, 2, 3, 4, 5, 7, 9, 12, 16, 20, 25, 31, 36, 40];

describe('InferenceBiLstm with char CNN and sparse features', () => {
  beforeAll(() => activate('cpu'));

  describe.each(['wasm', 'typescript'] as const)('%s kernels', (kernels) => {
    it.each([
      ['1 layer, width 3', { layers: 1, widths: [3] }],
      ['2 layers, widths 2,3,4', { layers: 2, widths: [2, 3, 4] }],
      ['1 layer, widths 1,5, 8 filters, H=8', { layers: 1, widths: [1, 5], F: 8, units: 8 }],
      ['2 layers, width 4, 20 filters', { layers: 2, widths: [4], F: 20 }],
    ])('gives the emissions of the tfjs-layers network to 1e-5 for tweets of 1–40 tokens (%s)', (_, over) => {
      const s: Sizes = { ...BASE, ...over };
      const model = tfjsModel(s, 7 + s.layers);
      const net = new InferenceBiLstm(model.getWeights().map((w) => w.dataSync() as Float32Array), configOf(s), { kernels });
      const tweets = randomTweets(s, LENGTHS, 3);
      const truth = tfjsEmissions(model, s, tweets);
      expect(maxDiff(net.forwardBatch(tweets), truth, tweets, s.K)).toBeLessThan(1e-5);
      // one at a time: the same numbers
      expect(maxDiff(tweets.map((x) => net.forward(x)), truth, tweets, s.K)).toBeLessThan(1e-5);
      model.dispose();
    });
  });

  it.each(['wasm', 'typescript'] as const)('gives the tfjs emissions when many tokens share their characters (%s kernels)', (kernels) => {
    const s: Sizes = { ...BASE, widths: [2, 3] };
    const model = tfjsModel(s, 31);
    const net = new InferenceBiLstm(model.getWeights().map((w) => w.dataSync() as Float32Array), configOf(s), { kernels });
    // tokens drawn from 6 spellings (with different word ids and features), whole tweets repeated
    const base = randomTweets(s, [6], 8)[0];
    const tweets = randomTweets(s, [9, 1, 14, 9, 30], 12).map((x, i) => {
      const chars = new Int32Array(x.words.length * s.C);
      for (let t = 0; t < x.words.length; t++) chars.set((base.chars as Int32Array).subarray(((t * 5 + i) % 6) * s.C, (((t * 5 + i) % 6) + 1) * s.C), t * s.C);
      return { ...x, chars };
    });
    tweets.push(tweets[0], tweets[2]);
    expect(maxDiff(net.forwardBatch(tweets), tfjsEmissions(model, s, tweets), tweets, s.K)).toBeLessThan(1e-5);
    model.dispose();
  });

  it('gives the same numbers whatever its row table holds: 5 rows evicted and refilled, tokens not admitted (transient rows), a batch of more tokens than rows, two threads', async () => {
    // Rows are per token (word id and chars): 40 words × many spellings overflow 5 rows at once,
    // and most new tokens are not admitted to so small a table: their rows are computed per
    // direction, straight into the pre-activations.
    const s: Sizes = { ...BASE, widths: [2, 3] };
    const model = tfjsModel(s, 41);
    const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
    const roomy = new InferenceBiLstm(weights, configOf(s), { kernels: 'wasm' });
    const tiny = new InferenceBiLstm(weights, configOf(s), { kernels: 'wasm', tokenRows: 5 });
    const tinyTwo = new InferenceBiLstm(weights, configOf(s), { kernels: 'wasm', tokenRows: 5, threads: 2 });
    const tweets = randomTweets(s, Array.from({ length: 60 }, (_, i) => 1 + ((i * 5) % 9)), 17);
    const same = (got: Float32Array[], want: Float32Array[]): void => want.forEach((w, i) => expect(Array.from(got[i])).toEqual(Array.from(w)));
    // one or two tweets at a time (≤ 5 distinct tokens or not), then batches of 16 and all 60
    const want = roomy.forwardBatch(tweets);
    for (const size of [1, 2, 16, 60]) {
      for (let i = 0; i < tweets.length; i += size) {
        const batch = tweets.slice(i, i + size);
        same(tiny.forwardBatch(batch), want.slice(i, i + size));
        same(tinyTwo.forwardBatch(batch), want.slice(i, i + size));
      }
    }
    expect(maxDiff(want, tfjsEmissions(model, s, tweets), tweets, s.K)).toBeLessThan(1e-5);
    // the same with precision 'int16', whose table keeps rows in 16 bits: a tiny table (rows
    // evicted, tokens not admitted and rounded for their batch alone) gives the roomy one's numbers
    const roomy16 = new InferenceBiLstm(weights, configOf(s), { kernels: 'wasm', precision: 'int16' });
    const tiny16 = new InferenceBiLstm(weights, configOf(s), { kernels: 'wasm', precision: 'int16', tokenRows: 5 });
    const want16 = roomy16.forwardBatch(tweets);
    for (const size of [1, 2, 16, 60]) {
      for (let i = 0; i < tweets.length; i += size) same(tiny16.forwardBatch(tweets.slice(i, i + size)), want16.slice(i, i + size));
    }
    // ~1,500 new tokens at once: their rows are computed in blocks (into the table, or into
    // scratch when they outnumber its rows), to the numbers of the TypeScript kernels
    const many = randomTweets(s, Array.from({ length: 200 }, () => 9), 23);
    const manyWant = roomy.forwardBatch(many);
    same(new InferenceBiLstm(weights, configOf(s), { kernels: 'wasm', tokenRows: 1000 }).forwardBatch(many), manyWant);
    const ts = new InferenceBiLstm(weights, configOf(s), { kernels: 'typescript' }).forwardBatch(many);
    many.forEach((_, b) => ts[b].forEach((v, i) => expect(Math.abs(manyWant[b][i] - v)).toBeLessThan(1e-5)));
    expect(() => new InferenceBiLstm(weights, configOf(s), { tokenRows: 0 })).toThrow('options.tokenRows must be a positive integer, got 0');
    await tinyTwo.dispose();
    model.dispose();
  });

  it('gives the same emissions with two threads (batch of 40)', async () => {
    const s: Sizes = { ...BASE, layers: 2, widths: [2, 3] };
    const model = tfjsModel(s, 11);
    const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
    const net = new InferenceBiLstm(weights, configOf(s), { kernels: 'wasm', threads: 2 });
    const tweets = randomTweets(s, Array.from({ length: 40 }, (_, i) => 1 + ((i * 7) % 40)), 5);
    tweets.push(...tweets.slice(0, 8)); // repeated tokens, split between the threads
    expect(maxDiff(net.forwardBatch(tweets), tfjsEmissions(model, s, tweets), tweets, s.K)).toBeLessThan(1e-5);
    await net.dispose();
    model.dispose();
  });

  it('averages an ensemble as the tfjs path does (addN, then divide)', async () => {
    const s: Sizes = { ...BASE };
    const models = [tfjsModel(s, 21), tfjsModel(s, 22)];
    const ensemble = new InferenceEnsemble(models.map((m) => new InferenceBiLstm(m.getWeights().map((w) => w.dataSync() as Float32Array), configOf(s))));
    const tweets = randomTweets(s, LENGTHS, 9);
    const outs = models.map((m) => tfjsEmissions(m, s, tweets));
    const truth = outs[0].map((rows, b) => rows.map((row, t) => row.map((v, k) => (v + outs[1][b][t][k]) / 2)));
    expect(maxDiff(ensemble.forwardBatch(tweets), truth, tweets, s.K)).toBeLessThan(1e-5);
    expect(maxDiff([ensemble.forward(tweets[3])], [truth[3]], [tweets[3]], s.K)).toBeLessThan(1e-5);
    await ensemble.dispose();
    models.forEach((m) => m.dispose());
  });
});

describe("InferenceBiLstm with precision: 'int16'", () => {
  beforeAll(() => activate('cpu'));
  // Units 30 and 36 (Hp 32 and 36: 16 and 18 gemmQ column blocks), 1 and 2 layers; weights in ±0.5.
  it.each([
    ['1 layer, H=30', { layers: 1, units: 30, widths: [3] }],
    ['2 layers, H=36, widths 2,3', { layers: 2, units: 36, widths: [2, 3] }],
  ])('stays within 2e-3 of the tfjs emissions, and is not the float32 path (%s)', async (_, over) => {
    const s: Sizes = { ...BASE, ...over };
    const model = tfjsModel(s, 5 + s.layers);
    const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
    const q = new InferenceBiLstm(weights, configOf(s), { kernels: 'wasm', precision: 'int16' });
    const f = new InferenceBiLstm(weights, configOf(s), { kernels: 'wasm' });
    const two = new InferenceBiLstm(weights, configOf(s), { kernels: 'wasm', precision: 'int16', threads: 2 });
    expect([q.precision, f.precision]).toEqual(['int16', 'float32']);
    const tweets = randomTweets(s, [...LENGTHS, 3, 8, 17], 13);
    const truth = tfjsEmissions(model, s, tweets);
    const ours = q.forwardBatch(tweets);
    const err = maxDiff(ours, truth, tweets, s.K);
    expect(err).toBeLessThan(2e-3);
    // the rounding shows: farther from tfjs than float32 is (1e-5)
    expect(err).toBeGreaterThan(1e-5);
    expect(maxDiff(f.forwardBatch(tweets), truth, tweets, s.K)).toBeLessThan(1e-5);
    // one at a time and on two threads: the same numbers bit for bit
    tweets.slice(0, 5).forEach((x, b) => expect(Array.from(q.forward(x))).toEqual(Array.from(ours[b])));
    two.forwardBatch(tweets).forEach((e, b) => expect(Array.from(e)).toEqual(Array.from(ours[b])));
    await two.dispose();
    model.dispose();
  });

  it('refuses it on the TypeScript kernels and refuses unknown choices', () => {
    const model = tfjsModel(BASE, 1);
    const w = model.getWeights().map((v) => v.dataSync() as Float32Array);
    model.dispose();
    expect(() => new InferenceBiLstm(w, configOf(BASE), { kernels: 'typescript', precision: 'int16' })).toThrow(
      "InferenceBiLstm: options.precision 'int16' runs on the wasm kernels only; these are the TypeScript ones",
    );
    expect(() => new InferenceBiLstm(w, configOf(BASE), { precision: 'int8' as 'int16' })).toThrow("options.precision must be 'float32' or 'int16', got 'int8'");
  });
});

describe('InferenceBiLstm input checks', () => {
  const s: Sizes = { ...BASE };
  const weights = (): Float32Array[] => {
    const model = tfjsModel(s, 1);
    const w = model.getWeights().map((v) => v.dataSync() as Float32Array);
    model.dispose();
    return w;
  };
  beforeAll(() => activate('cpu'));

  it('refuses missing, mis-sized and out-of-range chars and features, naming the place', () => {
    const net = new InferenceBiLstm(weights(), configOf(s), { kernels: 'typescript' });
    const [x] = randomTweets(s, [3], 1);
    expect(() => net.forward(x.words)).toThrow(/chars are required: the network has a char CNN/);
    expect(() => net.forward({ ...x, chars: new Int32Array(5) })).toThrow(ShapeError);
    const chars = Int32Array.from(x.chars as Int32Array);
    chars[1 * s.C + 2] = s.Vc;
    expect(() => net.forward({ ...x, chars })).toThrowErrorMatchingInlineSnapshot(`"InferenceBiLstm.forward: chars must lie in [0, 23), got 23 at token 1, position 2"`);
    expect(() => net.forward({ ...x, featureIndices: Int32Array.from([13]), featureOffsets: Int32Array.from([0, 0, 1, 1]) })).toThrow(/featureIndices must lie in \[0, 13\), got 13 at 0/);
    expect(() => net.forward({ ...x, featureOffsets: Int32Array.from([0, 2, 1, 1]), featureIndices: Int32Array.from([0]) })).toThrow(/must be non-decreasing/);
    expect(() => net.forward({ ...x, extra: 1 } as TweetInputs)).toThrow(/extra is not an input/);
  });

  it('refuses unknown config and option keys and weights of the wrong size', () => {
    expect(() => new InferenceBiLstm(weights(), { ...configOf(s), chars: 3 } as InferenceBiLstmConfig)).toThrow(/config.chars is not a known key/);
    expect(() => new InferenceBiLstm(weights(), configOf(s), { thread: 2 } as object)).toThrow(ValueError);
    const w = weights();
    w[2] = new Float32Array(3); // the first char kernel
    expect(() => new InferenceBiLstm(w, configOf(s))).toThrow(/weights\[2\] \(char kernel w=3 \[w·d, F\]\) must have shape 90 float32 values, got 3/);
  });

  describe.each(['wasm', 'typescript'] as const)('%s kernels', (kernels) => {
    it(`runs a tweet of ${MAX_TWEET_TOKENS} tokens and refuses a 1M-token one with InputTooLongError`, () => {
      const net = new InferenceBiLstm(weights(), configOf(s), { kernels });
      const [long] = randomTweets(s, [MAX_TWEET_TOKENS], 4);
      const out = net.forwardBatch([long, randomTweets(s, [5], 2)[0]]);
      expect(out[0]).toHaveLength(MAX_TWEET_TOKENS * s.K);
      expect(out[0].every(Number.isFinite)).toBe(true);
      const huge: TweetInputs = { words: new Int32Array(1_000_000).fill(1) };
      let error: unknown;
      try {
        net.forwardBatch([huge]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputTooLongError);
      expect(error).toMatchObject({ code: 'INPUT_TOO_LONG', length: 1_000_000, limit: MAX_TWEET_TOKENS, index: 0 });
    });
  });

  it(`runs a tweet of ${MAX_TWEET_TOKENS} tokens with int16 products to within 2e-3 of float32`, () => {
    const w = weights();
    const [long] = randomTweets(s, [MAX_TWEET_TOKENS], 4);
    const q = new InferenceBiLstm(w, configOf(s), { kernels: 'wasm', precision: 'int16' }).forward(long);
    const f = new InferenceBiLstm(w, configOf(s), { kernels: 'wasm' }).forward(long);
    let m = 0;
    for (let i = 0; i < f.length; i++) m = Math.max(m, Math.abs(q[i] - f[i]));
    expect(q.every(Number.isFinite)).toBe(true);
    expect(m).toBeLessThan(2e-3);
    expect(m).toBeGreaterThan(0);
  });

  it('runs the long tweet on both kernels to the same numbers', () => {
    const w = weights();
    const [long] = randomTweets(s, [MAX_TWEET_TOKENS], 4);
    const a = new InferenceBiLstm(w, configOf(s), { kernels: 'wasm' }).forward(long);
    const b = new InferenceBiLstm(w, configOf(s), { kernels: 'typescript' }).forward(long);
    let m = 0;
    for (let q = 0; q < a.length; q++) m = Math.max(m, Math.abs(a[q] - b[q]));
    expect(m).toBeLessThan(1e-4);
  });
});
