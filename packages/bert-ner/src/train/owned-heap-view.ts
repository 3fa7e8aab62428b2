import * as tf from '@tensorflow/tfjs';

/** The public methods of tfjs' wasm backend (`BackendWasm`) that this module uses. */
interface WasmBackendHeap {
  refCount(dataId: tf.DataId): number;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * A live view of a float32 tensor's memory on the wasm backend, for reading (`owned: false`) or
 * for writing it in place (`owned: true`: only while the tensor is the sole owner of that memory,
 * reference count 1, so that no clone and no tensor kept for a gradient shares it). Null on other
 * backends, for other dtypes, or for data that lives elsewhere: compute a new tensor instead.
 *
 * The view is valid until the next tfjs allocation (the wasm heap may grow and move): use it at
 * once, in plain JavaScript, with no tfjs op in between.
 */
export function wasmHeapView(tensor: tf.Tensor, { owned }: { owned: boolean }): Float32Array | null {
  if (tensor.isDisposed || tensor.dtype !== 'float32' || tf.getBackend() !== 'wasm') return null;
  const backend = tf.backend() as unknown as WasmBackendHeap;
  const refs = backend.refCount(tensor.dataId);
  if (refs === 0 || (owned && refs !== 1)) return null; // 0: the data is on another backend
  return backend.typedArrayFromHeap(tensor) as Float32Array;
}
