import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@twner/backend';
import { AdamW, BertForTokenClassification } from '../src';
import { forwardFixture, TINY_MODEL_DIR, trainStepFixture } from './fixture';
import { firstMismatch } from './nested-close';

describe.each(['cpu', 'wasm'] as const)('one training step against Hugging Face (dropout off) on %s', (backend) => {
  let model: BertForTokenClassification;
  let inputIds: tf.Tensor2D;
  let attentionMask: tf.Tensor2D;
  let tokenTypeIds: tf.Tensor2D;
  let labels: tf.Tensor2D;

  beforeAll(async () => {
    await useBackend(backend);
    model = await BertForTokenClassification.fromPretrained(TINY_MODEL_DIR);
    const fx = forwardFixture();
    inputIds = tf.tensor2d(fx.input_ids, undefined, 'int32');
    attentionMask = tf.tensor2d(fx.attention_mask, undefined, 'int32');
    tokenTypeIds = tf.tensor2d(fx.token_type_ids, undefined, 'int32');
    labels = tf.tensor2d(trainStepFixture().labels, undefined, 'int32');
  });
  afterAll(() => {
    tf.dispose([inputIds, attentionMask, tokenTypeIds, labels]);
    model.dispose();
  });

  it('reproduces the loss, every gradient norm and the logits after one AdamW step', () => {
    const fx = trainStepFixture();
    const before = tf.memory().numTensors;
    const weights = model.namedWeights();
    const { value, grads } = tf.variableGrads(() => model.loss({ inputIds, attentionMask, tokenTypeIds }, labels), [...weights.values()]);
    expect(firstMismatch(value.dataSync()[0], fx.loss, { rtol: 1e-5 })).toBeNull();

    const norms: Record<string, number> = {};
    for (const [name, variable] of weights) norms[name] = tf.tidy(() => tf.norm(grads[variable.name]).dataSync()[0]);
    expect(Object.keys(norms).sort()).toEqual(Object.keys(fx.grad_norms).sort());
    // The key biases' true gradient is 0 (softmax ignores a per-query constant); PyTorch's
    // rounding leaves ~1e-13, so tiny norms are compared absolutely.
    expect(firstMismatch(norms, fx.grad_norms, { rtol: 1e-3, atol: 1e-9 })).toBeNull();

    const { lr, beta1, beta2, eps, weight_decay: weightDecay } = fx.optimizer;
    const optimizer = new AdamW({ learningRate: lr, beta1, beta2, epsilon: eps, weightDecay });
    optimizer.applyGradients(grads);
    const logits = model.predict({ inputIds, attentionMask, tokenTypeIds }).logits;
    expect(firstMismatch(logits.arraySync(), fx.logits_after_step, { atol: 1e-3 })).toBeNull();

    tf.dispose([value, logits, ...Object.values(grads)]);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
