import * as tf from '@tensorflow/tfjs';
import { prepareInputs, type CrfOptions, type Prepared } from './validate';

/**
 * Forward variables of every step, in log space, with padding carried: `alphas[t][b, j]` = log of
 * the summed scores of all prefixes of row b ending in tag j at its last real token ≤ t.
 * Call inside `tf.tidy`.
 *
 * @returns T tensors of shape [B, K]
 */
export function forwardAlphas(p: Prepared): tf.Tensor2D[] {
  const { K } = p;
  // T × [B, K]
  const em = tf.unstack(p.emissions, 1) as tf.Tensor2D[];
  // T × [B, 1]: whether token t is real
  const real = tf.unstack(tf.greater(tf.expandDims(p.mask, 2), 0), 1) as tf.Tensor2D[];
  // [1, K, K]: entry (0, j, i) = score of i → j (transposed, so that the reduction over the
  // previous tag i runs along the innermost axis: much faster on the cpu backend)
  const transT = tf.reshape(tf.transpose(p.transitions), [1, K, K]);
  // [B, K]
  let alpha: tf.Tensor2D = p.start === null ? em[0] : tf.add(em[0], p.start);
  const alphas = [alpha];
  for (let t = 1; t < em.length; t++) {
    // [B, K, K]: entry (b, j, i) = alpha[b, i] + transitions[i, j]
    const paths = tf.add(tf.expandDims(alpha, 1), transT);
    // [B, K]
    const next = tf.add(tf.logSumExp(paths, 2), em[t]);
    // [B, K]: padding keeps the previous alpha
    alpha = tf.where(real[t], next, alpha) as tf.Tensor2D;
    alphas.push(alpha);
  }
  return alphas;
}

/** log Z per row from prepared inputs, not yet zeroed for empty rows: `[B]`. */
export function rawLogNorm(p: Prepared, alphas: tf.Tensor2D[]): tf.Tensor1D {
  const last = alphas[alphas.length - 1];
  // [B]
  return tf.logSumExp(p.end === null ? last : tf.add(last, p.end), 1) as tf.Tensor1D;
}

/**
 * Backward variables of every step, in log space, with padding carried: `betas[t][b, i]` = log of
 * the summed scores of all continuations of row b after tag i at token t (end scores included).
 * Call inside `tf.tidy`.
 *
 * @returns T tensors of shape [B, K]
 */
export function backwardBetas(p: Prepared): tf.Tensor2D[] {
  const { B, T, K } = p;
  // T × [B, K]
  const em = tf.unstack(p.emissions, 1) as tf.Tensor2D[];
  // T × [B, 1]
  const real = tf.unstack(tf.greater(tf.expandDims(p.mask, 2), 0), 1) as tf.Tensor2D[];
  // [1, K, K]: entry (0, i, j) = score of i → j
  const trans = tf.reshape(p.transitions, [1, K, K]);
  // [B, K]
  let beta: tf.Tensor2D = p.end === null ? tf.zeros([B, K]) : (tf.tile(tf.reshape(p.end, [1, K]), [B, 1]) as tf.Tensor2D);
  const betas: tf.Tensor2D[] = new Array(T);
  betas[T - 1] = beta;
  for (let t = T - 2; t >= 0; t--) {
    // [B, 1, K]
    const ahead = tf.expandDims(tf.add(em[t + 1], beta), 1);
    // [B, K]: logsumexp over j of transitions[i, j] + em[t+1, j] + beta[t+1, j]
    const next = tf.logSumExp(tf.add(trans, ahead), 2) as tf.Tensor2D;
    beta = tf.where(real[t + 1], next, beta) as tf.Tensor2D;
    betas[t] = beta;
  }
  return betas;
}

type LogNormOp = (emissions: tf.Tensor3D, mask: tf.Tensor2D, transitions: tf.Tensor2D, start: tf.Tensor1D, end: tf.Tensor1D) => tf.Tensor1D;

/**
 * log Z with a hand-written gradient: d log Z / d emissions = the marginals, d / d transitions =
 * the summed pairwise marginals (forward-backward), about twice as fast as differentiating
 * the forward recursion op by op.
 */
const logNormWithGrad = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [emissions, mask, transitions, start, end] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
  const save = args[5] as tf.GradSaveFunc;
  const [B, T, K] = emissions.shape;
  const p: Prepared = { B, T, K, emissions, mask, transitions, start, end };
  const alphas = forwardAlphas(p);
  // [B]
  const rawZ = rawLogNorm(p, alphas);
  const nonEmpty = tf.greater(tf.sum(mask, 1), 0);
  // [B, T, K]
  const alphaAll = tf.stack(alphas, 1);
  save([emissions, mask, transitions, end, alphaAll, rawZ]);
  return {
    value: tf.where(nonEmpty, rawZ, tf.zeros([B], 'float32')) as tf.Tensor1D,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [em, m, trans, en, alpha, z] = saved as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor3D, tf.Tensor1D];
      const q: Prepared = { B, T, K, emissions: em, mask: m, transitions: trans, start: null, end: en };
      // [B, T, K]
      const beta = tf.stack(backwardBetas(q), 1);
      // [B, T, K]: P(tag_t = k), 0 at padding
      const unary = tf.mul(tf.exp(tf.sub(tf.add(alpha, beta), tf.reshape(z, [B, 1, 1]))), tf.expandDims(m, 2));
      // [B, 1, 1]
      const w = tf.reshape(dy, [B, 1, 1]);
      // [B, T, K]
      const dEm = tf.mul(unary, w);
      // [K]
      const dStart = tf.sum(tf.reshape(tf.slice(dEm, [0, 0, 0], [B, 1, K]), [B, K]), 0);
      // [B, T]: 1 at the last real token of each row
      const last = T === 1 ? m : tf.sub(m, tf.concat([tf.slice(m, [0, 1], [B, T - 1]), tf.zeros([B, 1])], 1));
      // [K]
      const dEnd = tf.sum(tf.mul(dEm, tf.expandDims(last, 2)), [0, 1]);
      let dTrans: tf.Tensor = tf.zeros([K, K]);
      if (T > 1) {
        // [B, T-1, K, 1]: alpha at t minus log Z
        const prev = tf.reshape(tf.sub(tf.slice(alpha, [0, 0, 0], [B, T - 1, K]), tf.reshape(z, [B, 1, 1])), [B, T - 1, K, 1]);
        // [B, T-1]: weight of the move into t+1, 0 where t+1 is padding
        const mNext = tf.slice(m, [0, 1], [B, T - 1]);
        const weight = tf.mul(mNext, tf.reshape(dy, [B, 1]));
        // [B, T-1, 1, K]: emission (zeroed at padding, which may hold anything) plus beta at t+1
        const next = tf.reshape(tf.add(tf.mul(tf.slice(em, [0, 1, 0], [B, T - 1, K]), tf.expandDims(mNext, 2)), tf.slice(beta, [0, 1, 0], [B, T - 1, K])), [B, T - 1, 1, K]);
        // [B*(T-1), K*K]: entry (n, i*K + j) = P(tag_t = i, tag_{t+1} = j) of row/step n
        // (a log-probability is ≤ 0; clipping keeps padded steps, whose weight is 0, finite)
        const pair = tf.reshape(tf.exp(tf.minimum(tf.add(tf.add(prev, trans), next), 0)), [B * (T - 1), K * K]);
        // [K, K]: weighted sum over rows and steps as one matMul (no reduction over outer axes)
        dTrans = tf.reshape(tf.matMul(tf.reshape(weight, [1, B * (T - 1)]), pair), [K, K]);
      }
      return [dEm, tf.zerosLike(m), dTrans, dStart, dEnd];
    },
  };
}) as unknown as LogNormOp;

/** log Z with empty rows set to 0: `[B]`. Call inside `tf.tidy`. */
export function logNorm(p: Prepared): tf.Tensor1D {
  const zeros = (): tf.Tensor1D => tf.zeros([p.K], 'float32');
  return logNormWithGrad(p.emissions, p.mask, p.transitions, p.start ?? zeros(), p.end ?? zeros());
}

/**
 * Log partition function: log of the summed exponentiated scores of every path (forward
 * algorithm in log space; stable for large emissions). An all-padding row gives 0.
 *
 * @param emissions [B, T, K] float32
 * @param mask [B, T] 1 = real token, 0 = padding, right-padded; null = all ones
 * @param transitions [K, K]
 * @param opts start/end transitions `[K]`, constraints, penalty, validation
 * @returns [B] float32
 */
export function crfLogNorm(
  emissions: tf.Tensor,
  mask: tf.Tensor | null | undefined,
  transitions: tf.Tensor,
  opts: CrfOptions = {},
): tf.Tensor1D {
  return tf.tidy(() => logNorm(prepareInputs('crfLogNorm', emissions, mask, transitions, opts)));
}
