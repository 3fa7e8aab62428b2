import { type CrfWeights } from './decoder';
import { ShapeError, ValueError } from './errors';

/**
 * The CRF of an ensemble: the mean of the members' transition, start and end scores (a member
 * without start or end scores counts as zeros there). With the members' emissions averaged too,
 * a path's score is the mean of its member scores, as in the tfjs ensemble path. The
 * constraints and penalty are taken from the first member.
 *
 * @param members the members' weights, each `transitions` `[K][K]` or `[K*K]`
 * @param numTags K (inferred from the first member's `transitions` when omitted)
 * @returns `transitions` `[K*K]` row-major, `startTransitions`/`endTransitions` `[K]` when any member has them
 */
export function averageCrfWeights(members: readonly CrfWeights[], numTags?: number): CrfWeights {
  const op = 'averageCrfWeights';
  if (members.length === 0) throw new ValueError(op, 'members', 'must hold at least one CRF; pass the weights of every ensemble member');
  const first = members[0].transitions;
  const nested = typeof (first[0] as unknown) === 'object';
  const K = numTags ?? (nested ? first.length : Math.round(Math.sqrt(first.length)));
  const transitions = new Float32Array(K * K);
  const start = new Float64Array(K);
  const end = new Float64Array(K);
  const sum = new Float64Array(K * K);
  let anyStart = false;
  let anyEnd = false;
  members.forEach((m, n) => {
    const tr = m.transitions;
    if (typeof (tr[0] as unknown) === 'object') {
      const rows = tr as ArrayLike<ArrayLike<number>>;
      if (rows.length !== K) throw new ShapeError(op, `members[${n}].transitions`, `[${K}, ${K}]`, `[${rows.length}, …]`);
      for (let i = 0; i < K; i++) {
        if (rows[i].length !== K) throw new ShapeError(op, `members[${n}].transitions`, `[${K}, ${K}]`, `[${K}, ${rows[i].length}] at row ${i}`);
        for (let j = 0; j < K; j++) sum[i * K + j] += rows[i][j];
      }
    } else {
      const flat = tr as ArrayLike<number>;
      if (flat.length !== K * K) throw new ShapeError(op, `members[${n}].transitions`, `[${K * K}] (K×K row-major)`, `[${flat.length}]`);
      for (let q = 0; q < K * K; q++) sum[q] += flat[q];
    }
    const add = (name: string, v: ArrayLike<number> | undefined, into: Float64Array): boolean => {
      if (v === undefined) return false;
      if (v.length !== K) throw new ShapeError(op, `members[${n}].${name}`, `[${K}]`, `[${v.length}]`);
      for (let k = 0; k < K; k++) into[k] += v[k];
      return true;
    };
    anyStart = add('startTransitions', m.startTransitions, start) || anyStart;
    anyEnd = add('endTransitions', m.endTransitions, end) || anyEnd;
  });
  const N = members.length;
  for (let q = 0; q < K * K; q++) transitions[q] = sum[q] / N;
  const out: CrfWeights = { transitions };
  if (anyStart) out.startTransitions = Float32Array.from(start, (v) => v / N);
  if (anyEnd) out.endTransitions = Float32Array.from(end, (v) => v / N);
  if (members[0].constraints !== undefined) out.constraints = members[0].constraints;
  if (members[0].penalty !== undefined) out.penalty = members[0].penalty;
  return out;
}
