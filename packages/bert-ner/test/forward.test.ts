import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@twner/backend';
import { BertForTokenClassification } from '../src';
import { forwardFixture, TINY_MODEL_DIR } from './fixture';
import { firstMismatch } from './nested-close';

describe.each(['cpu', 'wasm'] as const)('BertForTokenClassification.predict on %s', (backend) => {
  let model: BertForTokenClassification;

  beforeAll(async () => {
    await useBackend(backend);
    model = await BertForTokenClassification.fromPretrained(TINY_MODEL_DIR);
  });
  afterAll(() => model.dispose());

  it('reproduces the Hugging Face logits and every hidden state within 1e-4', () => {
    const fx = forwardFixture();
    const before = tf.memory().numTensors;
    const inputIds = tf.tensor2d(fx.input_ids, undefined, 'int32');
    const attentionMask = tf.tensor2d(fx.attention_mask, undefined, 'int32');
    const tokenTypeIds = tf.tensor2d(fx.token_type_ids, undefined, 'int32');
    const out = model.predict({ inputIds, attentionMask, tokenTypeIds }, { outputHiddenStates: true });
    expect(out.logits.shape).toEqual([16, fx.input_ids[0].length, 21]);
    expect(firstMismatch(out.logits.arraySync(), fx.logits, { atol: 1e-4 })).toBeNull();
    expect(out.hiddenStates).toHaveLength(3);
    expect(firstMismatch(out.hiddenStates!.map((h) => h.arraySync()), fx.hidden_states, { atol: 1e-4 })).toBeNull();
    tf.dispose([inputIds, attentionMask, tokenTypeIds, out.logits, ...(out.hiddenStates ?? [])]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
