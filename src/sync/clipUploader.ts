import { SYNC_API } from '../core/evidence/syncApi.ts';
import type { ClipRow, OutboxRow } from '../storage/db.ts';
import { classifyFailure, parseServerError } from './http.ts';
import { deferClip, markClipUploaded, markFailed, requeueRecord, retryLater } from './outbox.ts';
import type { SenderContext, StepOutcome } from './recordSender.ts';
import { tusErrorResponse, type TusHandle, type TusOptions, type TusUploadFactory } from './tus.ts';

export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

export interface ClipUploadContext extends SenderContext {
  tusUpload: TusUploadFactory;
  chunkSize: number;
  onProgress(p: { clipId: string; sent: number; total: number }): void;
  /** The agent keeps the handle so stop() can abort the upload in flight. */
  setCurrent(abort: (() => void) | null): void;
}

type UploadResult = { kind: 'done' } | { kind: 'aborted' } | { kind: 'error'; error: Error };

/**
 * Uploads one clip with tus. Its upload URL is written to the clip row the moment the server
 * creates the upload, so after a reload or a killed browser the next attempt passes it back as
 * `uploadUrl` and tus continues from the server's offset instead of starting over.
 */
export async function uploadClip(ctx: ClipUploadContext, entry: OutboxRow): Promise<StepOutcome> {
  const clip = await ctx.db.clips.get(entry.ref);
  if (!clip) {
    // Dropped by the emergency rule while queued: nothing left to send.
    if (entry.id !== undefined) await ctx.db.outbox.delete(entry.id);
    return 'continue';
  }
  const record = await ctx.db.records.get(clip.txn);
  if (!record) {
    await markFailed(ctx.db, entry, `clip ${clip.clipId}: its record ${clip.txn} is missing`, ctx.now());
    ctx.report.failed(`clip ${clip.clipId}: its record ${clip.txn} is missing`);
    return 'continue';
  }
  if (record.recordStoredAt === undefined) {
    // The server attaches a clip to a stored record: send the record first.
    await deferClip(ctx.db, entry, clip.txn, ctx.now());
    return 'continue';
  }

  await ctx.db.clips.update(clip.clipId, { uploadState: 'uploading' });
  const result = await runTus(ctx, clip, record.lane);
  const now = ctx.now();
  if (result.kind === 'done') {
    await markClipUploaded(ctx.db, entry, now);
    ctx.report.success();
    return 'continue';
  }
  await ctx.db.clips.update(clip.clipId, { uploadState: 'pending' });
  if (result.kind === 'aborted') return 'stop';

  return handleFailure(ctx, entry, clip, result.error, now);
}

async function handleFailure(
  ctx: ClipUploadContext,
  entry: OutboxRow,
  clip: ClipRow,
  error: Error,
  now: number,
): Promise<StepOutcome> {
  const res = tusErrorResponse(error);
  if (!res) {
    const message = `clip ${clip.clipId}: store server unreachable (${error.message})`;
    await retryLater(ctx.db, [entry], message, now, ctx.random);
    ctx.report.transient(message, { reached: false });
    return 'stop';
  }
  const err = parseServerError(res.body, res.status);
  const message = `clip ${clip.clipId}: HTTP ${res.status}: ${err.message}`;
  const kind = classifyFailure(res.status, err.code, 'clip');
  if (kind === 'auth') {
    ctx.report.rejected(res.status, err.message);
    return 'stop';
  }
  if (kind === 'transient') {
    await retryLater(ctx.db, [entry], message, now, ctx.random);
    ctx.report.transient(message, { reached: true });
    return 'stop';
  }
  // Whatever else happened, the server no longer holds a usable partial upload: start afresh next time.
  await ctx.db.clips
    .where('clipId')
    .equals(clip.clipId)
    .modify((c) => {
      delete c.uploadUrl;
    });
  if (kind === 'gone') {
    await retryLater(ctx.db, [entry], `${message} (starting a new upload)`, now, ctx.random);
    return 'continue';
  }
  if (kind === 'record-missing') {
    // The server lost the record (e.g. restored from an older backup): send it again, then the clip.
    await requeueRecord(ctx.db, clip.txn, now);
    await retryLater(ctx.db, [entry], message, now, ctx.random);
    return 'continue';
  }
  const failure = `clip ${clip.clipId} refused: HTTP ${res.status}: ${err.message}`;
  await markFailed(ctx.db, entry, failure, now);
  ctx.report.failed(failure);
  return 'continue';
}

function runTus(ctx: ClipUploadContext, clip: ClipRow, lane: string): Promise<UploadResult> {
  const file = clip.bytes instanceof Blob ? clip.bytes : new Blob([clip.bytes]);
  let urlSaved: Promise<unknown> = Promise.resolve();
  return new Promise<UploadResult>((resolve) => {
    let settled = false;
    const finish = (r: UploadResult) => {
      if (settled) return;
      settled = true;
      ctx.setCurrent(null);
      // Never report success before the upload URL write landed: the row must agree with the server.
      void urlSaved.then(
        () => resolve(r),
        () => resolve(r),
      );
    };
    const opts: TusOptions = {
      endpoint: new URL(SYNC_API.uploads, ctx.baseUrl).toString(),
      uploadUrl: clip.uploadUrl ?? null,
      metadata: { lane, txn: clip.txn, clipId: clip.clipId, sha256: clip.sha256 },
      headers: { authorization: `Bearer ${ctx.token}` },
      chunkSize: ctx.chunkSize,
      retryDelays: null,
      storeFingerprintForResuming: false,
      removeFingerprintOnSuccess: false,
      onUploadUrlAvailable: () => {
        const url = handle.url;
        if (url && url !== clip.uploadUrl) {
          urlSaved = ctx.db.clips.update(clip.clipId, { uploadUrl: url });
        }
      },
      onChunkComplete: (_size, accepted, total) =>
        ctx.onProgress({ clipId: clip.clipId, sent: accepted, total }),
      onSuccess: () => finish({ kind: 'done' }),
      onError: (error) => finish({ kind: 'error', error }),
    };
    const handle: TusHandle = ctx.tusUpload(file, opts);
    ctx.setCurrent(() => {
      void handle.abort();
      finish({ kind: 'aborted' });
    });
    handle.start();
  });
}
