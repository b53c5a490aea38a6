import { describe, expect, it } from 'vitest';
import { FlatBufferReader } from './reader.ts';
import { f, serialize, table } from './writer.ts';

const u16 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint16(at, true);
const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint32(at, true);
const i32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getInt32(at, true);

describe('serialize', () => {
  it('lays out a one-field table exactly as the format prescribes', () => {
    const b = serialize(table([undefined, f.u32(0x01020304)]), { identifier: 'ABCD' });
    // root offset, identifier, vtable (size 8, table 8, [0, 4]), table (soffset, value)
    // prettier-ignore
    expect([...b]).toEqual([
      16, 0, 0, 0, 0x41, 0x42, 0x43, 0x44,
      8, 0, 8, 0, 0, 0, 4, 0,
      8, 0, 0, 0, 4, 3, 2, 1,
    ]);
  });

  it('round-trips every supported kind through the reader', () => {
    const child = table([f.str('child'), f.f32(-0.25)]);
    const b = serialize(
      table([
        f.bool(true),
        f.u8(255),
        f.i8(-3),
        f.u16(65535),
        f.i16(-30000),
        f.u32(4294967295),
        f.i32(-2147483648),
        f.f32(127.5),
        f.str('héllo wörld'),
        f.table(child.fields),
        f.tables([child, table([f.str('second')])]),
        f.strings(['a', '', 'ccc']),
        f.bytes(new Uint8Array([1, 2, 3]), 16),
        f.i32s([-1, 0, 1]),
        f.u32s([0, 4294967295]),
        f.f32s([0.5, 255]),
      ]),
    );
    const r = new FlatBufferReader(b).root();
    expect(r.bool(0)).toBe(true);
    expect(r.u8(1)).toBe(255);
    expect(r.i8(2)).toBe(-3);
    expect(r.u16(3)).toBe(65535);
    expect(r.fb.i16(r.fieldPos(4)!)).toBe(-30000);
    expect(r.u32(5)).toBe(4294967295);
    expect(r.i32(6)).toBe(-2147483648);
    expect(r.f32(7)).toBe(127.5);
    expect(r.string(8)).toBe('héllo wörld');
    expect(r.table(9)!.string(0)).toBe('child');
    expect(r.table(9)!.f32(1)).toBe(-0.25);
    expect(r.tables(10).map((t) => t.string(0))).toEqual(['child', 'second']);
    expect(r.strings(11)).toEqual(['a', '', 'ccc']);
    expect([...r.bytes(12)!]).toEqual([1, 2, 3]);
    expect(r.i32s(13)).toEqual([-1, 0, 1]);
    expect(r.u32s(14)).toEqual([0, 4294967295]);
    expect(r.f32s(15)).toEqual([0.5, 255]);
  });

  it('keeps every field, table, vector and string naturally aligned', () => {
    const b = serialize(
      table([
        f.u8(1),
        f.u32(2),
        f.u16(3),
        f.str('xyz'),
        f.u8(4),
        f.bytes(new Uint8Array(5), 16),
        f.bytes(new Uint8Array(3), 64),
      ]),
    );
    const r = new FlatBufferReader(b).root();
    expect(r.pos % 4).toBe(0);
    expect(r.fieldPos(1)! % 4).toBe(0);
    expect(r.fieldPos(2)! % 2).toBe(0);
    expect(r.target(3)! % 4).toBe(0);
    expect(b[r.target(3)! + 4 + 3]).toBe(0); // strings are NUL-terminated
    expect((r.target(5)! + 4) % 16).toBe(0);
    expect((r.target(6)! + 4) % 64).toBe(0);
    expect([r.u8(0), r.u32(1), r.u16(2), r.u8(4)]).toEqual([1, 2, 3, 4]);
  });

  it('writes every offset forward and vtables before their tables', () => {
    const b = serialize(table([f.tables([table([f.str('a')]), table([f.str('b')])]), f.str('c')]));
    const r = new FlatBufferReader(b).root();
    for (const t of r.tables(0)) {
      expect(t.target(0)!).toBeGreaterThan(t.pos);
      expect(i32(b, t.pos)).toBeGreaterThan(0); // soffset > 0: the vtable precedes the table
    }
    expect(r.target(1)!).toBeGreaterThan(r.pos);
  });

  it('records the vtable and inline sizes, omitting trailing absent fields', () => {
    const b = serialize(table([undefined, f.u8(7), undefined, undefined]));
    const root = u32(b, 0);
    const vtable = root - i32(b, root);
    expect(u16(b, vtable)).toBe(4 + 2 * 2);
    expect(u16(b, vtable + 2)).toBe(5);
    expect(new FlatBufferReader(b).root().fieldCount).toBe(2);
  });

  it('aims external references past the written region at externalBase + position', () => {
    let seenLength = -1;
    const front = serialize(table([f.external(8), f.tables([{ external: 4 }, table([f.u8(9)])])]), {
      externalBase: (length) => {
        seenLength = length;
        return length + 12;
      },
    });
    expect(seenLength).toBe(front.length);
    // The region after it: a field-less vtable at 0, its table at 4, the string "ok" at 8.
    const tail = new Uint8Array(16);
    const tv = new DataView(tail.buffer);
    tv.setUint16(0, 4, true);
    tv.setUint16(2, 4, true);
    tv.setInt32(4, 4, true);
    tv.setUint32(8, 2, true);
    tail.set([0x6f, 0x6b], 12);
    const whole = new Uint8Array(front.length + 12 + tail.length);
    whole.set(front);
    whole.set(tail, front.length + 12);
    const r = new FlatBufferReader(whole).root();
    expect(r.string(0)).toBe('ok');
    const [ext, own] = r.tables(1);
    expect(ext!.pos).toBe(front.length + 12 + 4);
    expect(ext!.fieldCount).toBe(0);
    expect(own!.u8(0)).toBe(9);
  });

  it('aligns tables with 8-byte fields to 8', () => {
    const b = serialize(table([f.u8(1), f.u64(2n ** 40n + 5n), f.u32(3)]));
    const r = new FlatBufferReader(b).root();
    expect(r.pos % 8).toBe(0);
    expect(r.fieldPos(1)! % 8).toBe(0);
    expect(r.u64(1)).toBe(2n ** 40n + 5n);
    expect([r.u8(0), r.u32(2)]).toEqual([1, 3]);
  });

  it('validates its input', () => {
    expect(() => serialize(table([f.u8(256)]))).toThrow(RangeError);
    expect(() => serialize(table([f.i32(1.5)]))).toThrow(RangeError);
    expect(() => serialize(table([f.u64(-1n)]))).toThrow(RangeError);
    expect(() => serialize(table([]), { identifier: 'TOOLONG' })).toThrow(/4 ASCII/);
    expect(() => serialize(table([f.external(0)]))).toThrow(/externalBase/);
    expect(() => serialize(table([f.external(0)]), { externalBase: (n) => n - 1 })).toThrow(/overlaps/);
    expect(() => serialize(table([f.bytes(new Uint8Array(1), 12)]))).toThrow(/power of two/);
  });

  it('is deterministic', () => {
    const make = (): Uint8Array =>
      serialize(table([f.str('x'), f.f32s([1, 2]), f.tables([table([f.u8(1)])])]), { identifier: 'DETR' });
    expect(make()).toEqual(make());
  });
});
