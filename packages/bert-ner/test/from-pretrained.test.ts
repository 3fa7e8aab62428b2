import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@twner/backend';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  BertForTokenClassification,
  ConfigError,
  ModelDownloadError,
  UnsupportedArchitectureError,
  WeightsMismatchError,
} from '../src';
import { tempDir, tinyConfig, tinyTensors, writeCheckpoint } from './checkpoint-dirs';
import { forwardFixture, TINY_MODEL_DIR } from './fixture';
import { firstMismatch } from './nested-close';

/** float32 → bfloat16 bits, rounding to nearest even. */
function toBf16(x: number): number {
  const bits = new Uint32Array(new Float32Array([x]).buffer)[0];
  return ((bits + 0x7fff + ((bits >> 16) & 1)) >>> 16) & 0xffff;
}

/** A safetensors file holding every tensor as bfloat16. */
function bf16File(): Uint8Array {
  const tensors = [...tinyTensors()].sort(([a], [b]) => (a < b ? -1 : 1));
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, t] of tensors) {
    header[name] = { dtype: 'BF16', shape: t.shape, data_offsets: [offset, offset + t.data.length * 2] };
    offset += t.data.length * 2;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const [, t] of tensors) {
    for (const x of t.data) {
      view.setUint16(at, toBf16(x), true);
      at += 2;
    }
  }
  return out;
}

describe('BertForTokenClassification.fromPretrained', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('reads the config, labels and tokenizer path of a local directory', async () => {
    const model = await BertForTokenClassification.fromPretrained(TINY_MODEL_DIR);
    expect(model.config.hiddenSize).toBe(32);
    expect(model.config.hiddenAct).toBe('gelu');
    expect(model.config.id2label[13]).toBe('B-person');
    expect(model.config.label2id['I-tvshow']).toBe(20);
    expect(model.tokenizerPath).toBe(path.join(TINY_MODEL_DIR, 'tokenizer.json'));
    expect(model.loadReport.newlyInitialized).toEqual([]);
    expect(model.namedWeights().size).toBe(39);
    // linear weights are held as [in, out]
    expect(model.namedWeights().get('bert.encoder.layer.0.intermediate.dense.weight')!.shape).toEqual([32, 64]);
    model.dispose();
  });

  it('loads a bfloat16 checkpoint as float32 within bfloat16 rounding', async () => {
    const dir = writeCheckpoint({ raw: bf16File() });
    const [exact, rounded] = await Promise.all([BertForTokenClassification.fromPretrained(TINY_MODEL_DIR), BertForTokenClassification.fromPretrained(dir)]);
    const name = 'bert.embeddings.word_embeddings.weight';
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(exact.namedWeights().get(name)!, rounded.namedWeights().get(name)!))).dataSync()[0]);
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeLessThan(2 ** -8 * 0.2);
    exact.dispose();
    rounded.dispose();
  });

  it('renames legacy gamma/beta keys and, with allowNewHead, accepts a bare BertModel checkpoint, starting a new classifier', async () => {
    const dir = writeCheckpoint({
      edit: (tensors) => {
        for (const [name, t] of [...tensors]) {
          tensors.delete(name);
          if (name.startsWith('classifier.')) continue;
          tensors.set(name.replace(/^bert\./, '').replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta'), t);
        }
        tensors.set('pooler.dense.weight', { dtype: 'F32', shape: [32, 32], data: new Float32Array(32 * 32) });
      },
    });
    const model = await BertForTokenClassification.fromPretrained(dir, { labels: ['O', 'B-person', 'I-person'], seed: 1, allowNewHead: true });
    expect(model.numLabels).toBe(3);
    expect(model.loadReport.newlyInitialized).toEqual(['classifier.weight', 'classifier.bias']);
    expect(model.loadReport.unused).toEqual(['bert.pooler.dense.weight']);
    const fx = forwardFixture();
    const inputIds = tf.tensor2d(fx.input_ids.slice(0, 2), undefined, 'int32');
    const attentionMask = tf.tensor2d(fx.attention_mask.slice(0, 2), undefined, 'int32');
    const { logits, hiddenStates } = model.predict({ inputIds, attentionMask }, { outputHiddenStates: true });
    expect(logits.shape).toEqual([2, fx.input_ids[0].length, 3]);
    expect(firstMismatch(hiddenStates![2].arraySync(), fx.hidden_states[2].slice(0, 2), { atol: 1e-4 })).toBeNull();
    tf.dispose([inputIds, attentionMask, logits, ...hiddenStates!]);
    model.dispose();
  });

  it('lists every missing and wrongly shaped tensor in a typed error', async () => {
    const dir = writeCheckpoint({
      edit: (tensors) => {
        tensors.delete('bert.encoder.layer.1.output.dense.bias');
        tensors.delete('bert.embeddings.LayerNorm.weight');
        tensors.set('bert.encoder.layer.0.attention.self.key.weight', { dtype: 'F32', shape: [16, 32], data: new Float32Array(16 * 32) });
      },
    });
    const error = await BertForTokenClassification.fromPretrained(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WeightsMismatchError);
    const mismatch = error as WeightsMismatchError;
    expect(mismatch.missing).toEqual(['bert.embeddings.LayerNorm.weight', 'bert.encoder.layer.1.output.dense.bias']);
    expect(mismatch.shapeMismatches).toEqual([{ name: 'bert.encoder.layer.0.attention.self.key.weight', expected: [32, 32], got: [16, 32] }]);
    expect(mismatch.message).toBe(
      `Checkpoint ${path.join(dir, 'model.safetensors')} does not fit the config: missing 2 tensor(s): bert.embeddings.LayerNorm.weight, ` +
        'bert.encoder.layer.1.output.dense.bias; wrong shape for 1 tensor(s): bert.encoder.layer.0.attention.self.key.weight expected [32, 32] got [16, 32]. ' +
        'Check that config.json belongs to these weights (vocab_size, hidden_size, num_hidden_layers, intermediate_size), or save the checkpoint again with save_pretrained',
    );
  });

  it('refuses a head of another size unless ignoreMismatchedSizes', async () => {
    const labels = ['O', 'B-x', 'I-x'];
    await expect(BertForTokenClassification.fromPretrained(TINY_MODEL_DIR, { labels })).rejects.toThrow(
      /classifier\.weight expected \[3, 32\] got \[21, 32\]; classifier\.bias expected \[3\] got \[21\]/,
    );
    const model = await BertForTokenClassification.fromPretrained(TINY_MODEL_DIR, { labels, ignoreMismatchedSizes: true });
    expect(model.loadReport.newlyInitialized).toEqual(['classifier.weight', 'classifier.bias']);
    model.dispose();
  });

  it('rejects an architecture that is not BERT, naming it', async () => {
    const dir = writeCheckpoint({ config: { ...tinyConfig(), model_type: 'roberta', architectures: ['RobertaForTokenClassification'] } });
    const error = await BertForTokenClassification.fromPretrained(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedArchitectureError);
    expect((error as Error).message).toBe(
      `Only BERT checkpoints are supported (model_type "bert"), got model_type "roberta" with architectures RobertaForTokenClassification in ${path.join(dir, 'config.json')}`,
    );
  });

  it('rejects relative position embeddings and an unknown activation', async () => {
    const relative = writeCheckpoint({ config: { ...tinyConfig(), position_embedding_type: 'relative_key' } });
    await expect(BertForTokenClassification.fromPretrained(relative)).rejects.toThrow(UnsupportedArchitectureError);
    const act = writeCheckpoint({ config: { ...tinyConfig(), hidden_act: 'quick_gelu' } });
    await expect(BertForTokenClassification.fromPretrained(act)).rejects.toThrow(ConfigError);
    await expect(BertForTokenClassification.fromPretrained(act)).rejects.toThrow(/hidden_act must be one of gelu, gelu_new/);
  });

  it('says which file is missing in a directory without weights', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(tinyConfig()));
    await expect(BertForTokenClassification.fromPretrained(dir)).rejects.toThrow(`No model.safetensors or model.safetensors.index.json in ${dir}`);
  });

  it('explains how to work offline when the Hub cannot be reached', async () => {
    const offlineFetch = (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch;
    const error = await BertForTokenClassification.fromPretrained('bert-base-uncased', { fetch: offlineFetch, cacheDir: tempDir() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelDownloadError);
    expect((error as ModelDownloadError).repo).toBe('bert-base-uncased');
    expect((error as Error).message).toMatch(/^Could not download config\.json of 'bert-base-uncased' from the Hugging Face Hub: .*fetch failed/);
    expect((error as Error).message).toContain("pass its local directory: BertForTokenClassification.fromPretrained('./path/to/bert-base-uncased')");
  });

  it('uses the Hub cache without the network in offline mode, and fails clearly when the model is not cached', async () => {
    const cacheDir = tempDir();
    await expect(BertForTokenClassification.fromPretrained('org/tiny-bert', { cacheDir, localFilesOnly: true })).rejects.toThrow(
      /'org\/tiny-bert' is not in the Hugging Face cache .* and downloads are off \(offline mode\)\. To work offline/,
    );
    const commit = 'a'.repeat(40);
    const snapshot = path.join(cacheDir, 'models--org--tiny-bert', 'snapshots', commit);
    const { cpSync, mkdirSync } = await import('node:fs');
    cpSync(TINY_MODEL_DIR, snapshot, { recursive: true });
    mkdirSync(path.join(cacheDir, 'models--org--tiny-bert', 'refs'));
    writeFileSync(path.join(cacheDir, 'models--org--tiny-bert', 'refs', 'main'), commit);
    const model = await BertForTokenClassification.fromPretrained('org/tiny-bert', { cacheDir, localFilesOnly: true });
    expect(model.modelDir).toBe(snapshot);
    model.dispose();
  });

  it('rejects inputs of the wrong rank or shape, naming the argument', async () => {
    const model = await BertForTokenClassification.fromPretrained(TINY_MODEL_DIR);
    const ids = tf.tensor2d([[2, 100, 3]], undefined, 'int32');
    const mask = tf.tensor2d([[1, 1]], undefined, 'int32');
    expect(() => model.predict({ inputIds: ids, attentionMask: mask })).toThrow(
      'BertForTokenClassification.predict: `attentionMask` expected shape [1, 3] like inputIds, got [1, 2]',
    );
    const long = tf.zeros([1, 129], 'int32') as tf.Tensor2D;
    expect(() => model.predict({ inputIds: long })).toThrow('`inputIds` expected at most max_position_embeddings = 128 tokens per sequence, got 129');
    tf.dispose([ids, mask, long]);
    model.dispose();
  });
});
