import { describe, expect, it } from 'vitest';
import { crc32, readStoredZip, writeZip, ZipError } from './zip.ts';

/** Parses the central directory with no help from zip.ts, following APPNOTE.TXT section 4.3. */
function parseCentralDirectory(zip: Uint8Array) {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22; // no archive comment is written
  expect(v.getUint32(eocd, true)).toBe(0x06054b50);
  const total = v.getUint16(eocd + 10, true);
  expect(v.getUint16(eocd + 8, true)).toBe(total);
  const cdSize = v.getUint32(eocd + 12, true);
  const cdOffset = v.getUint32(eocd + 16, true);
  expect(cdOffset + cdSize).toBe(eocd);
  const entries = [];
  let p = cdOffset;
  for (let i = 0; i < total; i++) {
    expect(v.getUint32(p, true)).toBe(0x02014b50);
    const nameLen = v.getUint16(p + 28, true);
    const entry = {
      method: v.getUint16(p + 10, true),
      crc: v.getUint32(p + 16, true),
      compressedSize: v.getUint32(p + 20, true),
      size: v.getUint32(p + 24, true),
      localOffset: v.getUint32(p + 42, true),
      name: new TextDecoder().decode(zip.subarray(p + 46, p + 46 + nameLen)),
    };
    // The local header must agree with the central one.
    const l = entry.localOffset;
    expect(v.getUint32(l, true)).toBe(0x04034b50);
    expect(v.getUint16(l + 8, true)).toBe(entry.method);
    expect(v.getUint32(l + 14, true)).toBe(entry.crc);
    expect(v.getUint32(l + 22, true)).toBe(entry.size);
    const dataStart = l + 30 + v.getUint16(l + 26, true) + v.getUint16(l + 28, true);
    entries.push({ ...entry, dataStart, data: zip.subarray(dataStart, dataStart + entry.compressedSize) });
    p += 46 + nameLen + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
  }
  expect(p).toBe(eocd);
  return entries;
}

describe('crc32', () => {
  it('matches the standard check values', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(new TextEncoder().encode('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });

  it('can be computed in pieces', () => {
    const data = new TextEncoder().encode('hello, zip world');
    expect(crc32(data.subarray(5), crc32(data.subarray(0, 5)))).toBe(crc32(data));
  });
});

describe('writeZip', () => {
  const random = (n: number, seed: number): Uint8Array => {
    const out = new Uint8Array(n);
    let x = seed;
    for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    return out;
  };
  const inputs = [
    { name: 'hand_detector.tflite', data: random(1000, 1) },
    { name: 'dir/hand_landmarks_detector.tflite', data: random(77, 2) },
    { name: 'empty.txt', data: new Uint8Array(0) },
    { name: 'ünïcode.bin', data: random(5, 3) },
  ];

  it('writes stored entries whose names, sizes and CRCs a separate parser reads back', () => {
    const zip = writeZip(inputs);
    const entries = parseCentralDirectory(zip);
    expect(entries.map((e) => e.name)).toEqual(inputs.map((i) => i.name));
    entries.forEach((e, i) => {
      expect(e.method).toBe(0);
      expect(e.compressedSize).toBe(e.size);
      expect(e.crc).toBe(crc32(inputs[i]!.data));
      expect(crc32(e.data)).toBe(e.crc);
      expect(Buffer.from(e.data).equals(inputs[i]!.data)).toBe(true);
    });
  });

  it('aligns each entry to the requested boundary', () => {
    for (const align of [1, 4, 64, 4096]) {
      const entries = parseCentralDirectory(writeZip(inputs, { align }));
      for (const e of entries) expect(e.dataStart % align).toBe(0);
    }
  });

  it('round-trips through readStoredZip', () => {
    const zip = writeZip(inputs);
    const read = readStoredZip(zip);
    expect(read.map((e) => e.name)).toEqual(inputs.map((i) => i.name));
    read.forEach((e, i) => expect(Buffer.from(e.data).equals(inputs[i]!.data)).toBe(true));
    expect(read.every((e) => e.dataOffset % 64 === 0)).toBe(true);
  });

  it('is deterministic', () => {
    expect(Buffer.from(writeZip(inputs)).equals(writeZip(inputs))).toBe(true);
  });

  it('refuses unsafe and duplicate names', () => {
    const d = new Uint8Array(1);
    expect(() => writeZip([{ name: '../x', data: d }])).toThrow(ZipError);
    expect(() => writeZip([{ name: '/abs', data: d }])).toThrow(ZipError);
    expect(() => writeZip([{ name: '', data: d }])).toThrow(ZipError);
    expect(() =>
      writeZip([
        { name: 'a', data: d },
        { name: 'a', data: d },
      ]),
    ).toThrow(/duplicate/);
  });
});

describe('readStoredZip', () => {
  it('detects corrupted data and non-zip input', () => {
    const zip = writeZip([{ name: 'a.bin', data: new Uint8Array([1, 2, 3, 4]) }]);
    const [entry] = parseCentralDirectory(zip);
    const bad = zip.slice();
    bad[entry!.dataStart] = bad[entry!.dataStart]! ^ 0xff;
    expect(() => readStoredZip(bad)).toThrow(/CRC mismatch in a.bin/);
    expect(() => readStoredZip(new Uint8Array(100))).toThrow(/not a zip/);
  });

  it('refuses compressed entries', () => {
    const zip = writeZip([{ name: 'a.bin', data: new Uint8Array([1, 2, 3, 4]) }]);
    const bad = zip.slice();
    const cd = new DataView(bad.buffer).getUint32(bad.length - 22 + 16, true);
    new DataView(bad.buffer).setUint16(cd + 10, 8, true); // method: deflate
    expect(() => readStoredZip(bad)).toThrow(/compressed/);
  });
});
