import fs from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { ClipFormatError } from '../../../src/core/evidence/clipCipher.ts';
import type { EvidenceStore, Principal } from '../store/evidenceStore.ts';
import type { Auth } from '../auth/authenticate.ts';
import { httpError } from '../auth/httpError.ts';
import { parseRange } from './byteRange.ts';
import { decryptPieces, decryptSpan, openClip, type OpenClip } from './clipStream.ts';
import { isSha256Hex } from './ids.ts';
import { txnParam } from './orderRoutes.ts';
import type { LazyServices } from './services.ts';

/**
 * Decrypted up front, before any header goes out, so a corrupt clip start is a clean 500 rather than a
 * cut connection. Anything past it streams; a chunk failing later aborts the response (and is audited).
 */
const PREFETCH_BYTES = 4 * 1024 * 1024;

async function auditCorrupt(
  store: EvidenceStore,
  who: Principal,
  txn: string,
  sha256: string,
  reason: string,
) {
  await store.appendAudit({
    at: new Date().toISOString(),
    actor: who.id,
    action: 'clip.corrupt',
    target: txn,
    detail: { sha256, reason },
  });
}

/**
 * Streams an order's clip decrypted, with HTTP Range so a player can seek. Every access is written
 * to the audit log (who, which range) before a single byte leaves, and if the audit write fails, so
 * does the request.
 */
export function registerClipRoutes(app: FastifyInstance, auth: Auth, services: LazyServices): void {
  app.get<{ Params: { txn: string } }>(
    '/api/orders/:txn/clip',
    // Guides review lane events on the floor (guide 7.2.3), so they may watch clips too; all views are audited.
    { preHandler: auth.requireRole('admin', 'lossPrevention', 'guide'), exposeHeadRoute: false },
    async (req, reply) => {
      const txn = txnParam(req);
      const who = auth.principalOf(req);
      const { store, blobs, keys } = await services.get();
      const stored = await store.getRecord(txn);
      if (!stored) throw httpError(404, 'not-found', `No record for ${txn}.`);
      const meta = stored.record.clip;
      const sha256 = stored.clipSha256;
      if (!meta || !sha256) throw httpError(404, 'no-clip', `The clip for ${txn} has not been uploaded yet.`);
      if (!isSha256Hex(sha256) || !(await blobs.has(sha256))) {
        throw httpError(404, 'clip-missing', `The clip file for ${txn} is no longer stored.`);
      }
      if (meta.keyId !== keys.keyId) {
        throw httpError(
          409,
          'unknown-key',
          `The clip was wrapped for server key ${meta.keyId}; this server holds ${keys.keyId}.`,
        );
      }
      const fh = await fs.open(blobs.path(sha256), 'r');
      let clip: OpenClip;
      try {
        clip = await openClip(fh, meta.wrappedKey, keys.privateKey);
      } catch (err) {
        await fh.close();
        if (!(err instanceof ClipFormatError)) throw err;
        await auditCorrupt(store, who, txn, sha256, err.message);
        throw httpError(500, 'clip-corrupt', `The stored clip for ${txn} is corrupt: ${err.message}`);
      }
      const size = clip.header.plainLength;
      const range = parseRange(req.headers.range, size);
      if (range.kind === 'unsatisfiable') {
        await fh.close();
        reply.header('content-range', `bytes */${size}`);
        throw httpError(416, 'bad-range', `Cannot serve that range: ${range.reason}.`);
      }
      const [start, end] = range.kind === 'range' ? [range.start, range.end] : [0, size - 1];
      try {
        await store.appendAudit({
          at: new Date().toISOString(),
          actor: who.id,
          action: 'clip.view',
          target: txn,
          detail: {
            role: who.role,
            range: range.kind === 'range' ? `bytes=${start}-${end}` : 'full',
            sha256,
          },
        });
      } catch (err) {
        await fh.close();
        throw err;
      }
      const prefetchEnd = Math.min(end, start + PREFETCH_BYTES - 1);
      let first: Uint8Array = new Uint8Array(0);
      try {
        if (size > 0) first = await decryptSpan(clip, start, prefetchEnd);
      } catch (err) {
        await fh.close();
        if (!(err instanceof ClipFormatError)) throw err;
        await auditCorrupt(store, who, txn, sha256, err.message);
        throw httpError(
          500,
          'clip-corrupt',
          `The stored clip for ${txn} failed authentication: ${err.message}`,
        );
      }
      const body = async function* (): AsyncGenerator<Uint8Array> {
        yield first;
        if (prefetchEnd < end) {
          try {
            yield* decryptPieces(clip, prefetchEnd + 1, end);
          } catch (err) {
            if (err instanceof ClipFormatError) await auditCorrupt(store, who, txn, sha256, err.message);
            throw err;
          }
        }
      };
      const stream = Readable.from(body());
      // 'close' fires on completion, error and client abort alike, even if the body never started.
      stream.once('close', () => void fh.close().catch(() => undefined));
      reply
        .code(range.kind === 'range' ? 206 : 200)
        .header('content-type', meta.mime)
        .header('accept-ranges', 'bytes')
        .header('content-length', String(size === 0 ? 0 : end - start + 1))
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff');
      if (range.kind === 'range') reply.header('content-range', `bytes ${start}-${end}/${size}`);
      return reply.send(stream);
    },
  );
}
