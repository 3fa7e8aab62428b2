import * as tf from '@tensorflow/tfjs';
import { shareWasmIdentity, useBackend } from '@twner/backend';

/** Tensor data buffers the engine tracks (shared data counts once). */
function dataBuffers(): number {
  return tf.memory().numDataBuffers;
}

describe('shareWasmIdentity', () => {
  beforeAll(() => useBackend('wasm'));

  it('is installed by useBackend and idempotent', () => {
    expect(tf.getKernel('Identity', 'wasm')?.kernelFunc.name).toBe('sharedIdentity');
    expect(shareWasmIdentity()).toBe(false);
  });

  it('makes clone share the buffer, which outlives the original and is freed with the last tensor', () => {
    const before = tf.memory().numTensors;
    const buffers = dataBuffers();
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.clone(a);
    expect(dataBuffers()).toBe(buffers + 1);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    b.dispose();
    expect(dataBuffers()).toBe(buffers);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves gradients unchanged: the tensors kept for backward are shared, not copied', async () => {
    const gradOn = async (name: 'cpu' | 'wasm') => {
      await useBackend(name);
      const x = tf.tensor2d([[0.5, -1.5], [2, 0.25]]);
      const w = tf.tensor2d([[1, 2], [3, -4]]);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.exp(tf.matMul(a, b)), a)))([x, w]);
      const out = [(await dx.array()) as number[][], (await dw.array()) as number[][]];
      tf.dispose([x, w, dx, dw]);
      return out;
    };
    const cpu = await gradOn('cpu');
    const wasm = await gradOn('wasm');
    expect(wasm[0]).toEqual(cpu[0].map((row) => row.map((v) => expect.closeTo(v, 4))));
    expect(wasm[1]).toEqual(cpu[1].map((row) => row.map((v) => expect.closeTo(v, 4))));
  });
});
