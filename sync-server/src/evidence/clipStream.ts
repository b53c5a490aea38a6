import type { FileHandle } from 'node:fs/promises';
import {
  ClipFormatError,
  decryptRange,
  unwrapClipKey,
  type ClipHeader,
} from '../../../src/core/evidence/clipCipher.ts';
import { readCheckedHeader, readExactly } from './clipFile.ts';

export interface OpenClip {
  header: ClipHeader;
  key: CryptoKey;
  fh: FileHandle;
}

/** Checks the header against the file size and unwraps the clip key; any failure is a ClipFormatError. */
export async function openClip(fh: FileHandle, wrappedKey: string, privateKey: CryptoKey): Promise<OpenClip> {
  const header = await readCheckedHeader(fh);
  let key: CryptoKey;
  try {
    key = await unwrapClipKey(wrappedKey, privateKey);
  } catch {
    throw new ClipFormatError('the clip key could not be unwrapped with this server key');
  }
  return { header, key, fh };
}

/** Plaintext bytes [start, end] (inclusive), reading and authenticating only the chunks they span. */
export function decryptSpan(clip: OpenClip, start: number, end: number): Promise<Uint8Array> {
  return decryptRange(clip.header, clip.key, start, end, (offset, length) =>
    readExactly(clip.fh, offset, length),
  );
}

/**
 * Plaintext [start, end] as a sequence of pieces, one chunk at a time, so a long range streams in
 * constant memory. A chunk that fails authentication throws a ClipFormatError mid-stream.
 */
export async function* decryptPieces(clip: OpenClip, start: number, end: number): AsyncGenerator<Uint8Array> {
  const size = clip.header.chunkSize;
  let from = start;
  while (from <= end) {
    const to = Math.min(end, (Math.floor(from / size) + 1) * size - 1);
    yield await decryptSpan(clip, from, to);
    from = to + 1;
  }
}
