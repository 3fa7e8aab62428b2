import { int16Bound, quantizeColumns } from '../src/inference-wasm';
import { KernelArena, pad4 } from '../src/wasm-kernels';

/** Seeded values in [-scale, scale]. */
function values(n: number, seed: number, scale: number): Float32Array {
  let s = seed >>> 0;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return a;
}

describe('wasm kernels', () => {
  const arena = new KernelArena();

  /** An elementwise kernel (`tanhArray`, `sigmoidArray`) run on `xs` (padded to 4), its outputs copied out. */
  function elementwise(kernel: 'tanhArray' | 'sigmoidArray' | 'gateTanhArray' | 'gateSigmoidArray', xs: Float32Array): Float32Array {
    const n = pad4(xs.length);
    const mark = arena.mark();
    const inPtr = arena.alloc(n * 4, true);
    const outPtr = arena.alloc(n * 4);
    arena.f32(inPtr, n).set(xs);
    arena.k[kernel](outPtr, inPtr, n);
    const out = arena.f32(outPtr, n).slice(0, xs.length);
    arena.release(mark);
    return out;
  }

  it.each([
    ['tanh', (x: number) => Math.tanh(x), 'tanhArray'],
    ['sigmoid', (x: number) => 1 / (1 + Math.exp(-x)), 'sigmoidArray'],
    ['the inference gates\' tanh', (x: number) => Math.tanh(x), 'gateTanhArray'],
    ['the inference gates\' sigmoid', (x: number) => 1 / (1 + Math.exp(-x)), 'gateSigmoidArray'],
  ] as const)('%s is within 2e-7 of Math over [-100, 100], tiny and extreme inputs', (_name, truth, kernel) => {
    const xs = new Float32Array([...values(4000, 1, 8), ...values(1000, 2, 1e-3), ...values(1000, 3, 100), 0, -0, 1e-30, -1e-30, 88, -88, 1e4, -1e4]);
    const out = elementwise(kernel, xs);
    let worst = 0;
    xs.forEach((x, i) => (worst = Math.max(worst, Math.abs(out[i] - truth(x)))));
    expect(worst).toBeLessThan(2e-7);
  });

  /**
   * The kernels' e^x written out in scalar float32 (Math.fround after every operation; Math.round
   * is not round-half-even, so n is rounded by hand): Cephes' expf after reduction by ln 2. A
   * division of two float32 values done in float64 and rounded once is the float32 quotient.
   */
  const f = Math.fround;
  function expF32(x: number): number {
    x = Math.min(Math.max(f(x), f(-87.3)), f(88.3));
    const t = f(x * f(1.44269504));
    let n = Math.floor(t);
    if (t - n > 0.5 || (t - n === 0.5 && n % 2 !== 0)) n += 1;
    let r = f(x - f(n * f(0.693359375)));
    r = f(r - f(n * f(-2.1219444e-4)));
    let p = f(1.98756915e-4);
    for (const c of [1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]) p = f(f(p * r) + f(c));
    p = f(f(f(p * f(r * r)) + r) + 1);
    return f(p * 2 ** n);
  }
  const sigmoidF32 = (x: number): number => f(1 / f(1 + expF32(f(-x))));
  function tanhF32(x: number): number {
    const ax = Math.abs(f(x));
    let t: number;
    if (ax < f(0.0625)) {
      const x2 = f(ax * ax);
      let p = f(-0.053968254);
      p = f(f(p * x2) + f(0.13333334));
      p = f(f(p * x2) + f(-0.33333334));
      t = f(ax + f(ax * f(p * x2)));
    } else {
      const e = expF32(f(ax * -2));
      t = f(f(1 - e) / f(1 + e));
    }
    return Object.is(f(x), -0) || f(x) < 0 ? -t : t;
  }

  /** The inference gates' e^x written out the same way: one-step reduction, degree-5 polynomial. */
  function expGateF32(x: number): number {
    x = Math.min(Math.max(f(x), f(-87.3)), f(88.3));
    const n = f(f(x * f(1.44269504)) + 12582912) - 12582912; // (fround rounds half to even)
    const r = f(x - f(n * f(0.6931471824645996)));
    let q = f(0.008312525227665901);
    for (const c of [0.041890114545822144, 0.16667114198207855, 0.499992311000824]) q = f(f(q * r) + f(c));
    const p = f(f(f(q * f(r * r)) + r) + 1);
    return f(p * 2 ** n);
  }
  const gateSigmoidF32 = (x: number): number => f(1 / f(1 + expGateF32(f(-x))));
  function gateTanhF32(x: number): number {
    const e = expGateF32(f(Math.abs(f(x)) * -2));
    const t = f(f(1 - e) / f(1 + e));
    return Object.is(f(x), -0) || f(x) < 0 ? -t : t;
  }

  it('keeps the inference tanh within 1e-7 of Math near 0, where it drops the relative accuracy of the training tanh', () => {
    const xs = new Float32Array([...values(4000, 5, 0.0625), ...values(1000, 6, 1e-6)]);
    const gate = elementwise('gateTanhArray', xs);
    const train = elementwise('tanhArray', xs);
    let worst = 0;
    let worstTrain = 0;
    xs.forEach((x, i) => {
      worst = Math.max(worst, Math.abs(gate[i] - Math.tanh(x)));
      worstTrain = Math.max(worstTrain, Math.abs(train[i] - Math.tanh(x)));
    });
    expect(worst).toBeLessThan(1e-7);
    expect(worstTrain).toBeLessThan(worst); // (the training one has a Taylor branch there)
  });

  it.each([
    ['tanh', tanhF32, 'tanhArray'],
    ['sigmoid', sigmoidF32, 'sigmoidArray'],
    ['gate tanh', gateTanhF32, 'gateTanhArray'],
    ['gate sigmoid', gateSigmoidF32, 'gateSigmoidArray'],
  ] as const)('%s equals the scalar float32 algorithm bit for bit (every 4,099th float32 and the edges)', (_name, truth, kernel) => {
    const bits = new Uint32Array(1_048_576 + 12);
    for (let i = 0; i < 1_048_576; i++) bits[i] = (i * 4099) >>> 0;
    const xs = new Float32Array(bits.buffer);
    xs.set([87.3, -87.3, 88.3, -88.3, 88.4, -88.4, 0.0625, -0.0625, Infinity, -Infinity, 0.5 / 1.44269504, 1.5 / 1.44269504], 1_048_576);
    const out = elementwise(kernel, xs);
    const wrong: string[] = [];
    let compared = 0;
    xs.forEach((x, i) => {
      if (Number.isNaN(x)) return;
      compared++;
      const want = truth(x);
      if (!Object.is(out[i], want) && wrong.length < 5) wrong.push(`${kernel}(${x}) = ${out[i]}, the algorithm gives ${want}`);
    });
    expect(compared).toBeGreaterThan(1_000_000);
    expect(wrong).toEqual([]);
  });

  /** The cell update `gateCellArray` on gates z [4, n] and cells c [n]: c' and h'. */
  function cell(z: Float32Array, c: Float32Array): { c: Float32Array; h: Float32Array } {
    const n = c.length;
    const mark = arena.mark();
    const [pz, pc, ph] = [arena.alloc(4 * n * 4, true), arena.alloc(n * 4, true), arena.alloc(n * 4)];
    arena.f32(pz, 4 * n).set(z);
    arena.f32(pc, n).set(c);
    arena.k.gateCellArray(pz, pc, ph, n);
    const out = { c: arena.f32(pc, n).slice(), h: arena.f32(ph, n).slice() };
    arena.release(mark);
    return out;
  }

  /** Gates [4, n] and cells [n]: random ones, then every combination of extreme and tiny pre-activations. */
  function cellInputs(): { z: Float32Array; c: Float32Array } {
    const edges = [0, -0, 1e-30, -1e-8, 0.5, -3, 29.9, 30.1, -30.1, 88, -88, 100, -100, 1e4, -1e4, Infinity, -Infinity];
    const combos: number[][] = [];
    for (const zi of edges) for (const zg of edges) for (const zf of [-1e4, -31, 0, 31]) combos.push([zi, zf, zg, zf === 0 ? 1e4 : -1e4]);
    const random = 4000;
    const n = pad4(random + combos.length);
    const z = new Float32Array(4 * n);
    const c = new Float32Array(n);
    const r = values(4 * random, 11, 12);
    const rc = values(random, 12, 20);
    for (let u = 0; u < random; u++) {
      for (let g = 0; g < 4; g++) z[g * n + u] = r[4 * u + g];
      c[u] = rc[u];
    }
    combos.forEach((zs, k) => {
      for (let g = 0; g < 4; g++) z[g * n + random + k] = zs[g];
      c[random + k] = [0, 5, -50, 1e3][k % 4];
    });
    return { z, c };
  }

  it('the inference cell update (two divisions) is within 4e-7 of σ/tanh in float64 (relative to |c′| for c′), finite at extreme pre-activations', () => {
    const { z, c } = cellInputs();
    const n = c.length;
    const out = cell(z, c);
    const sig = (x: number): number => 1 / (1 + Math.exp(-x));
    let worstC = 0;
    let worstH = 0;
    for (let u = 0; u < n; u++) {
      const [zi, zf, zg, zo] = [0, 1, 2, 3].map((g) => z[g * n + u]);
      const cn = sig(zf) * c[u] + sig(zi) * Math.tanh(zg);
      const hn = sig(zo) * Math.tanh(cn);
      expect([u, Number.isFinite(out.c[u]), Number.isFinite(out.h[u])]).toEqual([u, true, true]);
      worstC = Math.max(worstC, Math.abs(out.c[u] - cn) / Math.max(1, Math.abs(cn)));
      worstH = Math.max(worstH, Math.abs(out.h[u] - hn));
    }
    expect(worstC).toBeLessThan(4e-7);
    expect(worstH).toBeLessThan(4e-7);
  });

  it('the inference cell update equals its scalar float32 algorithm bit for bit', () => {
    const { z, c } = cellInputs();
    const n = c.length;
    const out = cell(z, c);
    const den = (x: number): number => f(1 + expGateF32(Math.min(f(-x), 30)));
    const signed = (v: number, like: number): number => (Object.is(like, -0) || like < 0 ? -v : v);
    const wrong: string[] = [];
    for (let u = 0; u < n; u++) {
      const [zi, zf, zg, zo] = [0, 1, 2, 3].map((g) => z[g * n + u]);
      const [di, df] = [den(zi), den(zf)];
      const eg = expGateF32(f(Math.abs(zg) * -2));
      const ng = signed(f(1 - eg), zg);
      const dig = f(di * f(1 + eg));
      const cn = f(f(f(c[u] * dig) + f(ng * df)) / f(df * dig));
      const ec = expGateF32(f(Math.abs(cn) * -2));
      const hn = signed(f(f(1 - ec) / f(den(zo) * f(1 + ec))), cn);
      if ((!Object.is(out.c[u], cn) || !Object.is(out.h[u], hn)) && wrong.length < 5) wrong.push(`unit ${u} z=${[zi, zf, zg, zo]} c=${c[u]}: kernel (${out.c[u]}, ${out.h[u]}), algorithm (${cn}, ${hn})`);
    }
    expect(wrong).toEqual([]);
  });

  it.each([
    [5, 400, 7],
    [3, 20, 4],
    [4, 4, 3],
    [6, 36, 1],
  ])('addRowsCsr adds the CSR rows to each dst row in index order, exactly as one addition at a time does (%i rows, %i columns, %i source rows)', (n, cols, srcRows) => {
    const ld = cols + 4; // (a row stride wider than the row)
    const src = values(srcRows * ld, 21, 3);
    const dst = values(n * ld, 22, 3);
    // Row r takes r % 4 indices (row 0 none), repeats allowed.
    const offsets = [0];
    const indices: number[] = [];
    for (let r = 0; r < n; r++) {
      for (let k = 0; k < r % 4; k++) indices.push((r * 3 + k * 5) % srcRows);
      offsets.push(indices.length);
    }
    const mark = arena.mark();
    const [pd, ps, po, pi] = [arena.alloc(dst.length * 4), arena.alloc(src.length * 4), arena.alloc(offsets.length * 4), arena.alloc(Math.max(1, indices.length) * 4)];
    arena.f32(pd, dst.length).set(dst);
    arena.f32(ps, src.length).set(src);
    arena.i32(po, offsets.length).set(offsets);
    arena.i32(pi, indices.length).set(indices);
    arena.k.addRowsCsr(pd, ld, ps, ld, po, pi, n, cols);
    const out = Array.from(arena.f32(pd, dst.length));
    arena.release(mark);
    const want = Array.from(dst);
    for (let r = 0; r < n; r++) {
      for (let q = offsets[r]; q < offsets[r + 1]; q++) {
        for (let j = 0; j < cols; j++) want[r * ld + j] = Math.fround(want[r * ld + j] + src[indices[q] * ld + j]);
      }
    }
    expect(out).toEqual(want); // (the padding past `cols` untouched too)
  });

  it.each([
    [1, 2, 8, 'random'],
    [3, 6, 16, 'random'],
    [5, 8, 8, 'random'],
    [9, 100, 400, 'random'],
    [4, 128, 8, 'all +4095 · +4095'],
    [6, 128, 16, 'all −4095 · +4095'],
  ] as const)('gemmQ adds (f32(A[%i, %i] · B[·, %i]) · rowStep) · scale to C exactly as integer sums do (%s)', (m, kp, n, kind) => {
    let seed = m * 1000 + kp;
    const int = (): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return Math.floor((seed / 2 ** 32) * 8191) - 4095;
    };
    const A = Int16Array.from({ length: m * kp }, () => (kind === 'random' ? int() : kind.startsWith('all −') ? -4095 : 4095));
    const B = Int16Array.from({ length: kp * n }, () => (kind === 'random' ? int() : 4095)); // B[k, j] row-major
    const scale = values(n, 7, 1e-6);
    const c = values(m * n, 8, 1);
    const rowSteps = kind === 'random' && m > 3 ? values(m, 10, 2) : null; // (none: a step of 1)
    const packed = new Int16Array(kp * n);
    for (let k = 0; k < kp; k++) for (let j = 0; j < n; j++) packed[((k >> 1) * n + j) * 2 + (k & 1)] = B[k * n + j];
    const mark = arena.mark();
    const [pa, pb, ps, pc, pr] = [arena.alloc(A.length * 2), arena.alloc(packed.length * 2), arena.alloc(n * 4), arena.alloc(c.length * 4), arena.alloc(m * 4)];
    if (rowSteps) arena.f32(pr, m).set(rowSteps);
    new Int16Array(arena.k.memory.buffer, pa, A.length).set(A);
    new Int16Array(arena.k.memory.buffer, pb, packed.length).set(packed);
    arena.f32(ps, n).set(scale);
    arena.f32(pc, c.length).set(c);
    arena.k.gemmQ(pc, n, pa, kp, pb, ps, rowSteps ? pr : 0, m, n);
    const out = Array.from(arena.f32(pc, c.length));
    arena.release(mark);
    const want: number[] = [];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0; // exact: |acc| < 2^31 < 2^53
        for (let k = 0; k < kp; k++) acc += A[i * kp + k] * B[k * n + j];
        const r = rowSteps ? rowSteps[i] : 1;
        want.push(Math.fround(c[i * n + j] + Math.fround(Math.fround(Math.fround(acc) * r) * scale[j])));
      }
    }
    expect(out).toEqual(want);
  });

  it('int16Bound keeps Hp · q² below 2^31 and is the largest such q up to 4095', () => {
    for (const hp of [4, 100, 128, 132, 256, 1000, 4096, 65536]) {
      const q = int16Bound(hp);
      expect(hp * q * q).toBeLessThan(2 ** 31);
      expect(q === 4095 || hp * (q + 1) * (q + 1) >= 2 ** 31).toBe(true);
    }
    expect([int16Bound(128), int16Bound(256)]).toEqual([4095, 2896]);
  });

  it('quantizeColumns rounds each column to ±qmax within half a step, pair-packed with an even row count, zero columns 0', () => {
    const rows = 7;
    const cols = 24;
    const w = values(rows * cols, 9, 0.8);
    for (let k = 0; k < rows; k++) w[k * cols + 5] = 0; // an all-zero column
    w[2 * cols + 7] = -3; // a column with one large value
    const qmax = 4095;
    const { q, step } = quantizeColumns(w, rows, cols, qmax);
    expect([q.length, step[5]]).toEqual([8 * cols, 0]);
    for (let j = 0; j < cols; j++) {
      let max = 0;
      for (let k = 0; k < rows; k++) max = Math.max(max, Math.abs(w[k * cols + j]));
      for (let k = 0; k < 8; k++) {
        const v = q[((k >> 1) * cols + j) * 2 + (k & 1)];
        if (k === rows) expect(v).toBe(0); // the padding row
        else {
          expect(Math.abs(v)).toBeLessThanOrEqual(qmax);
          expect(Math.abs(v * step[j] - w[k * cols + j])).toBeLessThanOrEqual((max / qmax) * 0.5 * (1 + 1e-6));
        }
      }
    }
    expect(q[(1 * cols + 7) * 2 + 0]).toBe(-4095); // the column's largest value maps to ±qmax
  });

  it('scatterRows16 keeps rows in 16 bits by their own largest value (half to even), gatherRows16 gives f32(q) · step, roundRows16 the same in place without a table', () => {
    const cols = 16;
    const n = 4;
    const src = values(n * cols, 21, 6);
    src.fill(0, cols, 2 * cols); // a zero row
    src.set([32767, 2.5, 3.5, -2.5, -0.5, 1.5], 3 * cols); // step 1: ties round to even
    const f = Math.fround;
    // the spec, in scalar float32
    const want = (r: number): { q: number[]; step: number; back: number[] } => {
      const row = Array.from(src.subarray(r * cols, (r + 1) * cols));
      const max = Math.max(...row.map(Math.abs));
      const inv = max > 0 ? f(32767 / max) : 0;
      const step = f(max / 32767);
      const q = row.map((v) => {
        const x = f(v * inv);
        let t = Math.round(x);
        if (x - Math.floor(x) === 0.5 && t % 2 !== 0) t -= 1;
        return t === 0 ? 0 : t; // (an integer has no sign of zero)
      });
      return { q, step, back: q.map((v) => f(v * step)) };
    };
    const mark = arena.mark();
    const [ps, pt, pst, pidx, pout, pround, pscr] = [
      arena.alloc(n * cols * 4), arena.alloc(8 * cols * 2), arena.alloc(8 * 4), arena.alloc(n * 4), arena.alloc(n * cols * 4),
      arena.alloc(3 * cols * 4), arena.alloc(cols * 2),
    ];
    arena.f32(ps, n * cols).set(src);
    arena.i32(pidx, n).set([5, 0, 7, 2]); // table rows of src rows 0..3
    arena.k.scatterRows16(pt, pst, ps, pidx, n, cols);
    const table = new Int16Array(arena.k.memory.buffer, pt, 8 * cols);
    const steps = arena.f32(pst, 8);
    [5, 0, 7, 2].forEach((row, r) => {
      expect(Array.from(table.subarray(row * cols, (row + 1) * cols))).toEqual(want(r).q);
      expect(steps[row]).toBe(want(r).step);
    });
    arena.k.gatherRows16(pout, pt, pst, pidx, n, cols);
    const back = arena.f32(pout, n * cols);
    for (let r = 0; r < n; r++) expect(Array.from(back.subarray(r * cols, (r + 1) * cols))).toEqual(want(r).back);
    // roundRows16: src rows 3, 1 in rows 0, 1 of a float buffer, rounded in place as the table
    // would give them; row 2 is not among the rows rounded
    const buffer = arena.f32(pround, 3 * cols);
    buffer.set(src.subarray(3 * cols, 4 * cols), 0);
    buffer.set(src.subarray(cols, 2 * cols), cols);
    buffer.fill(9, 2 * cols);
    arena.k.roundRows16(pround, 2, cols, pscr);
    const rounded = arena.f32(pround, 3 * cols);
    expect(Array.from(rounded.subarray(0, cols))).toEqual(want(3).back);
    expect(Array.from(rounded.subarray(cols, 2 * cols))).toEqual(want(1).back); // the zero row: zeros
    expect(rounded[2 * cols]).toBe(9); // other rows untouched
    expect(want(3).q.slice(0, 6)).toEqual([32767, 2, 4, -2, 0, 2]);
    arena.release(mark);
  });

  it('quantizeRows rounds each row by its own largest value (half to even), zero-pads to kp and keeps the steps', () => {
    const m = 5;
    const k = 6;
    const kp = 8;
    const src = values(m * k, 11, 3);
    src.fill(0, 2 * k, 3 * k); // a zero row
    src.set([4095, 2.5, 3.5, -2.5], 4 * k); // a row whose step is 1: ties round to even
    const mark = arena.mark();
    const [ps, pd, pt] = [arena.alloc(src.length * 4), arena.alloc(m * kp * 2), arena.alloc(m * 4)];
    arena.f32(ps, src.length).set(src);
    arena.k.quantizeRows(pd, kp, ps, k, m, k, 4095, pt);
    const got = Array.from(new Int16Array(arena.k.memory.buffer, pd, m * kp));
    const steps = Array.from(arena.f32(pt, m));
    arena.release(mark);
    const f = Math.fround;
    for (let i = 0; i < m; i++) {
      let max = 0;
      for (let j = 0; j < k; j++) max = Math.max(max, Math.abs(src[i * k + j]));
      const inv = max > 0 ? f(4095 / max) : 0;
      expect(steps[i]).toBe(f(max / 4095));
      for (let j = 0; j < kp; j++) {
        let want = 0;
        if (j < k) {
          const x = f(src[i * k + j] * inv);
          want = Math.round(x);
          if (x - Math.floor(x) === 0.5 && want % 2 !== 0) want -= 1; // half to even
        }
        expect([i, j, got[i * kp + j]]).toEqual([i, j, want]);
      }
    }
    expect(got.slice(2 * kp, 3 * kp)).toEqual(new Array(kp).fill(0));
    expect(got.slice(4 * kp, 4 * kp + 4)).toEqual([4095, 2, 4, -2]);
  });

  it.each([
    [1, 5, 4],
    [3, 7, 12],
    [4, 52, 208],
    [9, 13, 36],
    [6, 1, 20],
  ])('gemmAcc adds A[%i, %i] · B[·, %i] to C like the naive triple loop', (m, k, n) => {
    const a = values(m * k, 4, 1);
    const b = values(k * n, 5, 1);
    const c = values(m * n, 6, 1);
    const mark = arena.mark();
    const [pa, pb, pc] = [arena.alloc(a.length * 4), arena.alloc(b.length * 4), arena.alloc(c.length * 4)];
    arena.f32(pa, a.length).set(a);
    arena.f32(pb, b.length).set(b);
    arena.f32(pc, c.length).set(c);
    arena.k.gemmAcc(pc, n, pa, k, pb, n, m, k, n);
    const out = arena.f32(pc, c.length);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = c[i * n + j];
        for (let p = 0; p < k; p++) sum += a[i * k + p] * b[p * n + j];
        expect(Math.abs(out[i * n + j] - sum)).toBeLessThan(1e-5);
      }
    }
    arena.release(mark);
  });
});
