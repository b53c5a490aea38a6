import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import {
  CLIP_HEADER_BYTES,
  ClipFormatError,
  encryptedLength,
  parseHeader,
  type ClipHeader,
} from '../../../src/core/evidence/clipCipher.ts';

/** SHA-256 and size of a file, streamed so a 200 MB clip never sits in memory. */
export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Reads exactly `length` bytes at `offset`, or fails: a short read means the file changed under us. */
export async function readExactly(fh: FileHandle, offset: number, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, offset + got);
    if (bytesRead === 0)
      throw new ClipFormatError(`clip ends at ${offset + got}, expected ${offset + length} bytes`);
    got += bytesRead;
  }
  return buf;
}

/** Parses the clip header and checks the file is exactly as long as the header says. */
export async function readCheckedHeader(fh: FileHandle): Promise<ClipHeader> {
  const { size } = await fh.stat();
  const header = parseHeader(await readExactly(fh, 0, Math.min(size, CLIP_HEADER_BYTES)));
  const expected = encryptedLength(header);
  if (size !== expected) {
    throw new ClipFormatError(`clip is ${size} bytes, its header says ${expected}: truncated or padded`);
  }
  return header;
}
