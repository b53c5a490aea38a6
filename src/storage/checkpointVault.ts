import type { OrderVideoRecord } from '../core/evidence/record.ts';
import { decryptClip, encryptClip } from '../core/evidence/clipCipher.ts';
import { joinClips, type ClipPiece } from '../recording/joinClips.ts';
import type { KioskDb, PieceRow } from './db.ts';
import type { EvidenceVault } from './evidenceVault.ts';
import { isQuotaError, type ClipInput } from './vaultWrites.ts';

/** A checkpoint as the recorder hands it out (ClipCheckpoint, minus what storage does not need). */
export interface CheckpointInput {
  txn: string;
  seq: number;
  /** Plaintext WebM piece; encrypted here, never written as is. */
  bytes: Uint8Array;
  mime: string;
  startMs: number;
  endMs: number;
  faceBlur: boolean;
  frames: number;
}

export interface CheckpointDeps {
  now(): number;
  /** Recorder frame rate: joined pieces are re-muxed at it. */
  fps: number;
  /** The lane's guide alert: part of a transaction's video was or could be lost. */
  onAlert(message: string): void;
  /** Tests may pin the key; the default is a fresh non-extractable AES-256-GCM key per transaction. */
  newKey?: () => Promise<CryptoKey>;
}

/** What recover() did with one transaction's pieces. */
export type RecoveryOutcome =
  | { kind: 'attached'; record: OrderVideoRecord }
  | { kind: 'orphan'; record: OrderVideoRecord }
  | { kind: 'superseded' }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'none' };

/** Suffix of the record an interrupted transaction's video is kept under when no order record exists. */
export const ORPHAN_SUFFIX = ':interrupted';

const newPieceKey = () =>
  crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);

/**
 * Persists the recorder's checkpoints of open transactions, so a killed browser loses at most the
 * piece being encoded (checkpointMs, 10 s by default, plus one keyframe interval).
 *
 * Pieces are encrypted like clips (AES-GCM, LCC1 chunks), but under a per-transaction key kept on
 * the kiosk (a non-extractable CryptoKey), not one wrapped only for the server: after a crash the
 * pieces must be decrypted here to be joined into one clip, which is then sealed for the server like
 * any clip. The key and its pieces live only while the transaction is open or awaiting recovery.
 */
export class CheckpointVault {
  private readonly keys = new Map<string, CryptoKey>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: KioskDb,
    private readonly vault: EvidenceVault,
    private readonly deps: CheckpointDeps,
  ) {}

  /**
   * Encrypts and stores one piece (and the transaction's key with its first piece) in one IndexedDB
   * transaction. Resolves false when storage refused it (the alert says so); the final clip still
   * comes when the transaction ends, so only crash insurance was lost.
   */
  store(lane: string, cp: CheckpointInput): Promise<boolean> {
    return this.serial(async () => {
      const known = this.keys.get(cp.txn) ?? (await this.db.pieceKeys.get(cp.txn))?.key;
      const key = known ?? (await (this.deps.newKey ?? newPieceKey)());
      const sealed = await encryptClip(cp.bytes, key);
      const now = this.deps.now();
      const row: PieceRow = {
        txn: cp.txn,
        lane,
        seq: cp.seq,
        bytes: new Blob([sealed], { type: 'application/octet-stream' }),
        size: sealed.length,
        mime: cp.mime,
        startMs: cp.startMs,
        endMs: cp.endMs,
        faceBlur: cp.faceBlur,
        frames: cp.frames,
        storedAt: now,
      };
      try {
        await this.db.transaction('rw', this.db.pieces, this.db.pieceKeys, async () => {
          if (!known) await this.db.pieceKeys.put({ txn: cp.txn, key, createdAt: now });
          await this.db.pieces.add(row);
        });
      } catch (err) {
        if (!isQuotaError(err)) throw err;
        this.deps.onAlert(
          `lane ${lane}, transaction ${cp.txn}: checkpoint ${cp.seq} not kept: storage full ` +
            '(the clip is still stored when the transaction ends, unless the browser dies first)',
        );
        return false;
      }
      this.keys.set(cp.txn, key);
      return true;
    });
  }

  /** Transactions with stored pieces, oldest piece first. */
  async pendingTxns(): Promise<string[]> {
    const rows = await this.db.pieces.orderBy('id').toArray();
    return [...new Set(rows.map((r) => r.txn))];
  }

  /**
   * The final clip of a transaction, with the pieces recorded before it joined in front. The
   * final clip covers everything since the recorder's mark; pieces that start earlier come from an
   * earlier page (the transaction was open across a reload) and would otherwise be lost when the
   * clip's write deletes them.
   */
  async withEarlierPieces(txn: string, clip: ClipInput): Promise<ClipInput> {
    const rows = await this.piecesOf(txn);
    const earlier = rows.filter((r) => r.startMs < clip.startMs);
    if (earlier.length === 0) return clip;
    const opened = await this.open(txn, earlier);
    if (typeof opened === 'string') {
      this.deps.onAlert(`lane ${rows[0]!.lane}, transaction ${txn}: video before the reload lost: ${opened}`);
      return clip;
    }
    const pieces = [...opened.pieces, { bytes: clip.bytes, startMs: clip.startMs }];
    return this.join(txn, pieces, opened.faceBlur && clip.faceBlur, rows[0]!.lane) ?? clip;
  }

  /**
   * Rebuilds the clip of a transaction that never ended on this page (killed browser, reload) from
   * its pieces: attached to its order record when one exists without a clip, otherwise kept as an
   * orphan record `<txn>:interrupted` (flagged, synced like any record). Never drops pieces silently.
   */
  recover(txn: string): Promise<RecoveryOutcome> {
    return this.serial(() => this.recoverNow(txn));
  }

  /** recover() for every transaction with pieces that `isOpen` does not claim. */
  async recoverAll(isOpen: (txn: string) => boolean): Promise<RecoveryOutcome[]> {
    const out: RecoveryOutcome[] = [];
    for (const txn of await this.pendingTxns()) if (!isOpen(txn)) out.push(await this.recover(txn));
    return out;
  }

  private async recoverNow(txn: string): Promise<RecoveryOutcome> {
    const rows = await this.piecesOf(txn);
    const first = rows[0];
    if (!first) return { kind: 'none' };
    const existing = await this.db.records.get(txn);
    if (existing && (existing.clipId !== undefined || existing.clipDropped !== undefined)) {
      // The order already has its clip (or a recorded reason for none): these pieces are late copies.
      await this.discard(txn);
      return { kind: 'superseded' };
    }
    const opened = await this.open(txn, rows);
    if (typeof opened === 'string') {
      this.deps.onAlert(`lane ${first.lane}, transaction ${txn}: interrupted video lost: ${opened}`);
      await this.discard(txn);
      return { kind: 'unreadable', reason: opened };
    }
    const clip = this.join(txn, opened.pieces, opened.faceBlur, first.lane);
    if (!clip) {
      await this.discard(txn);
      return { kind: 'unreadable', reason: 'the pieces held no frames' };
    }
    this.keys.delete(txn);
    if (existing) return { kind: 'attached', record: await this.vault.attachClip(txn, clip) };
    const orphan = orphanRecord(first.lane, txn, clip, this.deps.now());
    const record = await this.vault.saveEvidence(orphan, clip, { piecesOf: txn });
    return { kind: 'orphan', record };
  }

  private async piecesOf(txn: string): Promise<PieceRow[]> {
    const rows = await this.db.pieces.where('txn').equals(txn).toArray();
    return rows.sort((a, b) => a.startMs - b.startMs);
  }

  /** Decrypted pieces, or why they cannot be opened. */
  private async open(
    txn: string,
    rows: readonly PieceRow[],
  ): Promise<{ pieces: ClipPiece[]; faceBlur: boolean } | string> {
    const key = this.keys.get(txn) ?? (await this.db.pieceKeys.get(txn))?.key;
    if (!key) return 'the key of its pieces is missing';
    try {
      const pieces: ClipPiece[] = [];
      for (const r of rows) {
        const sealed = new Uint8Array(r.bytes instanceof Blob ? await r.bytes.arrayBuffer() : r.bytes);
        pieces.push({ bytes: await decryptClip(sealed, key), startMs: r.startMs });
      }
      return { pieces, faceBlur: rows.every((r) => r.faceBlur) };
    } catch (err) {
      return `its pieces do not decrypt (${(err as Error).message})`;
    }
  }

  private join(txn: string, pieces: ClipPiece[], faceBlur: boolean, lane: string): ClipInput | null {
    try {
      const joined = joinClips(pieces, this.deps.fps);
      if (!joined) return null;
      return {
        bytes: joined.bytes,
        mime: 'video/webm',
        startMs: joined.startMs,
        endMs: joined.endMs,
        faceBlur,
      };
    } catch (err) {
      this.deps.onAlert(
        `lane ${lane}, transaction ${txn}: pieces could not be joined: ${(err as Error).message}`,
      );
      return null;
    }
  }

  private async discard(txn: string): Promise<void> {
    this.keys.delete(txn);
    await this.db.transaction('rw', this.db.pieces, this.db.pieceKeys, async () => {
      await this.db.pieces.where('txn').equals(txn).delete();
      await this.db.pieceKeys.delete(txn);
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * The record an interrupted transaction's video is kept under when the page never learned its
 * order (a local POS whose state died with the page, or a relay that is unreachable). Flagged, so a
 * reviewer sees it and retention keeps it; its id is the txn plus a suffix, so a record the POS
 * later sends for the real txn (and its clip) never collides with it.
 */
export function orphanRecord(
  lane: string,
  txn: string,
  clip: ClipInput,
  nowMs: number,
): Omit<OrderVideoRecord, 'clip'> {
  return {
    schema: 1,
    lane,
    txn: `${txn.slice(0, 64 - ORPHAN_SUFFIX.length)}${ORPHAN_SUFFIX}`,
    status: 'open',
    startedAt: new Date(clip.startMs).toISOString(),
    lines: [],
    total: 0,
    itemCount: 0,
    counts: { added: 0, voided: 0, quantityChanged: 0, quantityReduced: 0 },
    paymentFailures: 0,
    timeline: [],
    suspicions: [],
    flagged: true,
    recordedAt: new Date(nowMs).toISOString(),
  };
}
