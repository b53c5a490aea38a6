/**
 * A minimal FlatBuffers writer. Unlike the official builders (which fill a buffer back to front), it lays
 * objects out front to back: the root offset, the file identifier, the root table, then every child in
 * breadth-first order. Each uoffset therefore points forward, as the format requires, and the result can be
 * followed by bytes of an existing buffer that the new tables reference (see `external`).
 *
 * Tables are described as plain values: `table([f.u32(3), undefined, f.str('x')])` where the array index is
 * the field index from the schema (a union uses two slots: its `_type` ubyte, then the offset).
 */

export type FbScalarKind = 'bool' | 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'u64';

export interface FbTableValue {
  fields: ReadonlyArray<FbValue | undefined>;
}

/** A reference to an object that already exists after the written region (see SerializeOptions). */
export interface FbExternal {
  external: number;
}

export type FbValue =
  | { kind: Exclude<FbScalarKind, 'u64'>; value: number | boolean }
  | { kind: 'u64'; value: bigint }
  | { kind: 'string'; value: string }
  | { kind: 'table'; value: FbTableValue }
  | { kind: 'external'; value: FbExternal }
  | { kind: 'tables'; value: ReadonlyArray<FbTableValue | FbExternal> }
  | { kind: 'strings'; value: readonly string[] }
  | { kind: 'bytes'; value: Uint8Array; align: number }
  | { kind: 'i32s' | 'u32s' | 'f32s'; value: readonly number[] };

/** Helpers to write field values tersely. */
export const f = {
  bool: (value: boolean): FbValue => ({ kind: 'bool', value }),
  u8: (value: number): FbValue => ({ kind: 'u8', value }),
  i8: (value: number): FbValue => ({ kind: 'i8', value }),
  u16: (value: number): FbValue => ({ kind: 'u16', value }),
  i16: (value: number): FbValue => ({ kind: 'i16', value }),
  u32: (value: number): FbValue => ({ kind: 'u32', value }),
  i32: (value: number): FbValue => ({ kind: 'i32', value }),
  f32: (value: number): FbValue => ({ kind: 'f32', value }),
  u64: (value: bigint): FbValue => ({ kind: 'u64', value }),
  str: (value: string): FbValue => ({ kind: 'string', value }),
  table: (fields: ReadonlyArray<FbValue | undefined>): FbValue => ({ kind: 'table', value: { fields } }),
  external: (at: number): FbValue => ({ kind: 'external', value: { external: at } }),
  tables: (value: ReadonlyArray<FbTableValue | FbExternal>): FbValue => ({ kind: 'tables', value }),
  strings: (value: readonly string[]): FbValue => ({ kind: 'strings', value }),
  /** A [ubyte] vector whose first byte is aligned to `align` (a power of two, at least 4). */
  bytes: (value: Uint8Array, align = 4): FbValue => ({ kind: 'bytes', value, align }),
  i32s: (value: readonly number[]): FbValue => ({ kind: 'i32s', value }),
  u32s: (value: readonly number[]): FbValue => ({ kind: 'u32s', value }),
  f32s: (value: readonly number[]): FbValue => ({ kind: 'f32s', value }),
};

export const table = (fields: ReadonlyArray<FbValue | undefined>): FbTableValue => ({ fields });

export interface SerializeOptions {
  /** Four ASCII characters written at bytes 4..8. */
  identifier?: string;
  /**
   * Where external object positions count from, given the length of the written region: an external
   * `{external: p}` ends up pointing at `externalBase(length) + p`. It must be at least `length`.
   */
  externalBase?: (writtenLength: number) => number;
}

const SCALAR_SIZE: Record<FbScalarKind, number> = {
  bool: 1,
  u8: 1,
  i8: 1,
  u16: 2,
  i16: 2,
  u32: 4,
  i32: 4,
  f32: 4,
  u64: 8,
};
const SCALAR_RANGE: Partial<Record<FbScalarKind, [number, number]>> = {
  u8: [0, 0xff],
  i8: [-0x80, 0x7f],
  u16: [0, 0xffff],
  i16: [-0x8000, 0x7fff],
  u32: [0, 0xffffffff],
  i32: [-0x80000000, 0x7fffffff],
};

const textEncoder = new TextEncoder();

function isScalar(kind: FbValue['kind']): kind is FbScalarKind {
  return kind in SCALAR_SIZE;
}

class ByteSink {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Zero-pads until (length + phase) is a multiple of `align`. */
  pad(align: number, phase = 0): void {
    const n = (align - ((this.length + phase) % align)) % align;
    this.ensure(n);
    this.length += n; // the buffer is zero-filled already
  }

  skip(n: number): number {
    this.ensure(n);
    const at = this.length;
    this.length += n;
    return at;
  }

  bytes(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
  }

  setU16(pos: number, v: number): void {
    this.view.setUint16(pos, v, true);
  }
  setU32(pos: number, v: number): void {
    this.view.setUint32(pos, v, true);
  }
  setScalar(pos: number, kind: FbScalarKind, value: number | boolean | bigint): void {
    if (kind === 'u64') {
      if (typeof value !== 'bigint' || value < 0n || value >= 1n << 64n)
        throw new RangeError(`${value} does not fit a u64`);
      this.view.setBigUint64(pos, value, true);
      return;
    }
    if (typeof value === 'bigint') throw new TypeError(`${kind} field value must be a number, got a bigint`);
    const v = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    if (typeof v !== 'number' || (Number.isNaN(v) && kind !== 'f32')) {
      throw new TypeError(`${kind} field value must be a number, got ${String(value)}`);
    }
    const range = SCALAR_RANGE[kind];
    if (range && (!Number.isInteger(v) || v < range[0] || v > range[1])) {
      throw new RangeError(`${v} does not fit a ${kind}`);
    }
    switch (kind) {
      case 'bool':
      case 'u8':
        this.view.setUint8(pos, v);
        break;
      case 'i8':
        this.view.setInt8(pos, v);
        break;
      case 'u16':
        this.view.setUint16(pos, v, true);
        break;
      case 'i16':
        this.view.setInt16(pos, v, true);
        break;
      case 'u32':
        this.view.setUint32(pos, v, true);
        break;
      case 'i32':
        this.view.setInt32(pos, v, true);
        break;
      case 'f32':
        this.view.setFloat32(pos, v, true);
        break;
      default:
        throw new Error(`unknown scalar kind ${kind}`);
    }
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

type Pending = { slot: number; value: FbValue };

/** Serializes `root` as a complete FlatBuffer (or, with externals, as the front part of one). */
export function serialize(root: FbTableValue, options: SerializeOptions = {}): Uint8Array {
  const out = new ByteSink();
  const rootSlot = out.skip(4);
  if (options.identifier !== undefined) {
    if (!/^[\x20-\x7e]{4}$/.test(options.identifier)) {
      throw new Error(
        `file identifier must be 4 ASCII characters, got ${JSON.stringify(options.identifier)}`,
      );
    }
    out.bytes(textEncoder.encode(options.identifier));
  }

  const queue: Pending[] = [{ slot: rootSlot, value: { kind: 'table', value: root } }];
  const externals: { slot: number; at: number }[] = [];

  const patch = (slot: number, target: number): void => {
    if (target <= slot)
      throw new Error(`internal error: offset at ${slot} would point backwards to ${target}`);
    out.setU32(slot, target - slot);
  };

  /** Reserves a uoffset slot for an element that is either written later or external. */
  const refer = (slot: number, item: FbTableValue | FbExternal): void => {
    if ('external' in item) externals.push({ slot, at: item.external });
    else queue.push({ slot, value: { kind: 'table', value: item } });
  };

  const writeTable = (t: FbTableValue): number => {
    const present: { index: number; size: number; value: FbValue }[] = [];
    t.fields.forEach((value, index) => {
      if (value !== undefined)
        present.push({ index, size: isScalar(value.kind) ? SCALAR_SIZE[value.kind] : 4, value });
    });
    // Widest fields first keeps every field naturally aligned once the table start is aligned to the widest.
    const order = [...present].sort((a, b) => b.size - a.size || a.index - b.index);
    const fieldOffset = new Map<number, number>();
    let inline = 4; // the soffset to the vtable
    for (const p of order) {
      inline = Math.ceil(inline / p.size) * p.size;
      fieldOffset.set(p.index, inline);
      inline += p.size;
    }
    const slots = present.length === 0 ? 0 : present[present.length - 1]!.index + 1;
    if (inline > 0xffff) throw new Error('table too large for a vtable');

    out.pad(2);
    const vtable = out.skip(4 + 2 * slots);
    out.setU16(vtable, 4 + 2 * slots);
    out.setU16(vtable + 2, inline);
    for (const [index, off] of fieldOffset) out.setU16(vtable + 4 + 2 * index, off);

    out.pad(Math.max(4, ...present.map((p) => p.size)));
    const pos = out.skip(inline);
    out.setU32(pos, pos - vtable); // soffset: vtable = pos - soffset
    for (const p of present) {
      const at = pos + fieldOffset.get(p.index)!;
      const v = p.value;
      if (isScalar(v.kind)) out.setScalar(at, v.kind, v.value as number | boolean | bigint);
      else if (v.kind === 'external') refer(at, v.value as FbExternal);
      else queue.push({ slot: at, value: v });
    }
    return pos;
  };

  const writeObject = (v: FbValue): number => {
    switch (v.kind) {
      case 'table':
        return writeTable(v.value);
      case 'string': {
        const data = textEncoder.encode(v.value);
        out.pad(4);
        const pos = out.skip(4);
        out.setU32(pos, data.length);
        out.bytes(data);
        out.skip(1); // NUL terminator
        return pos;
      }
      case 'bytes': {
        const align = Math.max(4, v.align);
        if ((align & (align - 1)) !== 0) throw new Error(`alignment ${align} is not a power of two`);
        out.pad(align, 4); // the data after the length word starts aligned
        const pos = out.skip(4);
        out.setU32(pos, v.value.length);
        out.bytes(v.value);
        return pos;
      }
      case 'i32s':
      case 'u32s':
      case 'f32s': {
        const kind: FbScalarKind = v.kind === 'i32s' ? 'i32' : v.kind === 'u32s' ? 'u32' : 'f32';
        out.pad(4);
        const pos = out.skip(4 + 4 * v.value.length);
        out.setU32(pos, v.value.length);
        v.value.forEach((x, i) => out.setScalar(pos + 4 + 4 * i, kind, x));
        return pos;
      }
      case 'tables':
      case 'strings': {
        out.pad(4);
        const pos = out.skip(4 + 4 * v.value.length);
        out.setU32(pos, v.value.length);
        if (v.kind === 'strings') {
          v.value.forEach((s, i) =>
            queue.push({ slot: pos + 4 + 4 * i, value: { kind: 'string', value: s } }),
          );
        } else {
          v.value.forEach((item, i) => refer(pos + 4 + 4 * i, item));
        }
        return pos;
      }
      default:
        throw new Error(`cannot write a ${v.kind} value out of line`);
    }
  };

  for (let i = 0; i < queue.length; i++) {
    const { slot, value } = queue[i]!;
    patch(slot, writeObject(value));
  }

  if (externals.length > 0) {
    if (!options.externalBase) throw new Error('external references need options.externalBase');
    const base = options.externalBase(out.length);
    if (!(base >= out.length))
      throw new Error(`externalBase ${base} overlaps the written ${out.length} bytes`);
    for (const { slot, at } of externals) {
      if (!Number.isInteger(at) || at < 0) throw new Error(`bad external position ${at}`);
      patch(slot, base + at);
    }
  }
  return out.result();
}
