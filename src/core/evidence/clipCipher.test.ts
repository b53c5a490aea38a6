import { describe, expect, it } from 'vitest';
import {
  ClipFormatError,
  decryptClip,
  decryptRange,
  encryptClip,
  generateClipKey,
  importServerPublicKey,
  parseHeader,
  unwrapClipKey,
  wrapClipKey,
} from './clipCipher.ts';

function bytes(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('clip cipher', () => {
  it('round-trips clips of many sizes, including empty and exact chunk multiples', async () => {
    const key = await generateClipKey();
    for (const n of [0, 1, 1023, 4096, 4097, 3 * 4096, 50_000]) {
      const plain = bytes(n, n + 1);
      const sealed = await encryptClip(plain, key, 4096);
      expect(sealed.length).toBe(29 + n + Math.max(1, Math.ceil(n / 4096)) * 16);
      expect(await decryptClip(sealed, key)).toEqual(plain);
    }
  });

  it('decrypts any byte range by opening only the chunks it covers', async () => {
    const key = await generateClipKey();
    const plain = bytes(20_000);
    const sealed = await encryptClip(plain, key, 4096);
    const header = parseHeader(sealed);
    const reads: number[] = [];
    const read = async (o: number, l: number) => {
      reads.push(o);
      return sealed.subarray(o, o + l);
    };
    for (const [s, e] of [
      [0, 0],
      [4095, 4096],
      [5000, 13_000],
      [19_999, 19_999],
      [0, 19_999],
    ] as const) {
      reads.length = 0;
      expect(await decryptRange(header, key, s, e, read)).toEqual(plain.subarray(s, e + 1));
      expect(reads.length).toBe(Math.floor(e / 4096) - Math.floor(s / 4096) + 1);
    }
    await expect(decryptRange(header, key, 10, 20_000, read)).rejects.toThrow(RangeError);
  });

  it('detects tampering, truncation, reordering and a wrong key', async () => {
    const key = await generateClipKey();
    const plain = bytes(10_000);
    const sealed = await encryptClip(plain, key, 4096);
    const flipped = sealed.slice();
    flipped[5000] = flipped[5000]! ^ 1;
    await expect(decryptClip(flipped, key)).rejects.toThrow(ClipFormatError);
    await expect(decryptClip(sealed.subarray(0, sealed.length - 1), key)).rejects.toThrow(/truncated/);
    const swapped = sealed.slice();
    const a = 29;
    const b = 29 + 4096 + 16;
    swapped.set(sealed.subarray(b, b + 4112), a);
    swapped.set(sealed.subarray(a, a + 4112), b);
    await expect(decryptClip(swapped, key)).rejects.toThrow(/chunk 0/);
    await expect(decryptClip(sealed, await generateClipKey())).rejects.toThrow(ClipFormatError);
    await expect(decryptClip(new Uint8Array(100), key)).rejects.toThrow(/magic/);
  });

  it('wraps the clip key for the server and only the private key opens it', async () => {
    const pair = (await crypto.subtle.generateKey(
      { name: 'RSA-OAEP', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['wrapKey', 'unwrapKey'],
    )) as CryptoKeyPair;
    const pub = await importServerPublicKey(await crypto.subtle.exportKey('jwk', pair.publicKey));
    const key = await generateClipKey();
    const sealed = await encryptClip(bytes(5000), key);
    const wrapped = await wrapClipKey(key, pub);
    const opened = await unwrapClipKey(wrapped, pair.privateKey);
    expect(await decryptClip(sealed, opened)).toEqual(bytes(5000));
  });
});
