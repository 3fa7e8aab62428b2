import { SafetensorsError } from './errors';

/** Element types this reader converts to float32. */
export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'F64';

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2, F64: 8 };

/** One tensor of a safetensors file, converted to float32, shape as stored (PyTorch layout). */
export interface SafetensorsTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  data: Float32Array;
}

/** What {@link readSafetensors} returns: tensors by name plus the `__metadata__` strings. */
export interface SafetensorsFile {
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** IEEE 754 half precision bits → number. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function decode(bytes: Uint8Array, dtype: SafetensorsDtype, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  switch (dtype) {
    case 'F32':
      // Copy the bytes (a Buffer's slice() would share memory, and the data may be unaligned).
      if (LITTLE_ENDIAN_HOST) new Uint8Array(out.buffer).set(bytes.subarray(0, count * 4));
      else for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      break;
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      break;
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      break;
    case 'BF16': {
      // bfloat16 is the top half of a float32: shift into place and reinterpret.
      const u32 = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) u32[i] = view.getUint16(i * 2, true) << 16;
      break;
    }
  }
  return out;
}

function isDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && value in BYTES;
}

/**
 * Parses a safetensors file (8-byte little-endian header length, JSON header, raw data) and
 * converts F32, F16, BF16 and F64 tensors to float32. Other dtypes throw {@link SafetensorsError}.
 *
 * @param bytes the whole file
 * @param file name used in error messages
 */
export function readSafetensors(bytes: Uint8Array, file?: string): SafetensorsFile {
  const where = file ? ` in ${file}` : '';
  if (bytes.byteLength < 8) throw new SafetensorsError(`safetensors file is ${bytes.byteLength} bytes, too short for its header length${where}`, { file });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.byteLength) {
    throw new SafetensorsError(`safetensors header length ${headerLength} exceeds the file size ${bytes.byteLength}${where}`, { file });
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (cause) {
    throw new SafetensorsError(`safetensors header is not valid JSON${where}`, { file, cause });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new SafetensorsError(`safetensors header must be a JSON object${where}`, { file });
  }
  const data = bytes.subarray(8 + headerLength);
  const tensors = new Map<string, SafetensorsTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = (entry ?? {}) as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = (entry ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (!isDtype(dtype)) {
      throw new SafetensorsError(`tensor ${name} has dtype ${JSON.stringify(dtype)}; supported: F32, F16, BF16, F64${where}`, { file, tensor: name });
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new SafetensorsError(`tensor ${name} has an invalid shape ${JSON.stringify(shape)}${where}`, { file, tensor: name });
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0)) {
      throw new SafetensorsError(`tensor ${name} has invalid data_offsets ${JSON.stringify(offsets)}${where}`, { file, tensor: name });
    }
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== count * BYTES[dtype] || end > data.byteLength) {
      throw new SafetensorsError(
        `tensor ${name} spans bytes [${begin}, ${end}) but shape [${shape.join(', ')}] of ${dtype} needs ${count * BYTES[dtype]} bytes ` +
          `within the ${data.byteLength}-byte data section${where}`,
        { file, tensor: name },
      );
    }
    tensors.set(name, { dtype, shape: shape as number[], data: decode(data.subarray(begin, end), dtype, count) });
  }
  return { tensors, metadata };
}

/** A float32 tensor to write: name, shape (PyTorch layout) and row-major data. */
export interface NamedFloat32Tensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/**
 * Serialises float32 tensors as a safetensors file the Python `safetensors` library reads:
 * tensors in name order, header padded with spaces to a multiple of 8 bytes,
 * `__metadata__` `{"format": "pt"}` unless given.
 */
export function writeSafetensors(tensors: NamedFloat32Tensor[], metadata: Record<string, string> = { format: 'pt' }): Uint8Array {
  const sorted = [...tensors].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of sorted) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) {
      throw new SafetensorsError(`tensor ${t.name} has shape [${t.shape.join(', ')}] (${count} values) but ${t.data.length} values`, { tensor: t.name });
    }
    if (t.name in header) throw new SafetensorsError(`tensor name ${t.name} appears twice`, { tensor: t.name });
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + count * 4] };
    offset += count * 4;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  const padding = (8 - (encoder.encode(json).byteLength % 8)) % 8;
  json += ' '.repeat(padding);
  const headerBytes = encoder.encode(json);
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.byteLength;
  for (const t of sorted) {
    // Copy through a little-endian view so the output does not depend on the host's byte order.
    if (LITTLE_ENDIAN_HOST) out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    else for (let i = 0; i < t.data.length; i++) view.setFloat32(at + i * 4, t.data[i], true);
    at += t.data.length * 4;
  }
  return out;
}
