import { ValueError } from './errors';
import type { InferenceBiLstm } from './inference-bilstm';
import type { InferenceInput } from './inference-input';

/**
 * The mean emissions of several {@link InferenceBiLstm} networks over the same inputs (an
 * ensemble; pair it with `averageCrfWeights` of `@twner/crf/decoder`). Float32 arithmetic in
 * the order of the tfjs path: members summed one after the other, then divided by their count.
 */
export class InferenceEnsemble {
  readonly members: readonly InferenceBiLstm[];
  /** Output size K, the same for every member. */
  readonly outputDim: number;

  /** @param members at least one network, all with the same output size (and inputs) */
  constructor(members: readonly InferenceBiLstm[]) {
    const op = 'InferenceEnsemble';
    if (!Array.isArray(members) || members.length === 0) throw new ValueError(op, 'members', 'must hold at least one InferenceBiLstm');
    const K = members[0].outputDim;
    members.forEach((m, i) => {
      if (m.outputDim !== K) throw new ValueError(op, `members[${i}]`, `has ${m.outputDim} outputs, members[0] has ${K}; ensemble members must share their tag set`);
    });
    this.members = [...members];
    this.outputDim = K;
  }

  /** Mean emissions of one tweet, `[T, K]`. */
  forward(input: InferenceInput): Float32Array {
    return mean(this.members.map((m) => m.forward(input)));
  }

  /** Mean emissions of many tweets, each `[T_i, K]`. */
  forwardBatch(batch: readonly InferenceInput[]): Float32Array[] {
    const outs = this.members.map((m) => m.forwardBatch(batch));
    return batch.map((_, i) => mean(outs.map((o) => o[i])));
  }

  /** Ends the members' worker threads. */
  async dispose(): Promise<void> {
    await Promise.all(this.members.map((m) => m.dispose()));
  }
}

function mean(xs: Float32Array[]): Float32Array {
  if (xs.length === 1) return xs[0];
  const out = Float32Array.from(xs[0]);
  for (let k = 1; k < xs.length; k++) {
    const x = xs[k];
    for (let q = 0; q < out.length; q++) out[q] += x[q];
  }
  const n = xs.length;
  for (let q = 0; q < out.length; q++) out[q] /= n;
  return out;
}
