import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tus from 'tus-js-client';
import { sha256Hex } from '../../../src/core/evidence/clipCipher.ts';
import type { ClipMeta } from '../../../src/core/evidence/record.ts';
import {
  bearer,
  deviceToken,
  makeClip,
  makeRecord,
  randomBytes,
  startHarness,
  type Harness,
} from './testing/harness.ts';

let h: Harness;
let base: string;
let l01: string;
let l02: string;
beforeAll(async () => {
  h = await startHarness({ MAX_CLIP_BYTES: String(2 * 1024 * 1024) });
  base = await h.built.app.listen({ host: '127.0.0.1', port: 0 });
  l01 = await deviceToken(h, 'L01');
  l02 = await deviceToken(h, 'L02');
});
afterAll(() => h.close());

async function syncRecord(lane: string, txn: string, token: string, clip?: ClipMeta) {
  const res = await fetch(`${base}/api/sync/records`, {
    method: 'POST',
    headers: { ...bearer(token), 'content-type': 'application/json' },
    body: JSON.stringify({ records: [makeRecord(lane, txn, clip)] }),
  });
  expect(res.status).toBe(200);
}

function meta(lane: string, txn: string, clip: ClipMeta): Record<string, string> {
  return { lane, txn, clipId: clip.clipId, sha256: clip.sha256, filetype: clip.mime };
}

interface Outcome {
  ok: boolean;
  status?: number;
  body?: string;
  url: string | null;
}

/** Runs a tus-js-client upload to completion (or failure) and reports how it ended. */
function upload(
  data: Uint8Array,
  token: string,
  metadata: Record<string, string>,
  opts: Partial<tus.UploadOptions> = {},
) {
  return new Promise<Outcome>((resolve) => {
    const u: tus.Upload = new tus.Upload(Buffer.from(data), {
      endpoint: `${base}/api/uploads/`,
      headers: bearer(token),
      metadata,
      chunkSize: 64 * 1024,
      retryDelays: null,
      ...opts,
      onSuccess: () => resolve({ ok: true, url: u.url }),
      onError: (err) => {
        const res = (err as tus.DetailedError).originalResponse;
        resolve({ ok: false, status: res?.getStatus(), body: res?.getBody(), url: u.url });
      },
    });
    u.start();
  });
}

describe('tus uploads', () => {
  it('takes a full clip from tus-js-client, verifies it and attaches it to the record', async () => {
    const { encrypted, meta: clip } = await makeClip(h.keys, randomBytes(300_000));
    await syncRecord('L01', 'U-1', l01, clip);
    const outcome = await upload(encrypted, l01, meta('L01', 'U-1', clip));
    expect(outcome).toMatchObject({ ok: true });
    const stored = await h.services.store.getRecord('U-1');
    expect(stored).toMatchObject({ clipSha256: clip.sha256, clipBytes: encrypted.length });
    expect(await sha256Hex(fs.readFileSync(h.services.blobs.path(clip.sha256)))).toBe(clip.sha256);
    // The finished upload leaves nothing behind in the tus working directory.
    expect(fs.readdirSync(h.services.uploadsDir)).toEqual([]);
    const audit = await h.services.store.listAudit({ limit: 1000 });
    expect(audit.find((e) => e.action === 'clip.upload' && e.target === 'U-1')).toBeDefined();
  });

  it('resumes an interrupted upload from the offset the server reports', async () => {
    const { encrypted, meta: clip } = await makeClip(h.keys, randomBytes(400_000));
    await syncRecord('L01', 'U-2', l01, clip);
    // First attempt: stop after the first chunk, as if the kiosk were switched off.
    const firstUrl = await new Promise<string>((resolve, reject) => {
      const u: tus.Upload = new tus.Upload(Buffer.from(encrypted), {
        endpoint: `${base}/api/uploads/`,
        headers: bearer(l01),
        metadata: meta('L01', 'U-2', clip),
        chunkSize: 64 * 1024,
        retryDelays: null,
        onChunkComplete: () => {
          void u.abort().then(() => resolve(u.url!));
        },
        onError: reject,
      });
      u.start();
    });
    const head = await fetch(new URL(firstUrl, base), {
      method: 'HEAD',
      headers: { ...bearer(l01), 'tus-resumable': '1.0.0' },
    });
    expect(head.status).toBe(200);
    const offset = Number(head.headers.get('upload-offset'));
    expect(offset).toBe(64 * 1024);
    expect(Number(head.headers.get('upload-length'))).toBe(encrypted.length);

    const sent: number[] = [];
    const outcome = await upload(encrypted, l01, meta('L01', 'U-2', clip), {
      uploadUrl: firstUrl,
      onProgress: (bytes) => sent.push(bytes),
    });
    expect(outcome).toMatchObject({ ok: true, url: firstUrl });
    // Progress starts past the resumed offset: the first chunk was not sent again.
    expect(Math.min(...sent)).toBeGreaterThanOrEqual(offset);
    expect((await h.services.store.getRecord('U-2'))?.clipSha256).toBe(clip.sha256);
  });

  it('finishes a complete upload on the next HEAD if the server failed while finalizing it', async () => {
    const { encrypted, meta: clip } = await makeClip(h.keys, randomBytes(100_000));
    await syncRecord('L01', 'U-7', l01, clip);
    const store = h.services.store;
    const attach = store.attachClip.bind(store);
    store.attachClip = async () => {
      throw new Error('database went away');
    };
    const failed = await upload(encrypted, l01, meta('L01', 'U-7', clip));
    store.attachClip = attach;
    expect(failed).toMatchObject({ ok: false, status: 500 });
    expect((await store.getRecord('U-7'))?.clipSha256).toBeUndefined();
    // tus-js-client resumes with HEAD; a complete upload must not be taken as done unless it is stored.
    const head = await fetch(new URL(failed.url!, base), {
      method: 'HEAD',
      headers: { ...bearer(l01), 'tus-resumable': '1.0.0' },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(encrypted.length));
    expect((await store.getRecord('U-7'))?.clipSha256).toBe(clip.sha256);
  });

  it('rejects a tampered clip (hash mismatch) and deletes the upload', async () => {
    const { encrypted, meta: clip } = await makeClip(h.keys, randomBytes(100_000));
    await syncRecord('L01', 'U-3', l01, clip);
    const tampered = encrypted.slice();
    tampered[5000] = tampered[5000]! ^ 0xff;
    const outcome = await upload(tampered, l01, meta('L01', 'U-3', clip));
    expect(outcome.ok).toBe(false);
    expect(outcome.status).toBe(422);
    expect(JSON.parse(outcome.body!)).toEqual({
      error: 'hash-mismatch',
      message: 'clip hash mismatch: upload corrupted or tampered',
    });
    expect((await h.services.store.getRecord('U-3'))?.clipSha256).toBeUndefined();
    expect(await h.services.blobs.has(clip.sha256)).toBe(false);
    const id = outcome.url!.split('/').pop()!;
    expect(fs.existsSync(path.join(h.services.uploadsDir, id))).toBe(false);
  });

  it('rejects a truncated clip even when its hash was declared for the short file', async () => {
    const { encrypted, meta: full } = await makeClip(h.keys, randomBytes(100_000));
    const short = encrypted.slice(0, encrypted.length - 1000);
    const clip = { ...full, bytes: short.length, sha256: await sha256Hex(short) };
    await syncRecord('L01', 'U-4', l01, clip);
    const outcome = await upload(short, l01, meta('L01', 'U-4', clip));
    expect(outcome.status).toBe(422);
    expect(JSON.parse(outcome.body!)).toMatchObject({
      error: 'clip-invalid',
      message: expect.stringMatching(/truncated/),
    });
    expect((await h.services.store.getRecord('U-4'))?.clipSha256).toBeUndefined();
  });

  it('answers 413 for an Upload-Length over MAX_CLIP_BYTES before any byte is sent', async () => {
    const res = await fetch(`${base}/api/uploads/`, {
      method: 'POST',
      headers: {
        ...bearer(l01),
        'tus-resumable': '1.0.0',
        'upload-length': String(3 * 1024 * 1024),
        'upload-metadata': `lane ${btoa('L01')},txn ${btoa('U-1')},clipId ${btoa('c')},sha256 ${btoa('a'.repeat(64))}`,
      },
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'too-large' });
  });

  it("refuses another lane's device when creating and when resuming an upload", async () => {
    const { encrypted, meta: clip } = await makeClip(h.keys, randomBytes(200_000));
    await syncRecord('L01', 'U-5', l01, clip);
    const create = await upload(encrypted, l02, meta('L01', 'U-5', clip));
    expect(create.status).toBe(403);
    expect(JSON.parse(create.body!)).toMatchObject({ error: 'wrong-lane' });

    const url = await new Promise<string>((resolve, reject) => {
      const u: tus.Upload = new tus.Upload(Buffer.from(encrypted), {
        endpoint: `${base}/api/uploads/`,
        headers: bearer(l01),
        metadata: meta('L01', 'U-5', clip),
        chunkSize: 64 * 1024,
        retryDelays: null,
        onChunkComplete: () => void u.abort().then(() => resolve(u.url!)),
        onError: reject,
      });
      u.start();
    });
    const headers = { ...bearer(l02), 'tus-resumable': '1.0.0' };
    expect((await fetch(new URL(url, base), { method: 'HEAD', headers })).status).toBe(403);
    const patch = await fetch(new URL(url, base), {
      method: 'PATCH',
      headers: {
        ...headers,
        'upload-offset': String(64 * 1024),
        'content-type': 'application/offset+octet-stream',
      },
      body: Buffer.alloc(10),
    });
    expect(patch.status).toBe(403);
    expect(await patch.json()).toMatchObject({ error: 'wrong-lane' });
  });

  it('requires a device token, the record first, and metadata matching the record', async () => {
    const { encrypted, meta: clip } = await makeClip(h.keys, randomBytes(50_000));
    expect((await upload(encrypted, 'bogus', meta('L01', 'U-6', clip))).status).toBe(401);
    const early = await upload(encrypted, l01, meta('L01', 'U-6', clip));
    expect(early.status).toBe(409);
    expect(JSON.parse(early.body!)).toMatchObject({ error: 'record-missing' });
    await syncRecord('L01', 'U-6', l01, clip);
    const wrong = await upload(encrypted, l01, { ...meta('L01', 'U-6', clip), sha256: 'b'.repeat(64) });
    expect(JSON.parse(wrong.body!)).toMatchObject({ error: 'clip-mismatch' });
    const missing = await upload(encrypted, l01, { lane: 'L01', txn: 'U-6' });
    expect(JSON.parse(missing.body!)).toMatchObject({ error: 'bad-metadata' });
  });

  it('refuses path traversal in upload ids', async () => {
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '..%2Fkeys%2Fserver-private.pem', '%2E%2E%2Fx%2F..%2F..']) {
      const res = await fetch(`${base}/api/uploads/${id}`, {
        method: 'HEAD',
        headers: { ...bearer(l01), 'tus-resumable': '1.0.0' },
      });
      expect(res.status, id).toBe(400);
    }
    const res = await fetch(`${base}/api/uploads/..%2F..%2Fkeys`, {
      method: 'DELETE',
      headers: { ...bearer(l01), 'tus-resumable': '1.0.0' },
    });
    expect(await res.json()).toMatchObject({ error: 'bad-upload-id' });
    // A raw "../" (which fetch would normalise away) reaches the same check.
    const status = await new Promise<number>((resolve, reject) => {
      const { port } = new URL(base);
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'HEAD',
          path: '/api/uploads/../keys/server-private.pem',
          headers: { ...bearer(l01), 'tus-resumable': '1.0.0' },
        },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
  });
});
