import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@twner/backend';
import { chmodSync, copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { BertForTokenClassification, createBertConfig, readSafetensors } from '../src';
import { tempDir, tinyConfig } from './checkpoint-dirs';
import { TINY_MODEL_DIR } from './fixture';

describe('BertForTokenClassification.savePretrained', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('writes the Hugging Face checkpoint back with identical tensors, names and PyTorch shapes', async () => {
    const model = await BertForTokenClassification.fromPretrained(TINY_MODEL_DIR);
    const dir = tempDir();
    await model.savePretrained(dir);
    const original = readSafetensors(readFileSync(path.join(TINY_MODEL_DIR, 'model.safetensors'))).tensors;
    const saved = readSafetensors(readFileSync(path.join(dir, 'model.safetensors')));
    expect(saved.metadata).toEqual({ format: 'pt' });
    expect([...saved.tensors.keys()].sort()).toEqual([...original.keys()].sort());
    for (const [name, t] of original) expect({ name, ...saved.tensors.get(name) }).toEqual({ name, ...t });
    model.dispose();
  });

  it('writes a config.json transformers reads: same sizes, id2label with string ids, label2id, architecture', async () => {
    const model = await BertForTokenClassification.fromPretrained(TINY_MODEL_DIR);
    const dir = tempDir();
    await model.savePretrained(dir);
    const written = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    const original = tinyConfig();
    for (const key of Object.keys(original).filter((k) => k !== 'transformers_version')) expect([key, written[key]]).toEqual([key, original[key]]);
    expect(written.architectures).toEqual(['BertForTokenClassification']);
    expect(written.position_embedding_type).toBe('absolute');
    model.dispose();
  });

  it('copies the tokenizer files next to the weights', async () => {
    const model = await BertForTokenClassification.fromPretrained(TINY_MODEL_DIR);
    const dir = tempDir();
    await model.savePretrained(dir);
    for (const file of ['tokenizer.json', 'tokenizer_config.json']) {
      expect(readFileSync(path.join(dir, file), 'utf8')).toBe(readFileSync(path.join(TINY_MODEL_DIR, file), 'utf8'));
    }
    expect(existsSync(path.join(dir, 'vocab.txt'))).toBe(false);
    model.dispose();
  });

  it('saves twice into the same folder even when the tokenizer files it copies are read-only', async () => {
    const source = tempDir();
    for (const file of ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']) {
      copyFileSync(path.join(TINY_MODEL_DIR, file), path.join(source, file));
      chmodSync(path.join(source, file), 0o444);
    }
    const model = await BertForTokenClassification.fromPretrained(source);
    const dir = tempDir();
    await model.savePretrained(dir);
    await model.savePretrained(dir);
    expect(statSync(path.join(dir, 'tokenizer.json')).mode & 0o200).toBe(0o200);
    model.dispose();
  });

  it('round-trips a trained model exactly: every weight and every logit', async () => {
    const config = createBertConfig({ vocabSize: 50, hiddenSize: 8, numHiddenLayers: 1, numAttentionHeads: 2, intermediateSize: 16, maxPositionEmbeddings: 16, hiddenAct: 'gelu_new', labels: ['O', 'B-a', 'I-a'] });
    const model = BertForTokenClassification.create(config, { seed: 7 });
    const dir = tempDir();
    await model.savePretrained(dir);
    const back = await BertForTokenClassification.fromPretrained(dir);
    expect(back.config).toEqual(model.config);
    for (const [name, v] of model.namedWeights()) {
      expect([name, Array.from(back.namedWeights().get(name)!.dataSync())]).toEqual([name, Array.from(v.dataSync())]);
    }
    const inputIds = tf.tensor2d([[2, 7, 9, 3]], undefined, 'int32');
    const [a, b] = [model.predict({ inputIds }).logits, back.predict({ inputIds }).logits];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([inputIds, a, b]);
    model.dispose();
    back.dispose();
  });
});
