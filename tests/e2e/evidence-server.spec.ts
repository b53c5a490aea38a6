import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { APIRequestContext, APIResponse } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import { E2E_DATA_DIR, E2E_PORT, POS_TOKEN } from './support/env.ts';
import type { ClipMeta, OrderVideoRecord } from '../../src/core/evidence/record.ts';
import {
  encryptClip,
  generateClipKey,
  importServerPublicKey,
  sha256Hex,
  wrapClipKey,
} from '../../src/core/evidence/clipCipher.ts';
import { sampleRecord } from '../../sync-server/src/store/sampleRecord.testkit.ts';

/*
 * The evidence API's refusals, against the real e2e server over HTTP: every refusal carries a
 * status, a machine code and a message, and leaves nothing behind (no blob, no partial upload, no
 * attached clip).
 */

const ADMIN = { authorization: 'Bearer e2e-admin' };
const TUS = { 'tus-resumable': '1.0.0' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** Unique per run: the e2e data dir is wiped only when the server starts. */
const RUN = Date.now().toString(36);

async function enrol(request: APIRequestContext, lane: string): Promise<string> {
  const res = await request.post('/api/devices/enrol', { data: { code: 'DEMO', lane } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

interface SealedClip {
  bytes: Buffer;
  meta: ClipMeta;
}

/** A real kiosk-format clip (LCC1, AES-GCM, key wrapped for this server's public key). */
async function sealedClip(request: APIRequestContext, plainBytes = 300_000): Promise<SealedClip> {
  const { keyId, jwk } = (await (await request.get('/api/server-key')).json()) as {
    keyId: string;
    jwk: JsonWebKey;
  };
  const key = await generateClipKey();
  const plain = new Uint8Array(plainBytes);
  for (let i = 0; i < plain.length; i += 65_536) crypto.getRandomValues(plain.subarray(i, i + 65_536));
  const encrypted = await encryptClip(plain, key);
  return { bytes: Buffer.from(encrypted), meta: await metaFor(encrypted, keyId, key, jwk) };
}

async function metaFor(bytes: Uint8Array, keyId: string, key: CryptoKey, jwk: JsonWebKey): Promise<ClipMeta> {
  return {
    clipId: `c-${RUN}-${Math.random().toString(36).slice(2, 8)}`,
    mime: 'video/webm',
    bytes: bytes.length,
    sha256: await sha256Hex(bytes),
    startMs: 1_700_000_000_000,
    endMs: 1_700_000_010_000,
    faceBlur: true,
    wrappedKey: await wrapClipKey(key, await importServerPublicKey(jwk)),
    keyId,
  };
}

function recordFor(lane: string, txn: string, clip?: ClipMeta): OrderVideoRecord {
  return sampleRecord({ lane, txn, recordedAt: new Date().toISOString(), ...(clip ? { clip } : {}) });
}

async function postRecords(request: APIRequestContext, token: string, records: unknown[]) {
  return request.post('/api/sync/records', { headers: bearer(token), data: { records } });
}

function tusMetadata(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');
}

async function createUpload(
  request: APIRequestContext,
  token: string,
  fields: Record<string, string>,
  length: number,
): Promise<APIResponse> {
  return request.post('/api/uploads/', {
    headers: {
      ...bearer(token),
      ...TUS,
      'upload-length': String(length),
      'upload-metadata': tusMetadata(fields),
    },
  });
}

async function patchUpload(
  request: APIRequestContext,
  token: string,
  url: string,
  offset: number,
  body: Buffer,
) {
  return request.patch(url, {
    headers: {
      ...bearer(token),
      ...TUS,
      'upload-offset': String(offset),
      'content-type': 'application/offset+octet-stream',
    },
    data: body,
  });
}

/** `{ error, message }` of a refusal (tus sends it as text/plain). */
async function errorOf(res: APIResponse): Promise<{ error: string; message: string }> {
  const body = JSON.parse(await res.text()) as { error: string; message: string };
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(10);
  return body;
}

/**
 * POSTs a body past the server's limit, chunked, so the server refuses it while reading (413) and
 * the answer can be read; with a Content-Length it may close before a client is done writing (EPIPE).
 */
function postTooLarge(
  urlPath: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ status: number; body: { error: string; message: string } }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: E2E_PORT, path: urlPath, method: 'POST', headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(text) as { error: string; message: string },
          }),
        );
      },
    );
    // A write error after the server has answered is expected; without an answer it fails the test.
    req.on('error', (err) => setTimeout(() => reject(err), 2000));
    for (let i = 0; i < body.length; i += 65_536) req.write(body.subarray(i, i + 65_536));
    req.end();
  });
}

function blobPath(sha: string): string {
  return path.join(E2E_DATA_DIR, 'blobs', sha.slice(0, 2), sha);
}

function uploadIdOf(location: string): string {
  return location.split('/').pop()!;
}

async function storedClipSha(request: APIRequestContext, txn: string): Promise<string | undefined> {
  const res = await request.get(`/api/orders/${txn}`, { headers: ADMIN });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { clipSha256?: string }).clipSha256;
}

/** Sends a record naming `declared`, then uploads `sent` under that declaration; returns the final answer. */
async function uploadAgainst(
  request: APIRequestContext,
  token: string,
  lane: string,
  txn: string,
  declared: ClipMeta,
  sent: Buffer,
) {
  const rec = await postRecords(request, token, [recordFor(lane, txn, declared)]);
  expect(((await rec.json()) as { stored: string[] }).stored).toEqual([txn]);
  const created = await createUpload(
    request,
    token,
    { lane, txn, clipId: declared.clipId, sha256: declared.sha256 },
    declared.bytes,
  );
  expect(created.status(), await created.text()).toBe(201);
  const location = created.headers()['location']!;
  return { location, res: await patchUpload(request, token, location, 0, sent) };
}

test.describe('evidence API refusals over HTTP', () => {
  const laneA = `EA${RUN.slice(-6)}`;
  const laneB = `EB${RUN.slice(-6)}`;
  let tokenA = '';
  let tokenB = '';

  test.beforeAll(async ({ request }) => {
    tokenA = await enrol(request, laneA);
    tokenB = await enrol(request, laneB);
  });

  test('a genuine clip is stored (the control for the refusals below)', async ({ request }) => {
    const clip = await sealedClip(request);
    const txn = `T-ok-${RUN}`;
    const { res } = await uploadAgainst(request, tokenA, laneA, txn, clip.meta, clip.bytes);
    expect(res.status(), await res.text()).toBe(204);
    expect(await storedClipSha(request, txn)).toBe(clip.meta.sha256);
    expect(fs.existsSync(blobPath(clip.meta.sha256))).toBe(true);
  });

  test('a tampered clip (bytes changed, SHA-256 differs) is refused and nothing is stored', async ({
    request,
  }) => {
    const clip = await sealedClip(request);
    const tampered = Buffer.from(clip.bytes);
    tampered[tampered.length >> 1]! ^= 0xff;
    const txn = `T-tamper-${RUN}`;
    const { location, res } = await uploadAgainst(request, tokenA, laneA, txn, clip.meta, tampered);
    expect(res.status()).toBe(422);
    const body = await errorOf(res);
    expect(body.error).toBe('hash-mismatch');
    expect(body.message).toMatch(/corrupted or tampered/);

    expect(await storedClipSha(request, txn)).toBeUndefined();
    expect(fs.existsSync(blobPath(clip.meta.sha256))).toBe(false);
    expect(fs.existsSync(blobPath(await sha256Hex(tampered)))).toBe(false);
    expect(fs.existsSync(path.join(E2E_DATA_DIR, 'uploads', uploadIdOf(location)))).toBe(false);
    const head = await request.head(location, { headers: { ...bearer(tokenA), ...TUS } });
    expect(head.status()).toBe(404);
  });

  test('a truncated clip (hash declared for the short file) is refused as invalid', async ({ request }) => {
    const clip = await sealedClip(request);
    const short = clip.bytes.subarray(0, clip.bytes.length - 1000);
    const declared: ClipMeta = { ...clip.meta, bytes: short.length, sha256: await sha256Hex(short) };
    const txn = `T-trunc-${RUN}`;
    const { location, res } = await uploadAgainst(request, tokenA, laneA, txn, declared, short);
    expect(res.status()).toBe(422);
    const body = await errorOf(res);
    expect(body.error).toBe('clip-invalid');

    expect(await storedClipSha(request, txn)).toBeUndefined();
    expect(fs.existsSync(blobPath(declared.sha256))).toBe(false);
    expect(fs.existsSync(path.join(E2E_DATA_DIR, 'uploads', uploadIdOf(location)))).toBe(false);
  });

  test('a wrong or missing token is 401 with a message, and stores nothing', async ({ request }) => {
    const txn = `T-401-${RUN}`;
    for (const headers of [bearer('not-a-real-token-0000000000000000000000000'), {}]) {
      const res = await request.post('/api/sync/records', {
        headers,
        data: { records: [recordFor(laneA, txn)] },
      });
      expect(res.status()).toBe(401);
      expect((await errorOf(res)).error).toBe('unauthorized');
    }
    const created = await createUpload(
      request,
      'bogus',
      { lane: laneA, txn, clipId: 'c', sha256: 'a'.repeat(64) },
      10,
    );
    expect(created.status()).toBe(401);
    expect((await request.get(`/api/orders/${txn}`, { headers: ADMIN })).status()).toBe(404);
  });

  test("another lane's device token is refused as wrong-lane for records and uploads", async ({
    request,
  }) => {
    const txn = `T-lane-${RUN}`;
    const rec = await postRecords(request, tokenB, [recordFor(laneA, txn)]);
    expect(rec.status()).toBe(403);
    const body = await errorOf(rec);
    expect(body.error).toBe('wrong-lane');
    expect(body.message).toContain(laneB);
    expect((await request.get(`/api/orders/${txn}`, { headers: ADMIN })).status()).toBe(404);

    // Lane A's record and upload exist; lane B may neither create, resume nor probe it.
    const clip = await sealedClip(request);
    expect((await postRecords(request, tokenA, [recordFor(laneA, txn, clip.meta)])).status()).toBe(200);
    const fields = { lane: laneA, txn, clipId: clip.meta.clipId, sha256: clip.meta.sha256 };
    const foreignCreate = await createUpload(request, tokenB, fields, clip.meta.bytes);
    expect(foreignCreate.status()).toBe(403);
    expect((await errorOf(foreignCreate)).error).toBe('wrong-lane');

    const created = await createUpload(request, tokenA, fields, clip.meta.bytes);
    expect(created.status()).toBe(201);
    const location = created.headers()['location']!;
    const foreignPatch = await patchUpload(request, tokenB, location, 0, clip.bytes);
    expect(foreignPatch.status()).toBe(403);
    expect((await errorOf(foreignPatch)).error).toBe('wrong-lane');
    const head = await request.head(location, { headers: { ...bearer(tokenA), ...TUS } });
    expect(head.headers()['upload-offset']).toBe('0');
    expect(await storedClipSha(request, txn)).toBeUndefined();
  });

  test('path traversal in lane, txn and upload ids is refused with 400', async ({ request }) => {
    const pos = await request.post('/api/lanes/..%2F..%2Fetc/pos-events', {
      headers: bearer(POS_TOKEN),
      data: [],
    });
    expect(pos.status()).toBe(400);
    expect((await errorOf(pos)).error).toBe('bad-lane');

    const status = await request.put('/api/lanes/..%2Fboard/status', { headers: bearer(tokenA), data: {} });
    expect(status.status()).toBe(400);
    expect((await errorOf(status)).error).toBe('bad-lane');

    const order = await request.get('/api/orders/..%2F..%2Fkeys', { headers: ADMIN });
    expect(order.status()).toBe(400);
    expect((await errorOf(order)).error).toBe('bad-txn');

    const evil = '../../keys/server-private';
    const rec = await postRecords(request, tokenA, [recordFor(laneA, evil)]);
    expect(rec.status()).toBe(200);
    const answer = (await rec.json()) as { stored: string[]; rejected: { txn: string; error: string }[] };
    expect(answer.stored).toEqual([]);
    expect(answer.rejected[0]?.error).toMatch(/txn/);

    const meta = await createUpload(
      request,
      tokenA,
      { lane: laneA, txn: evil, clipId: 'c1', sha256: 'a'.repeat(64) },
      100,
    );
    expect(meta.status()).toBe(400);
    expect((await errorOf(meta)).error).toBe('bad-metadata');

    const upload = await request.patch('/api/uploads/..%2F..%2Fkeys%2Fserver-private.pem', {
      headers: {
        ...bearer(tokenA),
        ...TUS,
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      data: Buffer.from('x'),
    });
    expect(upload.status()).toBe(400);
    expect((await errorOf(upload)).error).toBe('bad-upload-id');
    expect(fs.existsSync(path.join(E2E_DATA_DIR, 'keys', 'server-private.pem'))).toBe(true);
  });

  test('oversized bodies are refused with 413 before they are stored', async ({ request }) => {
    const txn = `T-big-${RUN}`;
    const clip = await sealedClip(request);
    const huge: ClipMeta = { ...clip.meta, bytes: 300 * 1024 * 1024 };
    await postRecords(request, tokenA, [recordFor(laneA, txn, huge)]);
    const created = await createUpload(
      request,
      tokenA,
      { lane: laneA, txn, clipId: huge.clipId, sha256: huge.sha256 },
      huge.bytes,
    );
    expect(created.status()).toBe(413);
    const body = await errorOf(created);
    expect(body.error).toBe('too-large');
    expect(body.message).toContain(String(huge.bytes));

    // A record batch past MAX_RECORDS_BODY_BYTES (16 MB) never reaches the route.
    const padding = 'x'.repeat(17 * 1024 * 1024);
    const records = await postTooLarge(
      '/api/sync/records',
      { ...bearer(tokenA), 'content-type': 'application/json' },
      Buffer.from(JSON.stringify({ records: [recordFor(laneA, `${txn}-2`)], padding })),
    );
    expect(records.status).toBe(413);
    expect(records.body.message).toMatch(/too large/i);
    expect((await request.get(`/api/orders/${txn}-2`, { headers: ADMIN })).status()).toBe(404);

    // POS events past MAX_BODY_BYTES (1 MB).
    const pos = await postTooLarge(
      `/api/lanes/${laneA}/pos-events`,
      { ...bearer(POS_TOKEN), 'content-type': 'application/json' },
      Buffer.from(JSON.stringify([{ padding: 'x'.repeat(2 * 1024 * 1024) }])),
    );
    expect(pos.status).toBe(413);
    expect(pos.body.message).toMatch(/too large/i);
  });
});
