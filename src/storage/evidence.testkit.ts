import type { OrderVideoRecord } from '../core/evidence/record.ts';
import { KioskDb } from './db.ts';
import type { ServerKeyHandle } from './evidenceVault.ts';

/** Shared helpers for the storage and sync tests (fake-indexeddb must be loaded by the test). */

let dbCounter = 0;
/** A fresh database per test, so tests never see each other's rows. */
export function freshDb(prefix = 'test'): KioskDb {
  dbCounter++;
  return new KioskDb(`${prefix}-${dbCounter}-${Math.random().toString(36).slice(2)}`);
}

export const T0 = Date.parse('2026-03-02T10:00:00.000Z');
export const HOUR = 60 * 60 * 1000;

export function sampleRecord(txn: string, opts: { at?: number; flagged?: boolean; lane?: string } = {}) {
  const at = new Date(opts.at ?? T0).toISOString();
  const record: Omit<OrderVideoRecord, 'clip'> = {
    schema: 1,
    lane: opts.lane ?? 'L1',
    txn,
    status: 'paid',
    startedAt: at,
    endedAt: at,
    lines: [],
    total: 1234,
    itemCount: 2,
    counts: { added: 2, voided: 0, quantityChanged: 0, quantityReduced: 0 },
    paymentFailures: 0,
    timeline: [],
    suspicions: [],
    flagged: opts.flagged ?? false,
    recordedAt: at,
  };
  return record;
}

/** Deterministic, recognisable plaintext: a repeating text marker plus pseudo-random bytes. */
export function plainClip(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  const marker = new TextEncoder().encode('PLAINTEXT-CLIP-MARKER');
  for (let i = 0; i + marker.length <= n; i += 4096) out.set(marker, i);
  return out;
}

export interface ServerPair {
  handle: ServerKeyHandle;
  privateKey: CryptoKey;
  jwk: JsonWebKey;
}

/** An RSA-OAEP pair standing in for the store server's key. */
export async function serverPair(keyId = '0123456789abcdef'): Promise<ServerPair> {
  const pair = await crypto.subtle.generateKey(
    { name: 'RSA-OAEP', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['wrapKey', 'unwrapKey'],
  );
  return {
    handle: { keyId, key: pair.publicKey },
    privateKey: pair.privateKey,
    jwk: await crypto.subtle.exportKey('jwk', pair.publicKey),
  };
}

export async function blobBytes(b: Blob | ArrayBuffer): Promise<Uint8Array> {
  return new Uint8Array(b instanceof Blob ? await b.arrayBuffer() : b);
}

export function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}
