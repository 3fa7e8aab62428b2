import * as tf from '@tensorflow/tfjs';
import { geluBackward, geluForward } from '@twner/kernels';
import type { HiddenAct } from '../config';
import { simdKernelsActive } from './transformer-kernels';

const SQRT_HALF = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * erf(x) from elementary ops (Abramowitz & Stegun 7.1.26, |error| ≤ 1.5e-7), used when the
 * backend has no `Erf` kernel.
 */
function erfFromElementaryOps(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const ax = tf.abs(x);
    const t = tf.div(1, tf.add(1, tf.mul(0.3275911, ax)));
    // a1 t + a2 t² + … + a5 t⁵ by Horner's rule
    let poly = tf.add(-1.453152027, tf.mul(t, 1.061405429));
    poly = tf.add(1.421413741, tf.mul(t, poly));
    poly = tf.add(-0.284496736, tf.mul(t, poly));
    poly = tf.add(0.254829592, tf.mul(t, poly));
    poly = tf.mul(t, poly);
    const y = tf.sub(1, tf.mul(poly, tf.exp(tf.neg(tf.square(ax)))));
    return tf.mul(tf.sign(x), y);
  });
}

/** erf(x), through the backend's `Erf` kernel when it has one. */
export function erf(x: tf.Tensor): tf.Tensor {
  return tf.getKernel('Erf', tf.getBackend()) ? tf.erf(x) : erfFromElementaryOps(x);
}

/** Φ(x) = ½(1 + erf(x/√2)) */
function geluCdf(x: tf.Tensor): tf.Tensor {
  return tf.mul(0.5, tf.add(1, erf(tf.mul(x, SQRT_HALF))));
}

/** dy ⊙ (Φ(x) + x·φ(x)), on the SIMD kernels where they run. */
function geluGradient(x: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  if (simdKernelsActive()) return geluBackward(x, dy);
  return tf.tidy(() => {
    const pdf = tf.mul(INV_SQRT_2PI, tf.exp(tf.mul(-0.5, tf.square(x))));
    return tf.mul(dy, tf.add(geluCdf(x), tf.mul(x, pdf)));
  });
}

/**
 * Exact GELU, x·Φ(x) = 0.5·x·(1 + erf(x/√2)) (PyTorch `nn.GELU()`, HF `gelu`), with its exact
 * derivative Φ(x) + x·φ(x) as the gradient. Only x is kept for the backward pass (Φ is computed
 * again there): one tensor of the feed-forward width less per layer during training. On the
 * wasm and cpu backends it runs on `@twner/kernels`' SIMD kernels (see `setTransformerKernels`).
 */
export const gelu: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  // customGrad passes the inputs, then the save function
  const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([input]);
  return {
    value: simdKernelsActive() ? geluForward(input) : tf.mul(input, geluCdf(input)),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => geluGradient(saved[0], dy),
  };
}) as (x: tf.Tensor) => tf.Tensor;

/** tanh approximation of GELU (HF `gelu_new`, `gelu_pytorch_tanh`, `gelu_fast`). */
export function geluTanh(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inner = tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
  });
}

/** x·sigmoid(x) (HF `silu`, `swish`). */
export function silu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
}

/** The activation function a config's `hidden_act` names. */
export function activation(name: HiddenAct): (x: tf.Tensor) => tf.Tensor {
  switch (name) {
    case 'gelu':
      return gelu;
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
    case 'gelu_fast':
      return geluTanh;
    case 'relu':
      return (x) => tf.relu(x);
    case 'silu':
    case 'swish':
      return silu;
    case 'tanh':
      return (x) => tf.tanh(x);
  }
}

/**
 * dy ⊙ f′(x) for the activation a config's `hidden_act` names, from elementary ops (no tape):
 * the fused feed-forward block applies it inside its own backward pass.
 */
export function activationBackward(name: HiddenAct, x: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    switch (name) {
      case 'gelu':
        return geluGradient(x, dy);
      case 'gelu_new':
      case 'gelu_pytorch_tanh':
      case 'gelu_fast': {
        // f = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³): f′ = ½(1 + tanh u) + ½x(1 − tanh² u)·u′
        const th = tf.tanh(tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))));
        const du = tf.mul(SQRT_2_OVER_PI, tf.add(1, tf.mul(3 * 0.044715, tf.square(x))));
        return tf.mul(dy, tf.add(tf.mul(0.5, tf.add(1, th)), tf.mul(tf.mul(tf.mul(0.5, x), tf.sub(1, tf.square(th))), du)));
      }
      case 'relu':
        return tf.mul(dy, tf.step(x));
      case 'silu':
      case 'swish': {
        const s = tf.sigmoid(x);
        return tf.mul(dy, tf.mul(s, tf.add(1, tf.mul(x, tf.sub(1, s)))));
      }
      case 'tanh':
        return tf.mul(dy, tf.sub(1, tf.square(tf.tanh(x))));
    }
  });
}
