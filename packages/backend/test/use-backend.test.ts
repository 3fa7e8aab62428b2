import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError, registerMissingWasmKernels, useBackend } from '@twner/backend';

describe('useBackend', () => {
  it('picks wasm under auto where native TensorFlow is not installed, and says why tensorflow failed', async () => {
    const choice = await useBackend('auto');
    const nativeInstalled = choice.name === 'tensorflow';
    if (!nativeInstalled) {
      expect(choice.name).toBe('wasm');
      expect(choice.tried[0]).toEqual({ name: 'tensorflow', error: expect.stringContaining('tfjs-node') });
    }
    expect(tf.getBackend()).toBe(choice.name);
  });

  it.each(['cpu', 'wasm'] as const)('switches to %s on request', async (name) => {
    const choice = await useBackend(name);
    expect(choice).toEqual({ name, tried: [{ name }] });
    expect(tf.getBackend()).toBe(name);
  });

  it('rejects an unknown backend name with a typed error that lists the valid names', async () => {
    await expect(useBackend('webgpu')).rejects.toThrow(BackendUnavailableError);
    await expect(useBackend('webgpu')).rejects.toThrow(/auto, tensorflow, wasm or cpu/);
  });
});

describe('registerMissingWasmKernels', () => {
  beforeAll(() => useBackend('wasm'));

  it('is idempotent: a second call registers nothing new', () => {
    expect(registerMissingWasmKernels()).toEqual([]);
  });

  it('gives embedding (gather) gradients on wasm equal to the cpu backend', async () => {
    const gradOn = async (name: 'cpu' | 'wasm') => {
      await useBackend(name);
      const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
      const ids = tf.tensor1d([2, 0, 2, 1], 'int32');
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]))))(table);
      const values = await g.array();
      tf.dispose([table, ids, g]);
      return values;
    };
    const cpu = await gradOn('cpu');
    const wasm = await gradOn('wasm');
    // Row r of the gradient is the sum of the weight rows whose id is r: row 2 = [1,2]+[5,6].
    expect(cpu).toEqual([[3, 4], [7, 8], [6, 8]]);
    expect(wasm).toEqual(cpu);
  });

  it('gives conv1d filter gradients on wasm (Conv2DBackpropFilter) equal to the cpu backend', async () => {
    const gradOn = async (name: 'cpu' | 'wasm') => {
      await useBackend(name);
      const x = tf.tensor3d([[[1], [2], [3], [4]]]);
      const f = tf.tensor3d([[[1, -1]], [[2, 0.5]]]);
      const g = tf.grad((w: tf.Tensor) => tf.sum(tf.conv1d(x, w as tf.Tensor3D, 1, 'valid')))(f);
      const values = await g.array();
      tf.dispose([x, f, g]);
      return values;
    };
    const cpu = await gradOn('cpu');
    expect(await gradOn('wasm')).toEqual(cpu);
    // d/dw[k] of sum over positions p of x[p+k]*w[k] = sum of x over the 3 valid windows.
    expect(cpu).toEqual([[[6, 6]], [[9, 9]]]);
  });

  it('leaks no tensors or backend memory in a bridged kernel', async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const cpuBefore = tf.findBackend('cpu')!.numDataIds();
    const x = tf.tensor1d([1, 2, 3]);
    const segments = tf.tensor1d([0, 1, 0], 'int32');
    const out = tf.unsortedSegmentSum(x, segments, 2);
    expect(Array.from(await out.data())).toEqual([4, 2]);
    tf.dispose([x, segments, out]);
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.findBackend('cpu')!.numDataIds()).toBe(cpuBefore);
  });
});
