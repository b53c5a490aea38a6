import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileStore } from '@tus/file-store';
import { ClipFormatError } from '../../../src/core/evidence/clipCipher.ts';
import { StoreConflictError, StoreNotFoundError } from '../store/storeErrors.ts';
import { hashFile, readCheckedHeader } from './clipFile.ts';
import { isSha256Hex, isTxnId } from './ids.ts';
import type { EvidenceServices } from './services.ts';
import { TusError } from './tusErrors.ts';

export interface FinishedUpload {
  id: string;
  size?: number | undefined;
  metadata?: Record<string, string | null> | undefined;
}

/** Removes a tus upload (data and info file); tolerant of either being gone already. */
export async function discardUpload(datastore: FileStore, uploadsDir: string, id: string): Promise<void> {
  await fs.rm(path.join(uploadsDir, id), { force: true });
  await datastore.configstore.delete(id).catch(() => undefined);
}

/**
 * The bytes must hash to the sha256 the kiosk declared (which the record carries: checked when the
 * upload was created), and the clip header must account for exactly the bytes received, so a
 * tampered or truncated clip is refused (and deleted) before it is kept. Then it moves into the
 * content-addressed blob store.
 */
async function verifyAndStore(
  s: EvidenceServices,
  datastore: FileStore,
  id: string,
  file: string,
  declared: string,
) {
  const { sha256 } = await hashFile(file);
  if (sha256 !== declared) {
    await discardUpload(datastore, s.uploadsDir, id);
    throw new TusError(422, 'hash-mismatch', 'clip hash mismatch: upload corrupted or tampered');
  }
  let headerError: string | null = null;
  const fh = await fs.open(file, 'r');
  try {
    await readCheckedHeader(fh);
  } catch (err) {
    if (!(err instanceof ClipFormatError)) throw err;
    headerError = err.message;
  } finally {
    await fh.close();
  }
  if (headerError) {
    await discardUpload(datastore, s.uploadsDir, id);
    throw new TusError(422, 'clip-invalid', `clip rejected: ${headerError}`);
  }
  await s.blobs.putFile(file, sha256);
}

const inProgress = new Set<string>();

/**
 * Turns a complete tus upload into stored evidence, and is safe to run again: if an earlier attempt
 * moved the verified file into the blob store but failed before the record was updated (database
 * down, server stopped), a second run finds the blob and finishes the bookkeeping. On success the
 * upload is removed; on a refusal it is deleted, so the kiosk's next attempt starts a fresh one.
 */
export async function finalizeUpload(
  services: EvidenceServices,
  datastore: FileStore,
  upload: FinishedUpload,
  actor: string,
): Promise<{ sha256: string; bytes: number }> {
  const { id } = upload;
  const txn = upload.metadata?.txn;
  const sha256 = upload.metadata?.sha256;
  const { store, blobs, uploadsDir } = services;
  if (!isTxnId(txn) || !isSha256Hex(sha256)) {
    await discardUpload(datastore, uploadsDir, id);
    throw new TusError(400, 'bad-metadata', 'upload metadata lost its txn or sha256; upload again');
  }
  if (inProgress.has(id)) throw new TusError(423, 'busy', 'this upload is already being finalized; retry');
  inProgress.add(id);
  try {
    const file = path.join(uploadsDir, id);
    const present = await fs.stat(file).then(
      () => true,
      () => false,
    );
    if (present) await verifyAndStore(services, datastore, id, file, sha256);
    else if (!(await blobs.has(sha256))) {
      await discardUpload(datastore, uploadsDir, id);
      throw new TusError(410, 'upload-gone', 'the upload data is gone; upload the clip again');
    }
    const bytes = (await fs.stat(blobs.path(sha256))).size;
    try {
      await store.attachClip(txn, sha256, bytes);
    } catch (err) {
      if (!(err instanceof StoreNotFoundError || err instanceof StoreConflictError)) throw err;
      // The record went away or now names another clip: this upload can never be attached.
      await discardUpload(datastore, uploadsDir, id);
      throw new TusError(
        409,
        err instanceof StoreNotFoundError ? 'record-missing' : 'clip-mismatch',
        err.message,
      );
    }
    await store.appendAudit({
      at: new Date().toISOString(),
      actor,
      action: 'clip.upload',
      target: txn,
      detail: { clipId: upload.metadata?.clipId ?? null, sha256, bytes, uploadId: id },
    });
    await discardUpload(datastore, uploadsDir, id);
    return { sha256, bytes };
  } finally {
    inProgress.delete(id);
  }
}
