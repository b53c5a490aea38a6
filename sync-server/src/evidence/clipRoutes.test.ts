import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClipMeta } from '../../../src/core/evidence/record.ts';
import {
  ADMIN_TOKEN,
  auditLog,
  bearer,
  deviceToken,
  makeClip,
  makeRecord,
  randomBytes,
  startHarness,
  userToken,
  type Harness,
} from './testing/harness.ts';

let h: Harness;
let lp: string;
let guide: string;
let device: string;
const plain = randomBytes(150_000);
let clip: ClipMeta;

/** Stores a record and its clip directly, as a finished upload would. */
async function storeClip(txn: string, encrypted: Uint8Array, meta: ClipMeta) {
  await h.services.store.upsertRecord(makeRecord('L01', txn, meta), new Date().toISOString());
  const tmp = `${h.dir}/${txn}.tmp`;
  fs.writeFileSync(tmp, encrypted);
  await h.services.blobs.putFile(tmp, meta.sha256);
  await h.services.store.attachClip(txn, meta.sha256, encrypted.length);
}

beforeAll(async () => {
  h = await startHarness();
  lp = await userToken(h, 'lossPrevention');
  guide = await userToken(h, 'guide');
  device = await deviceToken(h, 'L01');
  const made = await makeClip(h.keys, plain, { chunkSize: 16 * 1024 });
  clip = made.meta;
  await storeClip('C-1', made.encrypted, clip);
});
afterAll(() => h.close());

const get = (url: string, token: string, range?: string) =>
  h.built.app.inject({ method: 'GET', url, headers: { ...bearer(token), ...(range ? { range } : {}) } });

const clipViews = async () =>
  (await auditLog(h)).filter((e) => e.action === 'clip.view' && e.target === 'C-1');

describe('GET /api/orders/:txn/clip', () => {
  it('streams the whole decrypted clip with its type', async () => {
    const res = await get('/api/orders/C-1/clip', lp);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('video/webm;codecs=vp8');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(Number(res.headers['content-length'])).toBe(plain.length);
    expect(Buffer.compare(res.rawPayload, Buffer.from(plain))).toBe(0);
  });

  it('serves ranges as exactly the decrypted bytes, across chunk boundaries', async () => {
    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      ['bytes=16380-16390', 16380, 16390],
      ['bytes=40000-', 40000, plain.length - 1],
      ['bytes=-1000', plain.length - 1000, plain.length - 1],
      ['bytes=149999-149999', 149999, 149999],
    ];
    for (const [range, start, end] of cases) {
      const res = await get('/api/orders/C-1/clip', guide, range);
      expect(res.statusCode, range).toBe(206);
      expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/${plain.length}`);
      expect(Buffer.compare(res.rawPayload, Buffer.from(plain.subarray(start, end + 1))), range).toBe(0);
    }
  });

  it('answers 416 for a range it cannot serve', async () => {
    for (const range of [`bytes=${plain.length}-`, 'bytes=10-5', 'bytes=0-1,5-9', 'pages=1']) {
      const res = await get('/api/orders/C-1/clip', lp, range);
      expect(res.statusCode, range).toBe(416);
      expect(res.headers['content-range']).toBe(`bytes */${plain.length}`);
      expect(res.json()).toMatchObject({ error: 'bad-range' });
    }
  });

  it('audits every access with actor and range before sending bytes', async () => {
    const before = (await clipViews()).length;
    await get('/api/orders/C-1/clip', lp, 'bytes=100-199');
    await get('/api/orders/C-1/clip', guide);
    const views = (await clipViews()).slice(before);
    expect(views).toHaveLength(2);
    expect(views[0]).toMatchObject({
      actor: expect.stringMatching(/^usr_/),
      detail: { range: 'bytes=100-199', role: 'lossPrevention' },
    });
    expect(views[1]).toMatchObject({ detail: { range: 'full', role: 'guide' } });
    // If the audit cannot be written, nothing is served.
    const store = h.services.store;
    const append = store.appendAudit.bind(store);
    store.appendAudit = async () => {
      throw new Error('audit log unavailable');
    };
    const res = await get('/api/orders/C-1/clip', lp);
    store.appendAudit = append;
    expect(res.statusCode).toBe(500);
    expect(res.rawPayload.length).toBeLessThan(200);
  });

  it('refuses devices and unknown callers, and validates the txn', async () => {
    expect((await get('/api/orders/C-1/clip', device)).statusCode).toBe(403);
    expect((await get('/api/orders/C-1/clip', 'nope')).statusCode).toBe(401);
    expect((await get('/api/orders/..%2F..%2Fkeys/clip', lp)).json()).toMatchObject({ error: 'bad-txn' });
    expect((await get('/api/orders/NOPE/clip', lp)).statusCode).toBe(404);
    await h.services.store.upsertRecord(makeRecord('L01', 'C-NOCLIP'), new Date().toISOString());
    expect((await get('/api/orders/C-NOCLIP/clip', lp)).json()).toMatchObject({ error: 'no-clip' });
  });

  it('answers 500 and audits clip.corrupt when a chunk fails authentication', async () => {
    const made = await makeClip(h.keys, randomBytes(60_000), { chunkSize: 16 * 1024, clipId: 'bad' });
    // Stored as uploaded (hash of the good file), then damaged on disk afterwards.
    await storeClip('C-2', made.encrypted, made.meta);
    const file = h.services.blobs.path(made.meta.sha256);
    const bytes = fs.readFileSync(file);
    const inChunk1 = 29 + 16 * 1024 + 16 + 100;
    bytes.writeUInt8(bytes.readUInt8(inChunk1) ^ 0x01, inChunk1);
    fs.writeFileSync(file, bytes);
    const ok = await get('/api/orders/C-2/clip', ADMIN_TOKEN, 'bytes=0-999');
    expect(ok.statusCode).toBe(206);
    const res = await get('/api/orders/C-2/clip', ADMIN_TOKEN, 'bytes=0-30000');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({
      error: 'clip-corrupt',
      message: expect.stringMatching(/chunk 1 failed authentication/),
    });
    const audit = await auditLog(h);
    expect(audit.filter((e) => e.target === 'C-2').map((e) => e.action)).toEqual([
      'clip.view',
      'clip.view',
      'clip.corrupt',
    ]);
  });
});
