import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readSafetensors, SafetensorsError, writeSafetensors } from '../src';
import { TINY_MODEL_DIR } from './fixture';

/** A safetensors file from a header object and raw data bytes. */
function file(header: Record<string, unknown>, data: number[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** Little-endian bytes of 16-bit words. */
const le16 = (words: number[]) => words.flatMap((w) => [w & 0xff, w >> 8]);

describe('readSafetensors', () => {
  it('reads every tensor of the Hugging Face tiny model with its PyTorch shape', () => {
    const { tensors, metadata } = readSafetensors(readFileSync(path.join(TINY_MODEL_DIR, 'model.safetensors')));
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors.size).toBe(39);
    expect(tensors.get('bert.encoder.layer.0.intermediate.dense.weight')?.shape).toEqual([64, 32]);
    expect(tensors.get('classifier.weight')?.data).toHaveLength(21 * 32);
  });

  it('converts float16 to float32 exactly, subnormals and infinities included', () => {
    // 1, -2, 0.5, 65504 (largest half), 2^-24 (smallest subnormal), +inf
    const bytes = file({ x: { dtype: 'F16', shape: [6], data_offsets: [0, 12] } }, le16([0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001, 0x7c00]));
    expect(Array.from(readSafetensors(bytes).tensors.get('x')!.data)).toEqual([1, -2, 0.5, 65504, 2 ** -24, Infinity]);
  });

  it('converts bfloat16 to float32 exactly', () => {
    // 1, -2.5, 3.140625 (π in bfloat16), -0
    const bytes = file({ y: { dtype: 'BF16', shape: [2, 2], data_offsets: [0, 8] } }, le16([0x3f80, 0xc020, 0x4049, 0x8000]));
    const t = readSafetensors(bytes).tensors.get('y')!;
    expect(t.shape).toEqual([2, 2]);
    expect(Array.from(t.data)).toEqual([1, -2.5, 3.140625, -0]);
  });

  it('rejects an integer dtype, naming the tensor', () => {
    const bytes = file({ ids: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, [0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => readSafetensors(bytes, 'm.safetensors')).toThrow(SafetensorsError);
    expect(() => readSafetensors(bytes, 'm.safetensors')).toThrow('tensor ids has dtype "I64"; supported: F32, F16, BF16, F64 in m.safetensors');
  });

  it('rejects offsets that disagree with the shape', () => {
    const bytes = file({ z: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, [0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => readSafetensors(bytes)).toThrow(/tensor z spans bytes \[0, 8\) but shape \[3\] of F32 needs 12 bytes/);
  });

  it('rejects a truncated file', () => {
    expect(() => readSafetensors(new Uint8Array(4))).toThrow('safetensors file is 4 bytes, too short for its header length');
    const bytes = file({ w: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, [0, 0, 128, 63]);
    expect(() => readSafetensors(bytes.subarray(0, 20))).toThrow(/^safetensors header length 54 exceeds the file size 20$/);
  });
});

describe('writeSafetensors', () => {
  it('round-trips tensors exactly, with an 8-byte aligned header and format pt metadata', () => {
    const a = { name: 'b.weight', shape: [2, 3], data: new Float32Array([1, -2, 3.5, 1e-30, -0, 7]) };
    const b = { name: 'a.bias', shape: [1], data: new Float32Array([Math.fround(Math.PI)]) };
    const bytes = writeSafetensors([a, b]);
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const back = readSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'pt' });
    expect([...back.tensors.keys()]).toEqual(['a.bias', 'b.weight']);
    expect(back.tensors.get('b.weight')).toEqual({ dtype: 'F32', shape: [2, 3], data: a.data });
    expect(back.tensors.get('a.bias')!.data).toEqual(b.data);
  });

  it('reproduces the Hugging Face file byte for byte from its own tensors', () => {
    const original = readFileSync(path.join(TINY_MODEL_DIR, 'model.safetensors'));
    const { tensors } = readSafetensors(original);
    const rewritten = writeSafetensors([...tensors].map(([name, t]) => ({ name, shape: t.shape, data: t.data })));
    // Same tensors, same order, same data section; only header whitespace may differ.
    const dataOf = (bytes: Uint8Array) => bytes.subarray(8 + Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true)));
    const a = dataOf(rewritten);
    const b = dataOf(new Uint8Array(original));
    expect(a.length).toBe(b.length);
    expect(a.findIndex((x, i) => x !== b[i])).toBe(-1);
  });

  it('rejects data whose length disagrees with the shape', () => {
    expect(() => writeSafetensors([{ name: 'w', shape: [2, 2], data: new Float32Array(3) }])).toThrow(
      'tensor w has shape [2, 2] (4 values) but 3 values',
    );
  });
});
