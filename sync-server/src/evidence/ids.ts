/**
 * Identifiers that reach URLs, SQL parameters and file names. Validated at every door so that no id
 * can walk out of its directory: txn ids use a small alphabet and never contain "..", and file paths
 * are only ever built from lowercase hex hashes.
 */
const TXN = /^[A-Za-z0-9._:-]{1,64}$/;
const CLIP_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const UPLOAD_ID = /^[0-9a-f]{32}$/;

export function isTxnId(value: unknown): value is string {
  return typeof value === 'string' && TXN.test(value) && !value.includes('..');
}

export function isClipId(value: unknown): value is string {
  return typeof value === 'string' && CLIP_ID.test(value) && !value.includes('..');
}

export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && SHA256_HEX.test(value);
}

/** tus upload ids as this server names them (16 random bytes, hex). */
export function isUploadId(value: unknown): value is string {
  return typeof value === 'string' && UPLOAD_ID.test(value);
}
