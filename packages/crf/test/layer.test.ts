import * as tf from '@tensorflow/tfjs';
import { allowedTransitions, CRF, crfDecode, crfLoss, isAllowedPath } from '../src';
import { BACKENDS, rng, useTestBackend } from './helpers';

// Toy task where transitions matter: 'a' → B, 'b' → O, 'x' → I after B or I, else O.
// A per-token model cannot tell the two kinds of 'x' apart; a CRF can.
const VOCAB = { pad: 0, a: 1, b: 2, x: 3 };
const O = 0;
const B = 1;
const I = 2;

function toyBatch(seed: number, batch: number, time: number) {
  const rand = rng(seed);
  const words: number[][] = [];
  const tags: number[][] = [];
  const mask: number[][] = [];
  for (let n = 0; n < batch; n++) {
    const L = 3 + Math.floor(rand() * (time - 2));
    const w: number[] = [];
    const y: number[] = [];
    for (let t = 0; t < time; t++) {
      if (t >= L) {
        w.push(VOCAB.pad);
        y.push(0);
        continue;
      }
      const r = rand();
      const word = r < 0.25 ? VOCAB.a : r < 0.5 ? VOCAB.b : VOCAB.x;
      const prev = t === 0 ? O : y[t - 1];
      w.push(word);
      y.push(word === VOCAB.a ? B : word === VOCAB.b ? O : prev === B || prev === I ? I : O);
    }
    words.push(w);
    tags.push(y);
    mask.push(w.map((v) => (v === VOCAB.pad ? 0 : 1)));
  }
  return { words, tags, mask };
}

function toyModel(crf: CRF, time: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: 4, outputDim: 8, inputLength: time, embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 1 }) }));
  model.add(tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
  model.add(crf);
  return model;
}

/** Token accuracy of decoded paths over real tokens. */
function accuracy(pred: number[][], gold: number[][], mask: number[][]): number {
  let right = 0;
  let all = 0;
  pred.forEach((row, b) =>
    row.forEach((tag, t) => {
      if (mask[b][t]) {
        all++;
        if (tag === gold[b][t]) right++;
      }
    }),
  );
  return right / all;
}

describe.each(BACKENDS)('%s backend', (backendName) => {
  beforeAll(() => useTestBackend(backendName));

  it('returns the emissions unchanged from call and predict', () => {
    const crf = new CRF();
    const model = toyModel(crf, 5);
    const x = tf.tensor2d([[1, 2, 3, 3, 0]], [1, 5], 'int32');
    const before = tf.memory().numTensors;
    const emissions = model.predict(x) as tf.Tensor;
    const dense = tf.model({ inputs: model.inputs, outputs: model.layers[1].output as tf.SymbolicTensor });
    const direct = dense.predict(x) as tf.Tensor;
    expect(emissions.shape).toEqual([1, 5, 3]);
    expect(emissions.arraySync()).toEqual(direct.arraySync());
    tf.dispose([emissions, direct]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    x.dispose();
  });

  it('learns a toy task where transitions matter (embedding → dense → CRF) and its transitions change', () => {
    const time = 8;
    const crf = new CRF({ name: 'crf' });
    const model = toyModel(crf, time);
    const train = toyBatch(7, 32, time);
    const test = toyBatch(8, 64, time);
    const x = tf.tensor2d(train.words, undefined, 'int32');
    const y = tf.tensor2d(train.tags, undefined, 'int32');
    const m = tf.tensor2d(train.mask, undefined, 'int32');
    const initial = crf.transitions.arraySync();
    const optimizer = tf.train.adam(0.1);
    const step = (): number => {
      const loss = optimizer.minimize(() => crf.negLogLikelihood(model.apply(x, { training: true }) as tf.Tensor, y, m) as tf.Scalar, true);
      const value = loss!.dataSync()[0];
      loss!.dispose();
      return value;
    };
    const firstLoss = step();
    const start = tf.memory().numTensors;
    let lastLoss = firstLoss;
    for (let i = 0; i < 40; i++) lastLoss = step();
    // A training step leaves no tensor behind (Adam's slots were created by the first step).
    expect(tf.memory().numTensors).toBe(start);
    expect(lastLoss).toBeLessThan(firstLoss / 5);

    const xt = tf.tensor2d(test.words, undefined, 'int32');
    const mt = tf.tensor2d(test.mask, undefined, 'int32');
    const emissions = model.predict(xt) as tf.Tensor;
    const decoded = crf.decode(emissions, mt);
    expect(accuracy(decoded.tags.arraySync(), test.tags, test.mask)).toBeGreaterThan(0.98);
    // The best a per-token tagger can do: the most frequent tag of each word.
    const argmax = tf.argMax(emissions, 2);
    expect(accuracy(argmax.arraySync() as number[][], test.tags, test.mask)).toBeLessThan(0.9);
    const learned = crf.transitions.arraySync();
    // O → I must have become much less likely than B → I.
    expect(learned[B][I] - learned[O][I]).toBeGreaterThan(1);
    expect(Math.max(...learned.flat().map((v, k) => Math.abs(v - initial.flat()[k])))).toBeGreaterThan(0.5);
    tf.dispose([x, y, m, xt, mt, emissions, decoded.tags, decoded.scores, argmax]);
    optimizer.dispose();
    model.dispose();
  });

  it('trains through model.compile + fit with crfLoss on one-hot targets', async () => {
    const time = 6;
    const crf = new CRF();
    const model = toyModel(crf, time);
    model.compile({ optimizer: tf.train.adam(0.1), loss: crfLoss(crf) });
    const data = toyBatch(3, 32, time);
    const x = tf.tensor2d(data.words, undefined, 'int32');
    // [B, T, K]: one-hot targets, all-zero rows at padding
    const y = tf.tidy(() => tf.mul(tf.oneHot(tf.tensor2d(data.tags, undefined, 'int32'), 3), tf.expandDims(tf.tensor2d(data.mask), 2)));
    const initial = crf.transitions.arraySync();
    const history = await model.fit(x, y, { epochs: 15, batchSize: 32, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    expect(crf.transitions.arraySync()).not.toEqual(initial);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('round-trips a model containing it through save and loadLayersModel (weights, config, decoding)', async () => {
    const constraints = allowedTransitions(['O', 'B-loc', 'I-loc'], 'IOB2');
    const crf = new CRF({ name: 'crf', constraints, penalty: -500 });
    const model = toyModel(crf, 5);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const crf2 = loaded.getLayer('crf');
    expect(crf2).toBeInstanceOf(CRF);
    const c2 = crf2 as CRF;
    expect(c2.constraints).toEqual(constraints);
    expect(c2.penalty).toBe(-500);
    expect(c2.useStartEnd).toBe(true);
    const w1 = model.getWeights().map((w) => w.arraySync());
    const w2 = loaded.getWeights().map((w) => w.arraySync());
    expect(w2).toEqual(w1);
    expect(c2.transitions.arraySync()).toEqual(crf.transitions.arraySync());
    expect(c2.startTransitions!.arraySync()).toEqual(crf.startTransitions!.arraySync());
    const x = tf.tensor2d([[3, 1, 3, 2, 3]], [1, 5], 'int32');
    const e1 = model.predict(x) as tf.Tensor;
    const e2 = loaded.predict(x) as tf.Tensor;
    const d1 = crf.decode(e1);
    const d2 = c2.decode(e2);
    expect(d2.tags.arraySync()).toEqual(d1.tags.arraySync());
    expect(isAllowedPath(d2.tags.arraySync()[0], constraints)).toBe(true);
    // The plain-TS decoder built from the layer agrees with crfDecode.
    const plain = c2.toDecoder().decode(e2.dataSync());
    expect(Array.from(plain.path)).toEqual(d2.tags.arraySync()[0]);
    const viaOps = crfDecode(e2, null, c2.transitions, c2.opsOptions());
    expect(viaOps.tags.arraySync()).toEqual(d2.tags.arraySync());
    tf.dispose([x, e1, e2, d1.tags, d1.scores, d2.tags, d2.scores, viaOps.tags, viaOps.scores]);
    model.dispose();
    loaded.dispose();
  });

  it('computes crfLoss from int tags with -1 padding like negLogLikelihood with a mask', () => {
    const crf = new CRF({ useStartEnd: false });
    crf.build([null, 3, 2]);
    expect(crf.getWeights()).toHaveLength(1);
    expect(crf.startTransitions).toBeUndefined();
    tf.tidy(() => {
      const emissions = tf.tensor3d([[[1, 0], [0, 2], [3, 1]], [[0, 1], [1, 1], [5, 5]]]);
      const yTrue = tf.tensor2d([[0, 1, 1], [1, 0, -1]], undefined, 'int32');
      const loss = crfLoss(crf)(yTrue, emissions);
      const direct = crf.negLogLikelihood(emissions, tf.tensor2d([[0, 1, 1], [1, 0, 0]], undefined, 'int32'), tf.tensor2d([[1, 1, 1], [1, 1, 0]]));
      expect(loss.dataSync()[0]).toBeCloseTo(direct.dataSync()[0], 5);
    });
  });

  it('serialises its options in getConfig', () => {
    const crf = new CRF({ useStartEnd: false, initRange: 0.2 });
    expect(crf.getConfig()).toMatchObject({ useStartEnd: false, initRange: 0.2, penalty: -1e4 });
    expect(crf.getConfig()).not.toHaveProperty('constraints');
  });
});
