import { KernelError } from './errors';
import { KERNELS_WASM_BASE64 } from './generated/kernels-wasm';

// The few WebAssembly JS-API members used here (the ES2022 lib and @types/node 20.19 do not
// declare the WebAssembly namespace).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/**
 * The WebAssembly SIMD kernels of `assembly/index.ts`. Addresses are byte offsets into the
 * instance's own memory; strides are in floats.
 */
export interface KernelExports {
  memory: WasmMemory;
  heapBase(): number;
  gemmAcc(c: number, ldc: number, a: number, lda: number, b: number, ldb: number, m: number, k: number, n: number): void;
  gemmBias(c: number, ldc: number, a: number, lda: number, b: number, ldb: number, bias: number, m: number, k: number, n: number, relu: number): void;
  gatherRows(dst: number, src: number, idx: number, count: number, cols: number): void;
  scatterRows(dst: number, src: number, idx: number, count: number, cols: number): void;
  charCnnMax(out: number, outStride: number, outCol: number, ids: number, n: number, C: number, w: number, fp: number, P: number, bias: number): void;
  addRowsCsr(dst: number, ldd: number, src: number, lds: number, offsets: number, indices: number, n: number, cols: number): void;
  lstmPacked(
    xz: number, rows: number, batchSizes: number, steps: number, hp: number, rec: number, mask: number, hard: number,
    out: number, outStride: number, outCol: number, h: number, c: number, z: number,
  ): void;
  lstmPackedQ(
    xz: number, rows: number, batchSizes: number, steps: number, hp: number, recQ: number, recScale: number, qmax: number, mask: number, hard: number,
    out: number, outStride: number, outCol: number, h: number, c: number, z: number, hq: number,
  ): void;
  gemmQ(c: number, ldc: number, a: number, kp: number, b: number, scale: number, rowSteps: number, m: number, n: number): void;
  gemmBiasQ(c: number, ldc: number, a: number, kp: number, b: number, scale: number, rowSteps: number, bias: number, m: number, n: number): void;
  quantizeRows(dst: number, kp: number, src: number, lds: number, m: number, k: number, qmax: number, steps: number): void;
  lstmTrainForward(z: number, gates: number, mask: number, rec: number, b: number, steps: number, hp: number, hard: number, hs: number, cs: number): void;
  lstmTrainBackward(
    z: number, gates: number, mask: number, recT: number, b: number, steps: number, hp: number, hard: number, cs: number,
    dOut: number, dh: number, dc: number, tmp: number, dz: number,
  ): void;
  permuteRows(
    dst: number, dstStride: number, dstGroup: number, src: number, srcStride: number, srcGroup: number,
    groups: number, len: number, b: number, steps: number, reverse: number, toTimeMajor: number,
  ): void;
  attentionForward(
    ctx: number, q: number, k: number, v: number, ld: number, bias: number, probs: number, mask: number, kept: number,
    B: number, T: number, heads: number, D: number, scale: number, row: number,
  ): void;
  attentionBackward(
    dq: number, dk: number, dv: number, dctx: number, q: number, k: number, v: number, ld: number, probs: number, mask: number, kept: number,
    B: number, T: number, heads: number, D: number, scale: number, row: number,
  ): void;
  geluForward(out: number, x: number, n: number): void;
  geluBackward(dx: number, x: number, dy: number, n: number): void;
  tanhArray(out: number, x: number, n: number): void;
  sigmoidArray(out: number, x: number, n: number): void;
  gateTanhArray(out: number, x: number, n: number): void;
  copyRows(dst: number, dstIdx: number, src: number, srcIdx: number, count: number, cols: number): void;
  scatterRows16(table: number, steps: number, src: number, idx: number, count: number, cols: number): void;
  gatherRows16(dst: number, table: number, steps: number, idx: number, count: number, cols: number): void;
  roundRows16(rows: number, count: number, cols: number, scratch: number): void;
  gateSigmoidArray(out: number, x: number, n: number): void;
  /** The inference LSTM's cell update (for tests): z [4, n] gates i|f|g|o, c [n] in and out, h [n] out. */
  gateCellArray(z: number, c: number, h: number, n: number): void;
}

let compiled: WasmModule | null | undefined;

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The compiled module, or null where WebAssembly SIMD is unavailable. */
function kernelModule(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = wasmApi === undefined ? null : new wasmApi.Module(decodeBase64(KERNELS_WASM_BASE64));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Whether the SIMD kernels can run here (WebAssembly with 128-bit SIMD). */
export function wasmKernelsAvailable(): boolean {
  return kernelModule() !== null;
}

/**
 * A fresh instance (own linear memory) with a bump allocator over it. Buffers are laid out
 * with `alloc`; `mark`/`release` free everything allocated after a mark. Typed-array views
 * are made per use, since growing the memory detaches earlier ones.
 */
export class KernelArena {
  readonly k: KernelExports;
  private top: number;
  /** Memory from here up has never been handed out, so it still holds the zeros of `grow`. */
  private clean: number;

  constructor() {
    const module = kernelModule();
    if (module === null || wasmApi === undefined) throw new Error('WebAssembly SIMD is not available');
    this.k = new wasmApi.Instance(module, { env: { abort: () => { throw new Error('kernels.wasm: abort'); } } }).exports as unknown as KernelExports;
    this.top = align(this.k.heapBase());
    this.clean = this.top;
  }

  /** Reserves `bytes` (16-byte aligned, contents undefined unless `zero`) and returns the address. */
  alloc(bytes: number, zero = false): number {
    const ptr = this.top;
    this.top = align(ptr + bytes);
    const need = this.top - this.k.memory.buffer.byteLength;
    if (need > 0) {
      const fail = (why: string): KernelError => {
        this.top = ptr;
        return new KernelError('KernelArena', `the WebAssembly memory cannot grow to ${Math.ceil((ptr + bytes) / 2 ** 20)} MiB (${why}); pass fewer or shorter tweets per call`, 'OUT_OF_MEMORY');
      };
      // 32-bit addresses: the memory can never exceed 4 GiB, whatever grow() allows
      if (this.top > MAX_MEMORY_BYTES) throw fail(`a WebAssembly memory holds at most ${MAX_MEMORY_BYTES / 2 ** 20} MiB`);
      try {
        this.k.memory.grow(Math.ceil(need / 65536));
      } catch (cause) {
        throw fail(String(cause));
      }
    }
    if (zero && ptr < this.clean) new Uint8Array(this.k.memory.buffer, ptr, Math.min(bytes, this.clean - ptr)).fill(0);
    this.clean = Math.max(this.clean, this.top);
    return ptr;
  }

  /**
   * Copies `values` (a Float32Array, or a tensor's values read with `dataSync`) into fresh
   * memory, zero-padded up to `length` floats, and returns the address.
   */
  put(source: Float32Array | { dataSync(): unknown }, length?: number): number {
    const values = source instanceof Float32Array ? source : (source.dataSync() as Float32Array);
    length ??= values.length;
    const ptr = this.alloc(length * 4, length > values.length);
    this.f32(ptr, values.length).set(values);
    return ptr;
  }

  /**
   * `length` floats from `ptr` as a new tensor's values: the arena's own view where the active
   * backend copies what it is given (wasm), a copy otherwise (cpu keeps the array it is given).
   */
  values(ptr: number, length: number, backend: string): Float32Array {
    const view = this.f32(ptr, length);
    return backend === 'wasm' ? view : view.slice();
  }

  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    this.top = mark;
  }

  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, ptr, length);
  }

  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.k.memory.buffer, ptr, length);
  }

  u8(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.k.memory.buffer, ptr, length);
  }
}

let sharedArena: KernelArena | undefined;

/** One arena for the stateless tensor kernels (attention, GELU): it grows to the largest call and is reused. */
export function tensorKernelArena(): KernelArena {
  sharedArena ??= new KernelArena();
  return sharedArena;
}

/** The most bytes a 32-bit WebAssembly memory can hold: 65,536 pages of 64 KiB. */
const MAX_MEMORY_BYTES = 2 ** 32;

/** n rounded up to a multiple of 16 (arithmetic, not bit operations, which would wrap past 2 GiB). */
function align(n: number): number {
  return Math.ceil(n / 16) * 16;
}

/** n rounded up to a multiple of 4 (one f32x4 lane group). */
export function pad4(n: number): number {
  return (n + 3) & ~3;
}
