import * as tf from '@tensorflow/tfjs';

type TensorInfo = tf.TensorInfo;

/** The part of the wasm backend's tensor table this kernel touches. */
interface WasmDataTable {
  dataIdMap: { get(dataId: tf.DataId): { refCount: number } | undefined };
}

/**
 * Replaces the wasm backend's `Identity` kernel — which copies its input — by one that shares the
 * input's memory and counts one more reference, as the cpu backend's does. tfjs calls `Identity`
 * (through `clone`) for every tensor a kernel keeps for its gradient, so on wasm each kept tensor
 * cost a second copy of itself: about 2× the memory of a training step's saved activations, and
 * the time of the copies. Tensors are never written in place, so sharing is safe; the memory is
 * freed when the last tensor that shares it is disposed.
 *
 * Idempotent; returns whether it replaced the kernel in this call.
 */
export function shareWasmIdentity(): boolean {
  const current = tf.getKernel('Identity', 'wasm');
  if (current?.kernelFunc === sharedIdentity) return false;
  if (current) tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc: sharedIdentity as unknown as tf.KernelFunc });
  return true;
}

function sharedIdentity({ inputs, backend }: { inputs: { x: TensorInfo }; backend: tf.KernelBackend }): TensorInfo {
  const { x } = inputs;
  const entry = (backend as unknown as WasmDataTable).dataIdMap.get(x.dataId);
  if (entry === undefined) throw new Error(`Identity: tensor data ${String(x.dataId)} is not on the wasm backend`);
  entry.refCount += 1;
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
