import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENROL_CODE, SYNC_API } from '../core/evidence/syncApi.ts';
import { freshDb, serverPair, type ServerPair } from '../storage/evidence.testkit.ts';
import type { KioskDb } from '../storage/db.ts';
import { ensureEnrolled, EnrolmentError, enrolmentState, serverKeySource } from './enrolment.ts';
import { fakeFetch, json } from './fakes.testkit.ts';

let server: ServerPair;
beforeAll(async () => {
  server = await serverPair('fedcba9876543210');
});

const dbs: KioskDb[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});
function db() {
  const d = freshDb('enrol');
  dbs.push(d);
  return d;
}

const BASE = 'https://store.example';
const goodServer = (url: string, init: RequestInit) => {
  if (url.endsWith(SYNC_API.enrol)) {
    const { code, lane } = JSON.parse(init.body as string) as { code: string; lane: string };
    if (code !== DEMO_ENROL_CODE)
      return json(403, { error: 'bad-code', message: 'Unknown, used or expired enrolment code' });
    return json(201, { deviceId: 'dev-9', lane, token: 'secret-token' });
  }
  if (url.endsWith(SYNC_API.serverKey)) {
    if ((init.headers as Record<string, string>).authorization !== 'Bearer secret-token')
      return json(401, {});
    return json(200, { keyId: server.handle.keyId, jwk: server.jwk });
  }
  return json(404, {});
};

describe('ensureEnrolled', () => {
  it('trades the code for a token, caches the server key, and exposes neither token nor code', async () => {
    const d = db();
    const { fetch, calls } = fakeFetch(goodServer);
    const state = await ensureEnrolled(d, { baseUrl: BASE, fetch, lane: 'L3', code: ` ${DEMO_ENROL_CODE} ` });
    expect(state).toEqual({ deviceId: 'dev-9', lane: 'L3', keyId: 'fedcba9876543210' });
    expect(calls.map((c) => c.url)).toEqual([`${BASE}${SYNC_API.enrol}`, `${BASE}${SYNC_API.serverKey}`]);
    expect(calls[0]!.body).toEqual({ code: DEMO_ENROL_CODE, lane: 'L3' });
    expect((await d.getMeta('device'))!.token).toBe('secret-token');
    expect(JSON.stringify(await enrolmentState(d))).not.toContain('secret-token');

    // Already enrolled: no network at all.
    const again = fakeFetch(goodServer);
    await ensureEnrolled(d, { baseUrl: BASE, fetch: again.fetch, lane: 'L3' });
    expect(again.calls).toHaveLength(0);

    const key = await serverKeySource(d)();
    expect(key.keyId).toBe('fedcba9876543210');
    expect(key.key.usages).toEqual(['wrapKey']);
  });

  it('reports a rejected code with the server message and stores nothing', async () => {
    const d = db();
    const { fetch } = fakeFetch(goodServer);
    const err = await ensureEnrolled(d, { baseUrl: BASE, fetch, lane: 'L3', code: 'WRONG' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EnrolmentError);
    expect(err).toMatchObject({ kind: 'rejected' });
    expect((err as Error).message).toBe(
      'enrolment code rejected by the server: Unknown, used or expired enrolment code',
    );
    expect(await d.getMeta('device')).toBeUndefined();
  });

  it('asks for a code when there is none, and when the lane changed', async () => {
    const d = db();
    const { fetch } = fakeFetch(goodServer);
    await expect(ensureEnrolled(d, { baseUrl: BASE, fetch, lane: 'L3' })).rejects.toMatchObject({
      kind: 'needs-code',
      message: expect.stringMatching(/not enrolled/),
    });
    await ensureEnrolled(d, { baseUrl: BASE, fetch, lane: 'L3', code: DEMO_ENROL_CODE });
    await expect(ensureEnrolled(d, { baseUrl: BASE, fetch, lane: 'L4' })).rejects.toThrow(
      /enrolled for lane L3, but is now configured as lane L4/,
    );
  });

  it('keeps the one-time token when the key fetch fails, and fetches the key on the next call', async () => {
    const d = db();
    let down = true;
    const { fetch } = fakeFetch((url, init) => {
      if (url.endsWith(SYNC_API.serverKey) && down) throw new TypeError('Failed to fetch');
      return goodServer(url, init);
    });
    const err = await ensureEnrolled(d, { baseUrl: BASE, fetch, lane: 'L3', code: DEMO_ENROL_CODE }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({
      kind: 'unreachable',
      message: expect.stringMatching(/unreachable.*try again later/),
    });
    expect((await d.getMeta('device'))!.deviceId).toBe('dev-9');
    await expect(serverKeySource(d)()).rejects.toMatchObject({ kind: 'needs-code' });

    down = false;
    expect(await ensureEnrolled(d, { baseUrl: BASE, fetch, lane: 'L3' })).toMatchObject({
      keyId: 'fedcba9876543210',
    });
  });

  it('says the server is unreachable when enrolment itself cannot connect', async () => {
    const d = db();
    const { fetch } = fakeFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    await expect(
      ensureEnrolled(d, { baseUrl: BASE, fetch, lane: 'L3', code: DEMO_ENROL_CODE }),
    ).rejects.toMatchObject({ kind: 'unreachable' });
  });

  it('refuses a malformed server key instead of caching it', async () => {
    const d = db();
    const { fetch } = fakeFetch((url, init) =>
      url.endsWith(SYNC_API.serverKey)
        ? json(200, { keyId: 'k', jwk: { kty: 'RSA' } })
        : goodServer(url, init),
    );
    await expect(
      ensureEnrolled(d, { baseUrl: BASE, fetch, lane: 'L3', code: DEMO_ENROL_CODE }),
    ).rejects.toMatchObject({ kind: 'server', message: expect.stringMatching(/not a usable RSA-OAEP key/) });
    expect(await d.getMeta('serverKey')).toBeUndefined();
  });
});
