import * as tf from '@tensorflow/tfjs';
import { InferenceBiLstm, type InferenceBiLstmConfig, ShapeError, ValueError, wasmKernelsAvailable } from '../src';
import { activate } from './helpers';

const CONFIG: InferenceBiLstmConfig = {
  vocabSize: 30,
  embeddingDim: 8,
  lstmUnits: [5, 4],
  dense: [
    { units: 6, activation: 'relu' },
    { units: 3, activation: 'linear' },
  ],
};
const T = 9;
const TWEETS = [
  [3, 17, 4, 29, 8, 1, 1, 22, 5],
  [12, 2, 7],
  [9],
  [4, 0, 6, 11], // an id 0 inside a tweet is masked, as with maskZero
];

/** The notebook architecture in tfjs-layers: the truth. */
function notebookModel(recurrentActivation: 'hardSigmoid' | 'sigmoid'): tf.LayersModel {
  const input = tf.input({ shape: [T], dtype: 'int32' });
  let h = tf.layers.embedding({ inputDim: CONFIG.vocabSize, outputDim: CONFIG.embeddingDim, maskZero: true }).apply(input) as tf.SymbolicTensor;
  for (const units of CONFIG.lstmUnits) {
    const lstm = tf.layers.lstm({ units, returnSequences: true, recurrentActivation, recurrentInitializer: 'glorotNormal', biasInitializer: 'randomNormal' });
    h = tf.layers.bidirectional({ layer: lstm as tf.RNN }).apply(h) as tf.SymbolicTensor;
  }
  for (const d of CONFIG.dense) h = tf.layers.dense({ units: d.units, activation: d.activation, biasInitializer: 'randomNormal' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: h });
}

describe('InferenceBiLstm', () => {
  beforeAll(() => activate('cpu'));

  it.each([
    ['hardSigmoid', 'wasm'],
    ['sigmoid', 'wasm'],
    ['hardSigmoid', 'typescript'],
    ['sigmoid', 'typescript'],
  ] as const)('gives the emissions of the tfjs-layers model at every real token (%s gates, %s kernels)', (recurrentActivation, kernels) => {
    const model = notebookModel(recurrentActivation);
    const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
    const net = new InferenceBiLstm(weights, { ...CONFIG, recurrentActivation }, { kernels });
    expect(net.kernels).toBe(kernels);
    const padded = tf.tensor2d(TWEETS.map((ids) => [...ids, ...Array(T - ids.length).fill(0)]), [TWEETS.length, T], 'int32');
    const truth = (model.predict(padded) as tf.Tensor).arraySync() as number[][][];
    const ours = net.forwardBatch(TWEETS);
    expect(net.outputDim).toBe(3);
    TWEETS.forEach((ids, b) => {
      expect(ours[b]).toHaveLength(ids.length * 3);
      for (let t = 0; t < ids.length; t++) {
        for (let k = 0; k < 3; k++) expect(Math.abs(ours[b][t * 3 + k] - truth[b][t][k])).toBeLessThan(1e-5);
      }
    });
    padded.dispose();
    model.dispose();
  });

  it('rejects weights in the wrong number or size', () => {
    const model = notebookModel('hardSigmoid');
    const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
    expect(() => new InferenceBiLstm(weights.slice(1), CONFIG)).toThrow(ValueError);
    expect(() => new InferenceBiLstm(weights, { ...CONFIG, embeddingDim: 7 })).toThrow(ShapeError);
    const net = new InferenceBiLstm(weights, CONFIG);
    expect(() => net.forward([1, 30])).toThrow('ids must lie in [0, 30), got 30 at 1');
    expect(() => net.forwardBatch([[1], [2, 1.5]])).toThrow('ids must lie in [0, 30), got 1.5 at 1');
    expect(() => new InferenceBiLstm(weights, CONFIG, { kernels: 'gpu' as 'wasm' })).toThrow(ValueError);
    model.dispose();
  });

  it('picks the WebAssembly SIMD kernels by default where they load', () => {
    expect(wasmKernelsAvailable()).toBe(true);
    const model = notebookModel('hardSigmoid');
    const net = new InferenceBiLstm(model.getWeights().map((w) => w.dataSync() as Float32Array), CONFIG);
    expect(net.kernels).toBe('wasm');
    model.dispose();
  });
});

/** Random weights for a model of the given sizes, in getWeights() order. */
function randomWeights(config: InferenceBiLstmConfig, seed: number): Float32Array[] {
  let s = seed >>> 0;
  const rand = (n: number, scale: number): Float32Array => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      a[i] = ((s / 2 ** 32) * 2 - 1) * scale;
    }
    return a;
  };
  const w = [rand(config.vocabSize * config.embeddingDim, 1)];
  let inDim = config.embeddingDim;
  for (const H of config.lstmUnits) {
    for (let d = 0; d < 2; d++) w.push(rand(inDim * 4 * H, 0.5), rand(H * 4 * H, 0.5), rand(4 * H, 1.5));
    inDim = 2 * H;
  }
  for (const { units } of config.dense) {
    w.push(rand(inDim * units, 0.5), rand(units, 0.5));
    inDim = units;
  }
  return w;
}

describe('InferenceBiLstm wasm kernels', () => {
  // Sizes off the 4-lane grid (padding), an id 0 mid-tweet, an empty tweet, many lengths.
  const config: InferenceBiLstmConfig = {
    vocabSize: 40,
    embeddingDim: 7,
    lstmUnits: [6, 9],
    dense: [
      { units: 5, activation: 'relu' },
      { units: 3, activation: 'linear' },
    ],
  };
  const tweets = Array.from({ length: 37 }, (_, i) => Array.from({ length: (i * 7) % 23 }, (_, t) => (i + t * 5) % 40));

  it.each(['hardSigmoid', 'sigmoid'] as const)('equal the TypeScript kernels within 1e-5, batched and one at a time (%s gates)', (recurrentActivation) => {
    const weights = randomWeights(config, 7);
    const ts = new InferenceBiLstm(weights, { ...config, recurrentActivation }, { kernels: 'typescript' });
    const wasm = new InferenceBiLstm(weights, { ...config, recurrentActivation }, { kernels: 'wasm' });
    const truth = ts.forwardBatch(tweets);
    const batched = wasm.forwardBatch(tweets);
    tweets.forEach((ids, b) => {
      const single = wasm.forward(ids);
      expect(batched[b]).toHaveLength(ids.length * 3);
      expect(single).toHaveLength(ids.length * 3);
      for (let i = 0; i < truth[b].length; i++) {
        expect(Math.abs(batched[b][i] - truth[b][i])).toBeLessThan(1e-5);
        expect(Math.abs(single[i] - truth[b][i])).toBeLessThan(1e-5);
      }
    });
  });

  it('tags a batch larger than one packed chunk (600 tweets) like one tweet at a time', () => {
    const weights = randomWeights(config, 11);
    const net = new InferenceBiLstm(weights, config, { kernels: 'wasm' });
    const many = Array.from({ length: 600 }, (_, i) => tweets[i % tweets.length]);
    const batched = net.forwardBatch(many);
    expect(batched).toHaveLength(600);
    many.forEach((ids, b) => expect(Array.from(batched[b])).toEqual(Array.from(net.forward(ids))));
  });

  it('gives the same emissions with a worker thread (threads: 2) and shuts it down', async () => {
    const weights = randomWeights(config, 5);
    const one = new InferenceBiLstm(weights, config);
    const two = new InferenceBiLstm(weights, config, { threads: 2 });
    const many = Array.from({ length: 300 }, (_, i) => tweets[(i * 7) % tweets.length]);
    const truth = one.forwardBatch(many);
    const ours = two.forwardBatch(many);
    many.forEach((_, b) => expect(Array.from(ours[b])).toEqual(Array.from(truth[b])));
    await two.dispose();
    expect(() => new InferenceBiLstm(weights, config, { threads: 3 as 2 })).toThrow('threads must be 1 or 2, got 3');
  });

  it('fills each word projection row on first use, in either thread, with the numbers of a fresh engine', async () => {
    const weights = randomWeights(config, 9);
    const two = new InferenceBiLstm(weights, config, { threads: 2 });
    // Rows first filled by one thread are later needed by the other (the split goes by length rank).
    const first = Array.from({ length: 40 }, (_, i) => tweets[i % tweets.length]);
    const second = Array.from({ length: 41 }, (_, i) => tweets[(i * 5 + 3) % tweets.length]);
    two.forwardBatch(first);
    const later = two.forwardBatch(second);
    const fresh = new InferenceBiLstm(weights, config, { kernels: 'typescript' }).forwardBatch(second);
    second.forEach((_, b) => {
      for (let i = 0; i < fresh[b].length; i++) expect(Math.abs(later[b][i] - fresh[b][i])).toBeLessThan(1e-5);
    });
    const single = new InferenceBiLstm(weights, config);
    second.forEach((ids, b) => expect(Array.from(later[b])).toEqual(Array.from(single.forward(ids))));
    await two.dispose();
  });

  it('runs a batch on the worker while this thread tags another, with the numbers of forwardBatch', async () => {
    const weights = randomWeights(config, 13);
    const one = new InferenceBiLstm(weights, config);
    const two = new InferenceBiLstm(weights, config, { threads: 2 });
    expect(one.forwardBatchOnWorker(tweets)).toBeNull(); // no worker
    const a = Array.from({ length: 60 }, (_, i) => tweets[(i * 3) % tweets.length]);
    const b = Array.from({ length: 50 }, (_, i) => tweets[(i * 7 + 1) % tweets.length]);
    const job = two.forwardBatchOnWorker(a);
    expect(job).not.toBeNull();
    const queued = two.forwardBatchOnWorker(b); // waits on the worker behind a
    expect(two.workerFree).toBe(false);
    expect(() => two.forwardBatchOnWorker(b)).toThrow(/already has 2 batches of this network/);
    const gotB = two.forwardBatch(b); // this thread alone meanwhile
    const gotA = job!.finish();
    expect(job!.finish()).toBe(gotA);
    expect(job!.workerMs()).toBeGreaterThan(0);
    expect(two.workerFree).toBe(true);
    expect(two.workerIdle).toBe(false); // b is still there
    const queuedB = queued!.finish();
    expect(two.workerIdle).toBe(true);
    const wantA = one.forwardBatch(a);
    const wantB = one.forwardBatch(b);
    a.forEach((_, i) => expect(Array.from(gotA[i])).toEqual(Array.from(wantA[i])));
    b.forEach((_, i) => expect(Array.from(gotB[i])).toEqual(Array.from(wantB[i])));
    b.forEach((_, i) => expect(Array.from(queuedB[i])).toEqual(Array.from(wantB[i])));
    // the worker is free again, and a batch over one packed chunk is left to forwardBatch
    const again = two.forwardBatchOnWorker(b);
    b.forEach((_, i) => expect(Array.from(again!.finish()[i])).toEqual(Array.from(wantB[i])));
    expect(two.forwardBatchOnWorker(Array.from({ length: 300 }, () => tweets[0]))).toBeNull();
    await two.dispose();
  });

  it('fails a batch planned before a failure on the worker when it is collected, and tags the next ones right', async () => {
    const weights = randomWeights(config, 17);
    const one = new InferenceBiLstm(weights, config);
    const two = new InferenceBiLstm(weights, config, { threads: 2 });
    // The worker's answer to the first batch is turned into a failure (as a trap there would be).
    const worker = (two as unknown as { worker: { finish(t: unknown): unknown } }).worker;
    const real = worker.finish.bind(worker);
    let calls = 0;
    worker.finish = (t) => {
      const done = real(t);
      if (calls++ === 0) throw new Error('injected failure');
      return done;
    };
    const a = Array.from({ length: 40 }, (_, i) => tweets[(i * 3) % tweets.length]);
    const b = Array.from({ length: 30 }, (_, i) => tweets[(i * 5 + 2) % tweets.length]);
    const ja = two.forwardBatchOnWorker(a)!;
    const jb = two.forwardBatchOnWorker(b)!; // planned while a's rows were still to come
    expect(() => ja.finish()).toThrow('injected failure');
    expect(() => jb.finish()).toThrow(/an earlier batch failed on the worker thread/);
    expect(two.workerIdle).toBe(true);
    const wantB = one.forwardBatch(b);
    const again = two.forwardBatchOnWorker(b)!.finish();
    b.forEach((_, i) => expect(Array.from(again[i])).toEqual(Array.from(wantB[i])));
    await two.dispose();
  });

  it('shares one worker thread between networks, grows a mailbox for a large batch, and lets one network leave while another goes on', async () => {
    // no dense layer: each output row is the last BiLSTM's 2 × 12 floats, so 16,384 tokens
    // return 1.5 MiB, more than a mailbox first holds
    const noDense = { ...config, dense: [] };
    const wa = randomWeights(noDense, 21);
    const wb = randomWeights(noDense, 22);
    const [a1, b1] = [new InferenceBiLstm(wa, noDense), new InferenceBiLstm(wb, noDense)];
    const [a2, b2] = [new InferenceBiLstm(wa, noDense, { threads: 2 }), new InferenceBiLstm(wb, noDense, { threads: 2 })];
    expect(a1.workerIdle).toBe(false); // no worker
    const small = [tweets[5], tweets[6]];
    const large = Array.from({ length: 256 }, (_, i) => Array.from({ length: 64 }, (_, t) => 1 + ((i * 7 + t * 3) % 39)));
    const same = (got: Float32Array[], want: Float32Array[]): void => want.forEach((w, i) => expect(Array.from(got[i])).toEqual(Array.from(w)));
    for (const batch of [small, large, small]) {
      expect(a2.workerIdle).toBe(true);
      const ja = a2.forwardBatchOnWorker(batch)!;
      const jb = b2.forwardBatchOnWorker(batch)!;
      expect(a2.workerIdle).toBe(false);
      same(jb.finish(), b1.forwardBatch(batch));
      same(ja.finish(), a1.forwardBatch(batch));
      expect(a2.workerIdle).toBe(true);
    }
    await a2.dispose();
    expect(a2.workerIdle).toBe(false);
    same(b2.forwardBatchOnWorker(large)!.finish(), b1.forwardBatch(large));
    same(b2.forwardBatch(large), b1.forwardBatch(large));
    await b2.dispose();
  });

  it('gives the concatenated LSTM states when there is no dense layer', () => {
    const noDense = { ...config, dense: [] };
    const weights = randomWeights(noDense, 3);
    const truth = new InferenceBiLstm(weights, noDense, { kernels: 'typescript' }).forwardBatch(tweets);
    const ours = new InferenceBiLstm(weights, noDense, { kernels: 'wasm' }).forwardBatch(tweets);
    tweets.forEach((_, b) => {
      expect(ours[b]).toHaveLength(truth[b].length);
      for (let i = 0; i < truth[b].length; i++) expect(Math.abs(ours[b][i] - truth[b][i])).toBeLessThan(1e-5);
    });
  });
});
