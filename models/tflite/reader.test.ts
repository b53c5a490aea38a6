import { describe, expect, it } from 'vitest';
import { FlatBufferError, FlatBufferReader } from './reader.ts';

/**
 * A flatbuffer laid out by hand, so the reader is tested without the writer:
 *
 *    0  uoffset to the root table (24)          4  identifier "TEST"
 *    8  root vtable: size 14, table size 20, field offsets [4, 8, 12, 0, 16]
 *   24  root table: soffset 16 | 4: u32 0xdeadbeef | 8: -> string | 12: -> [int] | 16: -> child table
 *   48  string: length 6, "héllo" (UTF-8), NUL
 *   60  [int]: length 3, -1, 2, 300000
 *   76  child vtable: size 8, table size 8, field offsets [0, 4]
 *   88  child table: soffset 12 | 4: f32 1.5
 */
function handMade(): Uint8Array {
  const b = new Uint8Array(96);
  const v = new DataView(b.buffer);
  v.setUint32(0, 24, true);
  b.set([0x54, 0x45, 0x53, 0x54], 4);
  [14, 20, 4, 8, 12, 0, 16].forEach((x, i) => v.setUint16(8 + 2 * i, x, true));
  v.setInt32(24, 24 - 8, true);
  v.setUint32(28, 0xdeadbeef, true);
  v.setUint32(32, 48 - 32, true);
  v.setUint32(36, 60 - 36, true);
  v.setUint32(40, 88 - 40, true);
  v.setUint32(48, 6, true);
  b.set(new TextEncoder().encode('héllo'), 52);
  v.setUint32(60, 3, true);
  v.setInt32(64, -1, true);
  v.setInt32(68, 2, true);
  v.setInt32(72, 300000, true);
  [8, 8, 0, 4].forEach((x, i) => v.setUint16(76 + 2 * i, x, true));
  v.setInt32(88, 88 - 76, true);
  v.setFloat32(92, 1.5, true);
  return b;
}

describe('FlatBufferReader', () => {
  it('reads the identifier, scalars, strings, vectors and nested tables of a hand-made buffer', () => {
    const fb = new FlatBufferReader(handMade());
    expect(fb.fileIdentifier()).toBe('TEST');
    const root = fb.root();
    expect(root.pos).toBe(24);
    expect(root.fieldCount).toBe(5);
    expect(root.inlineSize).toBe(20);
    expect(root.u32(0)).toBe(0xdeadbeef);
    expect(root.i32(0)).toBe(-559038737);
    expect(root.string(1)).toBe('héllo');
    expect(root.i32s(2)).toEqual([-1, 2, 300000]);
    expect(root.has(3)).toBe(false);
    expect(root.u32(3, 42)).toBe(42);
    expect(root.string(3)).toBeUndefined();
    expect(root.i32s(3)).toEqual([]);
    const child = root.table(4)!;
    expect(child.pos).toBe(88);
    expect(child.has(0)).toBe(false);
    expect(child.f32(1)).toBe(1.5);
    expect(child.f32(0, 7)).toBe(7);
  });

  it('treats fields beyond the vtable as absent', () => {
    const root = new FlatBufferReader(handMade()).root();
    expect(root.has(5)).toBe(false);
    expect(root.has(100)).toBe(false);
    expect(root.u8(9, 3)).toBe(3);
  });

  it('reads byte vectors as views and the target position of offset fields', () => {
    const b = handMade();
    const root = new FlatBufferReader(b).root();
    expect(root.target(1)).toBe(48);
    const bytes = root.bytes(1)!; // the string's bytes read as a [ubyte]
    expect(bytes.length).toBe(6);
    expect(bytes.buffer).toBe(b.buffer);
  });

  it('works on a view that does not start at offset 0 of its ArrayBuffer', () => {
    const inner = handMade();
    const outer = new Uint8Array(inner.length + 8);
    outer.set(inner, 8);
    const root = new FlatBufferReader(outer.subarray(8)).root();
    expect(root.string(1)).toBe('héllo');
  });

  it('throws FlatBufferError on out-of-range offsets instead of reading garbage', () => {
    const b = handMade();
    expect(() => new FlatBufferReader(b.subarray(0, 50)).root().i32s(2)).toThrow(FlatBufferError);
    const bad = b.slice();
    new DataView(bad.buffer).setUint32(48, 1000, true); // string length past the end
    expect(() => new FlatBufferReader(bad).root().string(1)).toThrow(/outside the buffer/);
    expect(() => new FlatBufferReader(new Uint8Array(2)).root()).toThrow(FlatBufferError);
    expect(new FlatBufferReader(new Uint8Array(2)).fileIdentifier()).toBe('');
  });

  it('rejects a vtable with an impossible size', () => {
    const bad = handMade();
    new DataView(bad.buffer).setUint16(8, 3, true);
    expect(() => new FlatBufferReader(bad).root()).toThrow(/bad vtable size/);
  });
});
