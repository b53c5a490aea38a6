/**
 * A minimal ZIP writer and reader for STORED (uncompressed) entries, as MediaPipe `.task` bundles need:
 * MediaPipe reads the member models in place from the zip bytes.
 *
 * The writer is deterministic (fixed 1980-01-01 00:00 timestamps, no comments, no ZIP64) and pads each
 * local header's extra field (the 0xD935 "alignment" field Android's zipalign also uses) so that every
 * entry's data starts at a multiple of `align` bytes from the start of the file.
 */

export interface ZipEntryInput {
  name: string;
  data: Uint8Array;
}

export interface ZipEntry {
  name: string;
  /** A view into the zip bytes (no copy). */
  data: Uint8Array;
  crc32: number;
  /** Offset of the entry's data from the start of the zip. */
  dataOffset: number;
}

export class ZipError extends Error {
  override name = 'ZipError';
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO-HDLC, as used by zip, gzip and PNG). */
export function crc32(data: Uint8Array, seed = 0): number {
  let c = ~seed >>> 0;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const END_SIG = 0x06054b50;
const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_RECORD = 22;
const ALIGN_EXTRA_ID = 0xd935;
const DOS_TIME = 0; // 00:00:00
const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
const VERSION_STORED = 10; // 1.0: stored entries only

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function writeZip(entries: readonly ZipEntryInput[], options: { align?: number } = {}): Uint8Array {
  const align = options.align ?? 64;
  if (!Number.isInteger(align) || align < 1 || align > 0xffff) throw new ZipError(`bad alignment ${align}`);
  if (entries.length > 0xffff) throw new ZipError('too many entries for a zip without ZIP64');
  const seen = new Set<string>();

  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    if (
      !entry.name ||
      entry.name.startsWith('/') ||
      entry.name.includes('\\') ||
      entry.name.split('/').includes('..')
    ) {
      throw new ZipError(`unsafe entry name ${JSON.stringify(entry.name)}`);
    }
    if (seen.has(entry.name)) throw new ZipError(`duplicate entry name ${entry.name}`);
    seen.add(entry.name);
    const name = encoder.encode(entry.name);
    if (name.length > 0xffff) throw new ZipError(`entry name too long: ${entry.name}`);
    if (entry.data.length >= 0xffffffff || offset >= 0xffffffff)
      throw new ZipError('zip too large without ZIP64');
    const crc = crc32(entry.data);
    const pad = align > 1 ? (align - ((offset + LOCAL_HEADER + name.length + 6) % align)) % align : 0;
    const extraLen = align > 1 ? 6 + pad : 0;
    const flags = /[^\x20-\x7e]/.test(entry.name) ? 0x0800 : 0; // bit 11: the name is UTF-8

    const local = new Uint8Array(LOCAL_HEADER + name.length + extraLen);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, LOCAL_SIG, true);
    lv.setUint16(4, VERSION_STORED, true);
    lv.setUint16(6, flags, true);
    lv.setUint16(8, 0, true); // method: stored
    lv.setUint16(10, DOS_TIME, true);
    lv.setUint16(12, DOS_DATE, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, entry.data.length, true);
    lv.setUint32(22, entry.data.length, true);
    lv.setUint16(26, name.length, true);
    lv.setUint16(28, extraLen, true);
    local.set(name, LOCAL_HEADER);
    if (extraLen) {
      const e = LOCAL_HEADER + name.length;
      lv.setUint16(e, ALIGN_EXTRA_ID, true);
      lv.setUint16(e + 2, extraLen - 4, true);
      lv.setUint16(e + 4, align, true);
    }

    const cen = new Uint8Array(CENTRAL_HEADER + name.length);
    const cv = new DataView(cen.buffer);
    cv.setUint32(0, CENTRAL_SIG, true);
    cv.setUint16(4, VERSION_STORED, true); // made by: MS-DOS attributes, spec 1.0
    cv.setUint16(6, VERSION_STORED, true);
    cv.setUint16(8, flags, true);
    cv.setUint16(10, 0, true);
    cv.setUint16(12, DOS_TIME, true);
    cv.setUint16(14, DOS_DATE, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, entry.data.length, true);
    cv.setUint32(24, entry.data.length, true);
    cv.setUint16(28, name.length, true);
    // extra length, comment length, disk start, internal and external attributes: all 0
    cv.setUint32(42, offset, true);
    cen.set(name, CENTRAL_HEADER);

    parts.push(local, entry.data);
    central.push(cen);
    offset += local.length + entry.data.length;
  }

  const centralSize = central.reduce((n, c) => n + c.length, 0);
  if (offset + centralSize >= 0xffffffff) throw new ZipError('zip too large without ZIP64');
  const end = new Uint8Array(END_RECORD);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, END_SIG, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, centralSize, true);
  ev.setUint32(16, offset, true);

  const out = new Uint8Array(offset + centralSize + END_RECORD);
  let at = 0;
  for (const p of [...parts, ...central, end]) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Reads a zip whose entries are all STORED, checking every CRC. */
export function readStoredZip(bytes: Uint8Array): ZipEntry[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - END_RECORD; i >= Math.max(0, bytes.length - END_RECORD - 0xffff); i--) {
    if (v.getUint32(i, true) === END_SIG) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ZipError('no end of central directory record: not a zip file');
  const count = v.getUint16(end + 10, true);
  let p = v.getUint32(end + 16, true);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (p + CENTRAL_HEADER > bytes.length || v.getUint32(p, true) !== CENTRAL_SIG) {
      throw new ZipError(`bad central directory header ${i}`);
    }
    const method = v.getUint16(p + 10, true);
    const crc = v.getUint32(p + 16, true);
    const compressed = v.getUint32(p + 20, true);
    const size = v.getUint32(p + 24, true);
    const nameLen = v.getUint16(p + 28, true);
    const extraLen = v.getUint16(p + 30, true);
    const commentLen = v.getUint16(p + 32, true);
    const local = v.getUint32(p + 42, true);
    const name = decoder.decode(bytes.subarray(p + CENTRAL_HEADER, p + CENTRAL_HEADER + nameLen));
    if (method !== 0 || compressed !== size)
      throw new ZipError(`entry ${name} is compressed (method ${method})`);
    if (local + LOCAL_HEADER > bytes.length || v.getUint32(local, true) !== LOCAL_SIG) {
      throw new ZipError(`bad local header for ${name}`);
    }
    const dataOffset = local + LOCAL_HEADER + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    if (dataOffset + size > bytes.length) throw new ZipError(`entry ${name} runs past the end of the file`);
    const data = bytes.subarray(dataOffset, dataOffset + size);
    const actual = crc32(data);
    if (actual !== crc) throw new ZipError(`CRC mismatch in ${name}: stored ${crc}, computed ${actual}`);
    entries.push({ name, data, crc32: crc, dataOffset });
    p += CENTRAL_HEADER + nameLen + extraLen + commentLen;
  }
  return entries;
}
