import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

interface WasmLikeBackend {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

let kernelsPatched = false;

/**
 * The wasm backend of tfjs 4.22 lacks `UnsortedSegmentSum`, which the gradient of `gather`
 * (embedding lookups) needs. Registers a plain-JS version. Local stop-gap until
 * `@twner/backend` ships its kernel fills.
 */
export function patchWasmKernels(): void {
  if (kernelsPatched) return;
  kernelsPatched = true;
  // Masks (tf.all over a boolean mask) sit on the tape of masked RNNs; their gradient is zero.
  if (tf.getGradient('All') === undefined) {
    tf.registerGradient({
      kernelName: 'All',
      inputsToSave: ['x'],
      gradFunc: (_dy, saved) => ({ x: () => tf.zeros(saved[0].shape, 'float32') }),
    });
  }
  if (tf.getKernel('UnsortedSegmentSum', 'wasm') !== undefined) return;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as unknown as WasmLikeBackend;
      const x = inputs.x as tf.TensorInfo;
      const segmentIds = inputs.segmentIds as tf.TensorInfo;
      const numSegments = (attrs as { numSegments: number }).numSegments;
      const xs = wasm.readSync(x.dataId);
      const ids = wasm.readSync(segmentIds.dataId);
      const inner = x.shape.slice(segmentIds.shape.length).reduce((a, b) => a * b, 1);
      const out = wasm.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
      const values = wasm.typedArrayFromHeap(out);
      values.fill(0);
      for (let i = 0; i < ids.length; i++) {
        const seg = ids[i];
        if (seg < 0 || seg >= numSegments) continue;
        const src = i * inner;
        const dst = seg * inner;
        for (let j = 0; j < inner; j++) values[dst + j] += xs[src + j];
      }
      return out;
    },
  });
}

/**
 * Picks a tfjs backend: `auto` tries tensorflow (tfjs-node, not installable here) → wasm → cpu.
 * Local stand-in for `@twner/backend`'s `useBackend`.
 */
export async function selectBackend(name: BackendName = 'auto'): Promise<{ name: string; tried: string[] }> {
  const order = name === 'auto' ? ['wasm', 'cpu'] : name === 'tensorflow' ? ['tensorflow'] : [name];
  const tried: string[] = [];
  for (const candidate of order) {
    tried.push(candidate);
    try {
      if (await tf.setBackend(candidate)) {
        await tf.ready();
        patchWasmKernels();
        return { name: tf.getBackend(), tried };
      }
    } catch {
      // fall through to the next backend
    }
  }
  throw new Error(`no usable tfjs backend among ${tried.join(', ')}`);
}
