/**
 * A minimal FlatBuffers reader: root table, vtable lookup, scalars, strings, vectors and nested tables.
 * It knows nothing about any schema; callers address fields by their index (the order in the .fbs file,
 * where a union takes two slots: `<name>_type` then `<name>`).
 *
 * Every access is bounds-checked, so a truncated or corrupt buffer throws a FlatBufferError rather than
 * returning garbage.
 */

export class FlatBufferError extends Error {
  override name = 'FlatBufferError';
}

const textDecoder = new TextDecoder('utf-8', { fatal: true });

export class FlatBufferReader {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private check(pos: number, size: number, what: string): void {
    if (!Number.isInteger(pos) || pos < 0 || pos + size > this.bytes.length) {
      throw new FlatBufferError(
        `${what} at ${pos} (+${size}) is outside the buffer of ${this.bytes.length} bytes`,
      );
    }
  }

  u8(pos: number): number {
    this.check(pos, 1, 'uint8');
    return this.view.getUint8(pos);
  }
  i8(pos: number): number {
    this.check(pos, 1, 'int8');
    return this.view.getInt8(pos);
  }
  u16(pos: number): number {
    this.check(pos, 2, 'uint16');
    return this.view.getUint16(pos, true);
  }
  i16(pos: number): number {
    this.check(pos, 2, 'int16');
    return this.view.getInt16(pos, true);
  }
  u32(pos: number): number {
    this.check(pos, 4, 'uint32');
    return this.view.getUint32(pos, true);
  }
  i32(pos: number): number {
    this.check(pos, 4, 'int32');
    return this.view.getInt32(pos, true);
  }
  f32(pos: number): number {
    this.check(pos, 4, 'float32');
    return this.view.getFloat32(pos, true);
  }
  u64(pos: number): bigint {
    this.check(pos, 8, 'uint64');
    return this.view.getBigUint64(pos, true);
  }

  /** Follows a uoffset stored at `pos` (offsets are relative to their own position and point forward). */
  deref(pos: number): number {
    const target = pos + this.u32(pos);
    this.check(target, 0, 'offset target');
    return target;
  }

  /** The 4-character file identifier at bytes 4..8 ('' when the buffer is too short). */
  fileIdentifier(): string {
    if (this.bytes.length < 8) return '';
    return String.fromCharCode(...this.bytes.subarray(4, 8));
  }

  root(): FlatBufferTable {
    return new FlatBufferTable(this, this.deref(0));
  }

  string(pos: number): string {
    const len = this.u32(pos);
    this.check(pos + 4, len, 'string');
    return textDecoder.decode(this.bytes.subarray(pos + 4, pos + 4 + len));
  }

  /** A vector at `pos`: its element count and the position of its first element. */
  vector(pos: number, elementSize: number): { length: number; start: number } {
    const length = this.u32(pos);
    this.check(pos + 4, length * elementSize, 'vector');
    return { length, start: pos + 4 };
  }
}

export class FlatBufferTable {
  readonly fb: FlatBufferReader;
  /** Absolute position of the table (where its soffset to the vtable is stored). */
  readonly pos: number;
  private readonly vtable: number;
  private readonly vtableSize: number;
  private readonly tableSize: number;

  constructor(fb: FlatBufferReader, pos: number) {
    this.fb = fb;
    this.pos = pos;
    this.vtable = pos - fb.i32(pos);
    this.vtableSize = fb.u16(this.vtable);
    this.tableSize = fb.u16(this.vtable + 2);
    if (this.vtableSize < 4 || this.vtableSize % 2 !== 0) {
      throw new FlatBufferError(`bad vtable size ${this.vtableSize} for the table at ${pos}`);
    }
    fb.u16(this.vtable + this.vtableSize - 2); // the whole vtable must be inside the buffer
  }

  /** How many field slots the vtable describes (absent trailing fields are not counted). */
  get fieldCount(): number {
    return (this.vtableSize - 4) / 2;
  }

  /** Inline size of the table in bytes, as recorded in its vtable. */
  get inlineSize(): number {
    return this.tableSize;
  }

  /** Offset of field `index` from the table start, or 0 when the field is absent. */
  fieldOffset(index: number): number {
    if (index < 0 || index >= this.fieldCount) return 0;
    const off = this.fb.u16(this.vtable + 4 + 2 * index);
    if (off !== 0 && off >= this.tableSize) {
      throw new FlatBufferError(`field ${index} offset ${off} is beyond the table size ${this.tableSize}`);
    }
    return off;
  }

  has(index: number): boolean {
    return this.fieldOffset(index) !== 0;
  }

  /** Absolute position of field `index`'s inline value, or undefined when absent. */
  fieldPos(index: number): number | undefined {
    const off = this.fieldOffset(index);
    return off === 0 ? undefined : this.pos + off;
  }

  u8(index: number, fallback = 0): number {
    const p = this.fieldPos(index);
    return p === undefined ? fallback : this.fb.u8(p);
  }
  i8(index: number, fallback = 0): number {
    const p = this.fieldPos(index);
    return p === undefined ? fallback : this.fb.i8(p);
  }
  u16(index: number, fallback = 0): number {
    const p = this.fieldPos(index);
    return p === undefined ? fallback : this.fb.u16(p);
  }
  u32(index: number, fallback = 0): number {
    const p = this.fieldPos(index);
    return p === undefined ? fallback : this.fb.u32(p);
  }
  i32(index: number, fallback = 0): number {
    const p = this.fieldPos(index);
    return p === undefined ? fallback : this.fb.i32(p);
  }
  f32(index: number, fallback = 0): number {
    const p = this.fieldPos(index);
    return p === undefined ? fallback : this.fb.f32(p);
  }
  u64(index: number, fallback = 0n): bigint {
    const p = this.fieldPos(index);
    return p === undefined ? fallback : this.fb.u64(p);
  }
  bool(index: number, fallback = false): boolean {
    const p = this.fieldPos(index);
    return p === undefined ? fallback : this.fb.u8(p) !== 0;
  }

  /** Absolute position of the object an offset field points to, or undefined when absent. */
  target(index: number): number | undefined {
    const p = this.fieldPos(index);
    return p === undefined ? undefined : this.fb.deref(p);
  }

  string(index: number): string | undefined {
    const t = this.target(index);
    return t === undefined ? undefined : this.fb.string(t);
  }

  table(index: number): FlatBufferTable | undefined {
    const t = this.target(index);
    return t === undefined ? undefined : new FlatBufferTable(this.fb, t);
  }

  /** A vector of tables (each element a uoffset). Absent field gives []. */
  tables(index: number): FlatBufferTable[] {
    return this.offsetVector(index).map((pos) => new FlatBufferTable(this.fb, pos));
  }

  strings(index: number): string[] {
    return this.offsetVector(index).map((pos) => this.fb.string(pos));
  }

  /** Absolute positions of the objects a vector of offsets points to. */
  offsetVector(index: number): number[] {
    const t = this.target(index);
    if (t === undefined) return [];
    const { length, start } = this.fb.vector(t, 4);
    const out: number[] = [];
    for (let i = 0; i < length; i++) out.push(this.fb.deref(start + 4 * i));
    return out;
  }

  /** A vector of bytes as a view into the buffer (no copy). Absent field gives undefined. */
  bytes(index: number): Uint8Array | undefined {
    const t = this.target(index);
    if (t === undefined) return undefined;
    const { length, start } = this.fb.vector(t, 1);
    return this.fb.bytes.subarray(start, start + length);
  }

  i32s(index: number): number[] {
    return this.scalarVector(index, 4, (p) => this.fb.i32(p));
  }
  u32s(index: number): number[] {
    return this.scalarVector(index, 4, (p) => this.fb.u32(p));
  }
  f32s(index: number): number[] {
    return this.scalarVector(index, 4, (p) => this.fb.f32(p));
  }

  private scalarVector(index: number, size: number, read: (pos: number) => number): number[] {
    const t = this.target(index);
    if (t === undefined) return [];
    const { length, start } = this.fb.vector(t, size);
    const out: number[] = [];
    for (let i = 0; i < length; i++) out.push(read(start + size * i));
    return out;
  }
}
