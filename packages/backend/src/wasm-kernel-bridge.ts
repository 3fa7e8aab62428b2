import * as tf from '@tensorflow/tfjs';

type TensorInfo = tf.TensorInfo;
type KernelBackend = tf.KernelBackend;

/** Kernels that cannot be bridged: complex numbers, strings and drawing have no wasm storage. */
const NOT_BRIDGED = new Set([
  'Complex',
  'ComplexAbs',
  'FFT',
  'IFFT',
  'Imag',
  'Real',
  'Draw',
  'StaticRegexReplace',
]);

/**
 * Registers, for every kernel the cpu backend has and the wasm backend lacks (such as
 * `UnsortedSegmentSum`, needed by embedding gradients, and `Conv2DBackpropFilter`, needed by
 * convolution gradients), a wasm kernel that runs the cpu implementation on copies of its inputs
 * and writes the result back into wasm memory. Numbers are identical to the cpu backend's.
 *
 * Idempotent; returns the names of the kernels it registered in this call.
 */
export function registerMissingWasmKernels(): string[] {
  const wasmKernels = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
  const registered: string[] = [];
  for (const kernel of tf.getKernelsForBackend('cpu')) {
    const name = kernel.kernelName;
    if (wasmKernels.has(name) || NOT_BRIDGED.has(name)) continue;
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: (args) => runOnCpu(kernel, args as unknown as KernelArgs),
    });
    registered.push(name);
  }
  return registered;
}

interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: KernelBackend;
  attrs?: Record<string, unknown>;
}

function cpuBackend(): KernelBackend {
  const cpu = tf.findBackend('cpu');
  if (cpu == null) throw new Error('The cpu backend is not registered; it is needed to bridge wasm kernels.');
  // The cpu backend advises installing tfjs-node on its first use; here it only serves the wasm
  // backend, so that advice would mislead.
  (cpu as unknown as { firstUse?: boolean }).firstUse = false;
  return cpu;
}

function runOnCpu(kernel: tf.KernelConfig, { inputs, backend, attrs }: KernelArgs): TensorInfo | TensorInfo[] {
  const cpu = cpuBackend();
  const cpuInputs: Record<string, TensorInfo> = {};
  const temporaries: TensorInfo[] = [];
  for (const [key, info] of Object.entries(inputs)) {
    if (info == null) continue;
    const values = backend.readSync(info.dataId) as tf.backend_util.BackendValues;
    const dataId = cpu.write(values, info.shape, info.dtype);
    const cpuInfo = { dataId, shape: info.shape, dtype: info.dtype };
    cpuInputs[key] = cpuInfo;
    temporaries.push(cpuInfo);
  }
  try {
    const result = kernel.kernelFunc({
      inputs: cpuInputs,
      backend: cpu,
      attrs: (attrs ?? {}) as tf.NamedAttrMap,
    });
    const outputs = Array.isArray(result) ? result : [result];
    const copied = outputs.map((out) => {
      const values = cpu.readSync(out.dataId) as tf.backend_util.BackendValues;
      const dataId = backend.write(values, out.shape, out.dtype);
      cpu.disposeData(out.dataId);
      return { dataId, shape: out.shape, dtype: out.dtype };
    });
    return Array.isArray(result) ? copied : copied[0];
  } finally {
    for (const t of temporaries) cpu.disposeData(t.dataId);
  }
}
