import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tus from 'tus-js-client';
import { buildApp, type App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { ADMIN_TOKEN, bearer, makeClip, makeRecord, randomBytes } from './testing/harness.ts';
import type { ServerKeys } from '../keys/serverKeys.ts';

/**
 * The whole evidence flow over the real storage (PGlite in a temp DATA_DIR, FileBlobStore, the key
 * generated on first start), including a restart: nothing here uses a test double.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-int-'));
const config = loadConfig({ DATA_DIR: dir, DIST_DIR: path.join(dir, 'none'), ADMIN_TOKEN, DEMO: '0' });
let built: App;
let base: string;

async function start() {
  built = await buildApp(config);
  base = await built.app.listen({ host: '127.0.0.1', port: 0 });
}

async function api(
  method: string,
  url: string,
  token?: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return fetch(`${base}${url}`, {
    method,
    headers: {
      ...(token ? bearer(token) : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

beforeAll(start, 60_000);
afterAll(async () => {
  await built.app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('evidence API over the real store', () => {
  const plain = randomBytes(200_000);
  let device = '';
  let lp = '';
  let keyId = '';

  it('enrols a lane, syncs its record, takes its clip over tus and serves it back audited', async () => {
    const serverKey = (await (await api('GET', '/api/server-key')).json()) as {
      keyId: string;
      jwk: JsonWebKey;
    };
    keyId = serverKey.keyId;
    expect(fs.statSync(path.join(dir, 'keys', 'server-private.pem')).mode & 0o777).toBe(0o600);

    const { code } = (await (
      await api('POST', '/api/enrolment-codes', ADMIN_TOKEN, { lane: 'L07' })
    ).json()) as {
      code: string;
    };
    const enrol = await api('POST', '/api/devices/enrol', undefined, { code, lane: 'L07' });
    expect(enrol.status).toBe(201);
    device = ((await enrol.json()) as { token: string }).token;
    expect((await api('POST', '/api/devices/enrol', undefined, { code, lane: 'L07' })).status).toBe(403);
    lp = (
      (await (
        await api('POST', '/api/users', ADMIN_TOKEN, { name: 'LP', role: 'lossPrevention' })
      ).json()) as {
        token: string;
      }
    ).token;

    const keys = { keyId, publicJwk: serverKey.jwk } as ServerKeys;
    const { encrypted, meta } = await makeClip(keys, plain);
    const records = { records: [makeRecord('L07', 'INT-1', meta)] };
    for (let i = 0; i < 2; i++) {
      const res = await api('POST', '/api/sync/records', device, records);
      expect(await res.json()).toEqual({ stored: ['INT-1'], rejected: [] });
    }

    await new Promise<void>((resolve, reject) => {
      new tus.Upload(Buffer.from(encrypted), {
        endpoint: `${base}/api/uploads/`,
        headers: bearer(device),
        metadata: { lane: 'L07', txn: 'INT-1', clipId: meta.clipId, sha256: meta.sha256 },
        chunkSize: 64 * 1024,
        retryDelays: null,
        onSuccess: () => resolve(),
        onError: reject,
      }).start();
    });

    const order = (await (await api('GET', '/api/orders/INT-1', lp)).json()) as { clipSha256: string };
    expect(order.clipSha256).toBe(meta.sha256);
    const ranged = await api('GET', '/api/orders/INT-1/clip', lp, undefined, { range: 'bytes=70000-70999' });
    expect(ranged.status).toBe(206);
    expect(
      Buffer.compare(Buffer.from(await ranged.arrayBuffer()), Buffer.from(plain.subarray(70000, 71000))),
    ).toBe(0);
    const full = await api('GET', '/api/orders/INT-1/clip', lp);
    expect(Buffer.compare(Buffer.from(await full.arrayBuffer()), Buffer.from(plain))).toBe(0);
  });

  it('keeps key, tokens, records and a verified audit chain with every clip access across a restart', async () => {
    await built.app.close();
    await start();
    expect(((await (await api('GET', '/api/server-key')).json()) as { keyId: string }).keyId).toBe(keyId);
    const again = await api('GET', '/api/orders/INT-1/clip', lp, undefined, { range: 'bytes=0-9' });
    expect(Buffer.from(await again.arrayBuffer())).toEqual(Buffer.from(plain.subarray(0, 10)));
    expect((await api('POST', '/api/sync/records', device, { records: [] })).status).toBe(200);

    const audit = (await (await api('GET', '/api/audit', ADMIN_TOKEN)).json()) as {
      verified: boolean;
      entries: { action: string; target: string; detail: { range?: string } }[];
    };
    expect(audit.verified).toBe(true);
    const views = audit.entries.filter((e) => e.action === 'clip.view' && e.target === 'INT-1');
    expect(views.map((e) => e.detail.range)).toEqual(['bytes=70000-70999', 'full', 'bytes=0-9']);
    expect(audit.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['device.enrol', 'user.create', 'clip.upload', 'record.view']),
    );
  });

  it('runs the real retention job on demand, deleting nothing that is still within retention', async () => {
    const res = await api('POST', '/api/admin/retention/run', ADMIN_TOKEN);
    expect(res.status).toBe(200);
    const report = (await res.json()) as { cutoffIso: string; deleted: number; emergencyDeleted: number };
    expect(Date.parse(report.cutoffIso)).toBeLessThan(Date.now() - 89 * 24 * 3600_000);
    // Only the low-disk emergency rule (on a nearly full test disk) could delete a fresh record.
    expect(report.deleted - report.emergencyDeleted).toBe(0);
  });
});
