import type { RecurrenceOptions, RecurrenceShape, RecurrenceTrace } from './lstm-recurrence';
import { KernelArena, pad4 } from './wasm-kernels';

/**
 * {@link recurrenceForward} on the WebAssembly SIMD kernels: same arguments, same numbers
 * (within 1e-5). Each call gets its own kernel instance, which holds the trace (time-major,
 * units padded to a multiple of 4) until the returned `backward` has run.
 * @param xz // [B, T, 4H], x·kernel + bias
 * @param mask // [B, T] or null
 * @param recurrentKernel // [H, 4H]
 */
export function wasmRecurrenceForward(
  xz: Float32Array,
  mask: Float32Array | null,
  recurrentKernel: Float32Array,
  shape: RecurrenceShape,
  options: RecurrenceOptions,
): RecurrenceTrace {
  const { batch: B, steps: T, units: H } = shape;
  const G = 4 * H;
  const hp = pad4(H);
  const gp = 4 * hp;
  const a = new KernelArena();
  const k = a.k;
  const hard = options.recurrentActivation === 'hardSigmoid' ? 1 : 0;
  const timeAt = (s: number): number => (options.goBackwards ? T - 1 - s : s);
  const reverse = options.goBackwards ? 1 : 0;
  // Output index of step s: its time position, or s itself ('processing').
  const outReverse = options.goBackwards && options.outputOrder === 'position' ? 1 : 0;

  const rec = a.alloc(hp * gp * 4, true);
  const recT = a.alloc(gp * hp * 4, true);
  {
    const rv = a.f32(rec, hp * gp);
    const rt = a.f32(recT, gp * hp);
    for (let i = 0; i < H; i++) {
      for (let g = 0; g < 4; g++) {
        for (let u = 0; u < H; u++) {
          const v = recurrentKernel[i * G + g * H + u];
          rv[i * gp + g * hp + u] = v;
          rt[(g * hp + u) * hp + i] = v;
        }
      }
    }
  }
  const z = a.alloc(T * B * gp * 4, true); // [T, B, 4Hp]
  const gates = a.alloc(T * B * gp * 4);
  const hs = a.alloc((T + 1) * B * hp * 4, true); // [T+1, B, Hp]
  const cs = a.alloc((T + 1) * B * hp * 4, true);
  const maskPtr = mask === null ? 0 : a.alloc(T * B);
  {
    const xzPtr = a.alloc(B * T * G * 4); // [B, T, 4H] as tfjs laid it out
    a.f32(xzPtr, B * T * G).set(xz);
    k.permuteRows(z, gp, hp, xzPtr, G, H, 4, H, B, T, reverse, 1);
    if (mask !== null) {
      const mv = a.u8(maskPtr, T * B);
      for (let s = 0; s < T; s++) for (let b = 0; b < B; b++) mv[s * B + b] = mask[b * T + timeAt(s)] === 0 ? 0 : 1;
    }
  }
  k.lstmTrainForward(z, gates, maskPtr, rec, B, T, hp, hard, hs, cs);

  const out = new Float32Array(B * T * H);
  const last = new Float32Array(B * H);
  const hPrev = new Float32Array(B * T * H);
  {
    const mark = a.mark();
    const tmp = a.alloc(B * T * H * 4);
    const slab = B * hp * 4;
    k.permuteRows(tmp, H, 0, hs + slab, hp, 0, 1, H, B, T, outReverse, 0); // hs[s+1] → out
    out.set(a.f32(tmp, B * T * H));
    k.permuteRows(tmp, H, 0, hs, hp, 0, 1, H, B, T, reverse, 0); // hs[s] → h entering time t
    hPrev.set(a.f32(tmp, B * T * H));
    const hv = a.f32(hs + T * slab, B * hp);
    for (let b = 0; b < B; b++) last.set(hv.subarray(b * hp, b * hp + H), b * H);
    a.release(mark);
  }

  const backward = (dOut: Float32Array | null, dLast: Float32Array | null): Float32Array => {
    const mark = a.mark();
    const dOutPtr = dOut === null ? 0 : a.alloc(T * B * hp * 4, true);
    const dh = a.alloc(B * hp * 4, true);
    const dc = a.alloc(B * hp * 4, true);
    const tmp = a.alloc(B * hp * 4);
    const dzPtr = a.alloc(T * B * gp * 4);
    if (dOut !== null) {
      const src = a.alloc(B * T * H * 4);
      a.f32(src, B * T * H).set(dOut);
      k.permuteRows(dOutPtr, hp, 0, src, H, 0, 1, H, B, T, outReverse, 1);
    }
    if (dLast !== null) {
      const dv = a.f32(dh, B * hp);
      for (let b = 0; b < B; b++) for (let u = 0; u < H; u++) dv[b * hp + u] = dLast[b * H + u];
    }
    k.lstmTrainBackward(z, gates, maskPtr, recT, B, T, hp, hard, cs, dOutPtr, dh, dc, tmp, dzPtr);
    const dzOut = a.alloc(B * T * G * 4);
    k.permuteRows(dzOut, G, H, dzPtr, gp, hp, 4, H, B, T, reverse, 0);
    const dz = a.f32(dzOut, B * T * G).slice(); // [B, T, 4H]
    a.release(mark);
    return dz;
  };
  const empty = new Float32Array(0);
  return { out, last, hPrev, gates: empty, pre: empty, cell: empty, cPrev: empty, backward };
}
