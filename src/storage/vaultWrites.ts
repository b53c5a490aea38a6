import type { ClipMeta, OrderVideoRecord } from '../core/evidence/record.ts';
import { encryptClip, generateClipKey, sha256Hex, wrapClipKey } from '../core/evidence/clipCipher.ts';
import type { ClipRow, KioskDb, OutboxRow, RecordRow } from './db.ts';

export interface ServerKeyHandle {
  keyId: string;
  key: CryptoKey;
}

export interface ClipInput {
  /** Plaintext clip; encrypted here and never written as is. The caller should drop it afterwards. */
  bytes: Uint8Array;
  mime: string;
  startMs: number;
  endMs: number;
  faceBlur: boolean;
}

export interface SealedClip {
  meta: ClipMeta;
  /** The encrypted clip (LCC1). */
  bytes: Uint8Array<ArrayBuffer>;
}

/** Encrypts a clip under a fresh AES-GCM key and wraps that key for the server (RSA-OAEP). */
export async function sealClip(
  clip: ClipInput,
  server: ServerKeyHandle,
  clipId: string,
): Promise<SealedClip> {
  const key = await generateClipKey();
  const bytes = await encryptClip(clip.bytes, key);
  const meta: ClipMeta = {
    clipId,
    mime: clip.mime,
    bytes: bytes.length,
    sha256: await sha256Hex(bytes),
    startMs: clip.startMs,
    endMs: clip.endMs,
    faceBlur: clip.faceBlur,
    wrappedKey: await wrapClipKey(key, server.key),
    keyId: server.keyId,
  };
  return { meta, bytes };
}

export interface EvidenceWrite {
  record: OrderVideoRecord;
  /** A new clip to store with it (its meta is already in record.clip). */
  sealed?: SealedClip;
  /** Why a recorded clip is not kept. */
  clipDropped?: string;
  /** Replacing an earlier seal of the same txn (re-seal) instead of adding a new one. */
  replaces?: RecordRow;
  /**
   * The txn whose checkpoint pieces this write supersedes (default: the record's own). They go in
   * the same transaction as the clip (or the note that it was dropped), so a crash never leaves
   * both or neither.
   */
  piecesOf?: string;
  now: number;
}

/**
 * Writes a record, its clip and their outbox entries in ONE IndexedDB transaction: after a crash
 * either all of it is there or none. A re-seal gets a fresh record entry (a new id), so a send of
 * the old version that is in flight cannot take the new version out of the outbox.
 */
export async function writeEvidence(db: KioskDb, w: EvidenceWrite): Promise<void> {
  const row = recordRow(w.record, w.replaces);
  if (w.clipDropped !== undefined) row.clipDropped = w.clipDropped;
  const supersedesPieces = w.sealed !== undefined || w.clipDropped !== undefined;
  await db.transaction('rw', [db.records, db.clips, db.outbox, db.pieces, db.pieceKeys], async () => {
    if (w.replaces) {
      await db.outbox.where('[kind+ref]').equals(['record', w.record.txn]).delete();
      await db.records.put(row);
    } else {
      await db.records.add(row);
    }
    await db.outbox.add(outboxRow('record', w.record.txn, w.now));
    if (w.sealed) {
      await db.clips.add(clipRow(w.record.txn, w.sealed));
      await db.outbox.add(outboxRow('clip', w.sealed.meta.clipId, w.now));
    }
    if (supersedesPieces) {
      const txn = w.piecesOf ?? w.record.txn;
      await db.pieces.where('txn').equals(txn).delete();
      await db.pieceKeys.delete(txn);
    }
  });
}

function recordRow(record: OrderVideoRecord, previous?: RecordRow): RecordRow {
  const row: RecordRow = {
    txn: record.txn,
    lane: record.lane,
    recordedAt: record.recordedAt,
    flagged: record.flagged,
    syncState: 'pending',
    record,
  };
  if (record.clip) row.clipId = record.clip.clipId;
  if (previous?.clipDropped !== undefined && !record.clip) row.clipDropped = previous.clipDropped;
  return row;
}

function clipRow(txn: string, sealed: SealedClip): ClipRow {
  return {
    ...sealed.meta,
    txn,
    // A Blob lets Chrome keep the bytes in a file beside the database instead of in memory.
    bytes: new Blob([sealed.bytes], { type: 'application/octet-stream' }),
    size: sealed.meta.bytes,
    uploadState: 'pending',
  };
}

function outboxRow(kind: OutboxRow['kind'], ref: string, now: number): OutboxRow {
  return { kind, ref, attempts: 0, nextAttemptAt: now };
}

/** A re-seal must be strictly newer for the server to take it (it keeps the newest recordedAt). */
export function laterThan(previousIso: string, nowMs: number): string {
  return new Date(Math.max(nowMs, Date.parse(previousIso) + 1)).toISOString();
}

/** Dexie wraps DOMExceptions (sometimes twice); the name survives at some depth. */
function hasErrorName(err: unknown, name: string): boolean {
  for (let e = err as { name?: string; inner?: unknown } | null, depth = 0; e && depth < 4; depth++) {
    if (e.name === name) return true;
    e = e.inner as typeof e;
  }
  return false;
}

export function isQuotaError(err: unknown): boolean {
  return hasErrorName(err, 'QuotaExceededError');
}

export function isConstraintError(err: unknown): boolean {
  return hasErrorName(err, 'ConstraintError');
}
