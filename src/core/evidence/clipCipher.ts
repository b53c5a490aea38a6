/**
 * Clip encryption, shared by the kiosk (encrypts before anything is written) and the store server
 * (decrypts only for an authorised, audited view). WebCrypto only, so it runs in browsers and Node.
 *
 * The clip is split into fixed-size chunks, each sealed with AES-GCM under one random per-clip key,
 * so the server can serve an HTTP Range by opening only the chunks it covers, and a truncated or
 * tampered file fails authentication chunk by chunk. The header is bound to every chunk as
 * additional data, and each chunk's index is part of its nonce and its additional data, so chunks
 * cannot be reordered, dropped from the middle or moved between clips.
 *
 * Layout ("LCC1"): magic(4) version(1) chunkSize(u32 BE) plainLength(u64 BE) baseIv(12) | chunk 0 | chunk 1 ...
 * Each chunk is ciphertext plus a 16-byte tag; all chunks but the last hold chunkSize plaintext bytes.
 */
export const CLIP_MAGIC = 'LCC1';
export const CLIP_HEADER_BYTES = 29;
export const GCM_TAG_BYTES = 16;
export const DEFAULT_CHUNK_SIZE = 64 * 1024;

export interface ClipHeader {
  chunkSize: number;
  plainLength: number;
  baseIv: Uint8Array<ArrayBuffer>;
  bytes: Uint8Array<ArrayBuffer>;
}

export class ClipFormatError extends Error {
  override name = 'ClipFormatError';
}

function subtle(): SubtleCrypto {
  return globalThis.crypto.subtle;
}

export function encodeHeader(
  chunkSize: number,
  plainLength: number,
  baseIv: Uint8Array<ArrayBuffer>,
): ClipHeader {
  const bytes = new Uint8Array(CLIP_HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 4; i++) bytes[i] = CLIP_MAGIC.charCodeAt(i);
  bytes[4] = 1;
  view.setUint32(5, chunkSize);
  view.setUint32(9, Math.floor(plainLength / 2 ** 32));
  view.setUint32(13, plainLength >>> 0);
  bytes.set(baseIv, 17);
  return { chunkSize, plainLength, baseIv, bytes };
}

export function parseHeader(data: Uint8Array): ClipHeader {
  if (data.length < CLIP_HEADER_BYTES) throw new ClipFormatError('clip is shorter than its header');
  const magic = String.fromCharCode(data[0]!, data[1]!, data[2]!, data[3]!);
  if (magic !== CLIP_MAGIC || data[4] !== 1)
    throw new ClipFormatError('not an encrypted clip (bad magic or version)');
  const view = new DataView(data.buffer, data.byteOffset, CLIP_HEADER_BYTES);
  const chunkSize = view.getUint32(5);
  const plainLength = view.getUint32(9) * 2 ** 32 + view.getUint32(13);
  if (chunkSize < 1024 || chunkSize > 16 * 1024 * 1024)
    throw new ClipFormatError(`implausible chunk size ${chunkSize}`);
  const bytes = new Uint8Array(data.slice(0, CLIP_HEADER_BYTES));
  return { chunkSize, plainLength, baseIv: bytes.slice(17, 29), bytes };
}

export function chunkCount(h: Pick<ClipHeader, 'chunkSize' | 'plainLength'>): number {
  return Math.max(1, Math.ceil(h.plainLength / h.chunkSize));
}

/** Total size of the encrypted file for a given header. */
export function encryptedLength(h: Pick<ClipHeader, 'chunkSize' | 'plainLength'>): number {
  return CLIP_HEADER_BYTES + h.plainLength + chunkCount(h) * GCM_TAG_BYTES;
}

/** Where chunk `i` sits in the encrypted file, and how many plaintext bytes it holds. */
export function chunkSpan(
  h: Pick<ClipHeader, 'chunkSize' | 'plainLength'>,
  i: number,
): { offset: number; length: number; plain: number } {
  const plain = Math.min(h.chunkSize, h.plainLength - i * h.chunkSize);
  const offset = CLIP_HEADER_BYTES + i * (h.chunkSize + GCM_TAG_BYTES);
  return { offset, length: Math.max(0, plain) + GCM_TAG_BYTES, plain: Math.max(0, plain) };
}

function chunkIv(baseIv: Uint8Array, index: number): Uint8Array<ArrayBuffer> {
  const iv = new Uint8Array(baseIv);
  const view = new DataView(iv.buffer);
  view.setUint32(8, view.getUint32(8) ^ index);
  return iv;
}

function chunkAad(header: Uint8Array, index: number): Uint8Array<ArrayBuffer> {
  const aad = new Uint8Array(header.length + 4);
  aad.set(header);
  new DataView(aad.buffer).setUint32(header.length, index);
  return aad;
}

export async function generateClipKey(): Promise<CryptoKey> {
  return subtle().generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
}

export async function encryptClip(
  plain: Uint8Array,
  key: CryptoKey,
  chunkSize = DEFAULT_CHUNK_SIZE,
): Promise<Uint8Array<ArrayBuffer>> {
  const baseIv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const header = encodeHeader(chunkSize, plain.length, baseIv);
  const out = new Uint8Array(encryptedLength(header));
  out.set(header.bytes);
  for (let i = 0; i < chunkCount(header); i++) {
    const span = chunkSpan(header, i);
    const part = plain.subarray(i * chunkSize, i * chunkSize + span.plain);
    const sealed = await subtle().encrypt(
      { name: 'AES-GCM', iv: chunkIv(baseIv, i), additionalData: chunkAad(header.bytes, i) },
      key,
      part as Uint8Array<ArrayBuffer>,
    );
    out.set(new Uint8Array(sealed), span.offset);
  }
  return out;
}

export async function decryptChunk(
  header: ClipHeader,
  key: CryptoKey,
  index: number,
  sealed: Uint8Array,
): Promise<Uint8Array> {
  try {
    const plain = await subtle().decrypt(
      { name: 'AES-GCM', iv: chunkIv(header.baseIv, index), additionalData: chunkAad(header.bytes, index) },
      key,
      sealed as Uint8Array<ArrayBuffer>,
    );
    return new Uint8Array(plain);
  } catch {
    throw new ClipFormatError(`chunk ${index} failed authentication: the clip is corrupt or tampered with`);
  }
}

/**
 * Decrypts plaintext bytes [start, end] (inclusive, like HTTP Range) reading only the chunks needed.
 * `read(offset, length)` returns bytes of the encrypted file.
 */
export async function decryptRange(
  header: ClipHeader,
  key: CryptoKey,
  start: number,
  end: number,
  read: (offset: number, length: number) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  if (start < 0 || end >= header.plainLength || start > end) throw new RangeError('range outside the clip');
  const first = Math.floor(start / header.chunkSize);
  const last = Math.floor(end / header.chunkSize);
  const out = new Uint8Array(end - start + 1);
  let written = 0;
  for (let i = first; i <= last; i++) {
    const span = chunkSpan(header, i);
    const plain = await decryptChunk(header, key, i, await read(span.offset, span.length));
    const from = i === first ? start - i * header.chunkSize : 0;
    const to = i === last ? end - i * header.chunkSize + 1 : plain.length;
    out.set(plain.subarray(from, to), written);
    written += to - from;
  }
  return out;
}

export async function decryptClip(data: Uint8Array, key: CryptoKey): Promise<Uint8Array> {
  const header = parseHeader(data);
  if (data.length !== encryptedLength(header)) {
    throw new ClipFormatError(
      `clip is ${data.length} bytes, expected ${encryptedLength(header)}: truncated or padded`,
    );
  }
  if (header.plainLength === 0) return new Uint8Array(0);
  return decryptRange(header, key, 0, header.plainLength - 1, async (o, l) => data.subarray(o, o + l));
}

/** The per-clip key, wrapped for the store server so only it can open the clip (RSA-OAEP, SHA-256). */
export async function wrapClipKey(key: CryptoKey, serverPublicKey: CryptoKey): Promise<string> {
  const wrapped = await subtle().wrapKey('raw', key, serverPublicKey, { name: 'RSA-OAEP' });
  return toBase64(new Uint8Array(wrapped));
}

export async function unwrapClipKey(wrapped: string, serverPrivateKey: CryptoKey): Promise<CryptoKey> {
  return subtle().unwrapKey(
    'raw',
    fromBase64(wrapped),
    serverPrivateKey,
    { name: 'RSA-OAEP' },
    { name: 'AES-GCM', length: 256 },
    false,
    ['decrypt'],
  );
}

export async function importServerPublicKey(jwk: JsonWebKey): Promise<CryptoKey> {
  return subtle().importKey('jwk', jwk, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['wrapKey']);
}

export async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await subtle().digest('SHA-256', data as Uint8Array<ArrayBuffer>));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function toBase64(bytes: Uint8Array): string {
  // In slices, so large inputs neither build the string a byte at a time nor overflow the argument list.
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
