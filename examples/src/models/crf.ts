import * as tf from '@tensorflow/tfjs';

/**
 * Linear-chain CRF pieces for training and decoding (Lafferty et al. 2001). Local until
 * `@twner/crf` lands. Shapes: B batch, T time, K tags.
 */
export interface CrfParams {
  /** [K, K]: score of tag i followed by tag j. */
  transitions: tf.Variable;
  /** [K]: score of starting with a tag. */
  start: tf.Variable;
  /** [K]: score of ending with a tag. */
  end: tf.Variable;
}

export const DISALLOWED = -1e4;

/** IOB2 constraints: `I-x` only after `B-x` or `I-x`, never first. 0 = allowed, -1e4 = not. */
export function iob2Constraints(labels: readonly string[]): { transitions: number[][]; start: number[] } {
  const allowed = (prev: string | null, cur: string): boolean => {
    if (!cur.startsWith('I-')) return true;
    if (prev === null) return false;
    const type = cur.slice(2);
    return prev === `B-${type}` || prev === `I-${type}`;
  };
  return {
    transitions: labels.map((p) => labels.map((c) => (allowed(p, c) ? 0 : DISALLOWED))),
    start: labels.map((c) => (allowed(null, c) ? 0 : DISALLOWED)),
  };
}

export function createCrfParams(numTags: number, seed: number): CrfParams {
  return {
    transitions: tf.variable(tf.randomUniform([numTags, numTags], -0.1, 0.1, 'float32', seed), true, 'crf/transitions'),
    start: tf.variable(tf.zeros([numTags]), true, 'crf/start'),
    end: tf.variable(tf.zeros([numTags]), true, 'crf/end'),
  };
}

/** Effective scores: trained parameters plus the fixed constraint masks when constrained. */
export interface CrfScores {
  transitions: tf.Tensor2D;
  start: tf.Tensor1D;
  end: tf.Tensor1D;
}

export function effectiveScores(params: CrfParams, constraints?: { transitions: number[][]; start: number[] }): CrfScores {
  if (!constraints) {
    return { transitions: params.transitions as tf.Tensor2D, start: params.start as tf.Tensor1D, end: params.end as tf.Tensor1D };
  }
  return {
    transitions: tf.add(params.transitions, tf.tensor2d(constraints.transitions)) as tf.Tensor2D,
    start: tf.add(params.start, tf.tensor1d(constraints.start)) as tf.Tensor1D,
    end: params.end as tf.Tensor1D,
  };
}

/**
 * Mean negative log-likelihood of the gold tags (the value to minimise).
 * @param emissions [B, T, K]
 * @param tags [B, T] int32 gold tag ids (anything at padded positions)
 * @param mask [B, T] float32, 1 on real tokens; every row starts with 1 (right padding)
 * @param lastTags [B] int32 gold tag of each row's last real token
 */
export function crfNll(
  emissions: tf.Tensor3D,
  tags: tf.Tensor2D,
  mask: tf.Tensor2D,
  lastTags: tf.Tensor1D,
  scores: CrfScores,
): tf.Scalar {
  return tf.tidy(() => {
    const [B, T, K] = emissions.shape;
    // [B, T, K]
    const gold = tf.cast(tf.oneHot(tags, K), 'float32');
    // [B]
    const emitScore = tf.sum(tf.mul(tf.sum(tf.mul(emissions, gold), 2), mask), 1);
    // [B]
    const startScore = tf.sum(tf.mul(tf.reshape(tf.slice(gold, [0, 0, 0], [B, 1, K]), [B, K]), scores.start), 1);
    const endScore = tf.sum(tf.mul(tf.cast(tf.oneHot(lastTags, K), 'float32'), scores.end), 1);
    let goldScore = tf.add(tf.add(emitScore, startScore), endScore);
    if (T > 1) {
      // [B*(T-1), K] previous tags, times transitions, dotted with current tags
      const prev = tf.reshape(tf.slice(gold, [0, 0, 0], [B, T - 1, K]), [B * (T - 1), K]);
      const cur = tf.reshape(tf.slice(gold, [0, 1, 0], [B, T - 1, K]), [B * (T - 1), K]);
      // [B, T-1]
      const pair = tf.reshape(tf.sum(tf.mul(tf.matMul(prev, scores.transitions), cur), 1), [B, T - 1]);
      goldScore = tf.add(goldScore, tf.sum(tf.mul(pair, tf.slice(mask, [0, 1], [B, T - 1])), 1));
    }
    // Forward algorithm. alpha: [B, K]
    const steps = tf.unstack(emissions, 1) as tf.Tensor2D[];
    const maskSteps = tf.unstack(mask, 1);
    let alpha: tf.Tensor = tf.add(steps[0], scores.start);
    // [1, K, K]
    const trans3 = tf.expandDims(scores.transitions, 0);
    for (let t = 1; t < T; t++) {
      // [B, K, K]: entry (b, i, j) = alpha[b, i] + trans[i, j] + emit[b, t, j]
      const s = tf.add(tf.add(tf.expandDims(alpha, 2), trans3), tf.expandDims(steps[t], 1));
      const next = tf.logSumExp(s, 1);
      const m = tf.expandDims(maskSteps[t], 1);
      alpha = tf.add(tf.mul(next, m), tf.mul(alpha, tf.sub(1, m)));
    }
    // [B]
    const logZ = tf.logSumExp(tf.add(alpha, scores.end), 1);
    return tf.mean(tf.sub(logZ, goldScore)) as tf.Scalar;
  });
}

/**
 * Best tag path for one sequence (plain TS).
 * @param emissions row-major [n, K] scores of the first n (real) tokens
 */
export function viterbi(
  emissions: ArrayLike<number>,
  n: number,
  K: number,
  transitions: ArrayLike<number>,
  start: ArrayLike<number>,
  end: ArrayLike<number>,
): number[] {
  if (n === 0) return [];
  let score = new Float64Array(K);
  for (let j = 0; j < K; j++) score[j] = start[j] + emissions[j];
  const back: Int32Array[] = [];
  for (let t = 1; t < n; t++) {
    const next = new Float64Array(K);
    const ptr = new Int32Array(K);
    for (let j = 0; j < K; j++) {
      let best = -Infinity;
      let arg = 0;
      for (let i = 0; i < K; i++) {
        const v = score[i] + transitions[i * K + j];
        if (v > best) {
          best = v;
          arg = i;
        }
      }
      next[j] = best + emissions[t * K + j];
      ptr[j] = arg;
    }
    back.push(ptr);
    score = next;
  }
  let best = -Infinity;
  let last = 0;
  for (let j = 0; j < K; j++) {
    const v = score[j] + end[j];
    if (v > best) {
      best = v;
      last = j;
    }
  }
  const path = [last];
  for (let t = back.length - 1; t >= 0; t--) path.push(back[t][path[path.length - 1]]);
  return path.reverse();
}
