import * as tf from '@tensorflow/tfjs';
import { ShapeError } from './errors';
import { pad4, tensorKernelArena } from './wasm-kernels';

/**
 * Exact GELU, x·Φ(x) = ½x(1 + erf(x/√2)) (PyTorch `nn.GELU()`), elementwise on the
 * WebAssembly SIMD kernels; erf by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7), as tfjs' own
 * `Erf`. Not taped: pair it with {@link geluBackward} inside a `tf.customGrad`.
 */
export function geluForward(x: tf.Tensor): tf.Tensor {
  const a = tensorKernelArena();
  const start = a.mark();
  try {
    const n = x.size;
    const xp = a.put(x, pad4(n));
    const out = a.alloc(pad4(n) * 4);
    a.k.geluForward(out, xp, pad4(n));
    return tf.tensor(a.values(out, n, tf.getBackend()), x.shape);
  } finally {
    a.release(start);
  }
}

/** dy ⊙ GELU′(x) = dy ⊙ (Φ(x) + x·φ(x)) for {@link geluForward}. */
export function geluBackward(x: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  if (dy.size !== x.size) throw new ShapeError('geluBackward', 'dy', `[${x.shape.join(', ')}]`, `[${dy.shape.join(', ')}]`);
  const a = tensorKernelArena();
  const start = a.mark();
  try {
    const n = x.size;
    const xp = a.put(x, pad4(n));
    const dyp = a.put(dy, pad4(n));
    const out = a.alloc(pad4(n) * 4);
    a.k.geluBackward(out, xp, dyp, pad4(n));
    return tf.tensor(a.values(out, n, tf.getBackend()), x.shape);
  } finally {
    a.release(start);
  }
}
