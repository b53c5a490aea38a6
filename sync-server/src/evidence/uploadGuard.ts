import type { FastifyRequest } from 'fastify';
import { Metadata } from '@tus/server';
import type { Principal } from '../store/evidenceStore.ts';
import { httpError } from '../auth/httpError.ts';
import { isClipId, isSha256Hex, isTxnId } from './ids.ts';
import type { EvidenceServices } from './services.ts';

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks a tus creation request before tus sees it, so every refusal is a clear JSON error and no
 * byte is accepted for a clip the server would throw away: the length must be declared and within
 * MAX_CLIP_BYTES, the metadata must name this device's lane, and the record (sent first, see
 * docs/server-api.md) must already describe exactly this clip.
 */
export async function checkUploadCreation(
  req: FastifyRequest,
  device: Principal,
  services: EvidenceServices,
  maxClipBytes: number,
): Promise<void> {
  if (header(req, 'upload-concat') !== undefined) {
    throw httpError(400, 'unsupported', 'Upload-Concat is not supported; send each clip as one upload.');
  }
  const lengthHeader = header(req, 'upload-length');
  if (lengthHeader === undefined || !/^\d{1,16}$/.test(lengthHeader)) {
    throw httpError(400, 'length-required', 'Send Upload-Length (deferred lengths are not accepted).');
  }
  const length = Number(lengthHeader);
  if (length > maxClipBytes) {
    throw httpError(413, 'too-large', `A clip may be at most ${maxClipBytes} bytes; this one is ${length}.`);
  }
  let meta: Record<string, string | null>;
  try {
    meta = Metadata.parse(header(req, 'upload-metadata') ?? '');
  } catch {
    throw httpError(400, 'bad-metadata', 'Upload-Metadata is not valid tus metadata.');
  }
  const { lane, txn, clipId, sha256 } = meta;
  if (!lane || !txn || !clipId || !sha256) {
    throw httpError(400, 'bad-metadata', 'Upload-Metadata must carry lane, txn, clipId and sha256.');
  }
  if (lane !== device.lane) {
    throw httpError(403, 'wrong-lane', `This device is enrolled for lane ${device.lane}, not ${lane}.`);
  }
  if (!isTxnId(txn) || !isClipId(clipId) || !isSha256Hex(sha256)) {
    throw httpError(
      400,
      'bad-metadata',
      'txn/clipId must be 1-64 safe characters and sha256 64 lowercase hex.',
    );
  }
  const stored = await services.store.getRecord(txn);
  if (!stored) {
    throw httpError(409, 'record-missing', `No record for ${txn} yet: POST it to /api/sync/records first.`);
  }
  if (stored.record.lane !== device.lane) {
    throw httpError(403, 'wrong-lane', `${txn} belongs to lane ${stored.record.lane}.`);
  }
  const clip = stored.record.clip;
  if (!clip || clip.clipId !== clipId || clip.sha256 !== sha256 || clip.bytes !== length) {
    throw httpError(
      409,
      'clip-mismatch',
      `The record for ${txn} describes a different clip (clipId, sha256 and bytes must match its clip).`,
    );
  }
}
