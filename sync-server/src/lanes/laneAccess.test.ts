import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ADMIN_TOKEN, bearer, startHarness, userToken, type Harness } from '../evidence/testing/harness.ts';
import { DEMO_GUIDE_TOKEN, protocolToken } from './laneAccess.ts';

let h: Harness;
let address: string;

async function enrol(lane: string): Promise<string> {
  const res = await h.built.app.inject({
    method: 'POST',
    url: '/api/devices/enrol',
    payload: { code: 'DEMO', lane },
  });
  expect(res.statusCode).toBe(201);
  return (res.json() as { token: string }).token;
}

/** Opens the lane stream; resolves with the first message, or the HTTP status of a refused upgrade. */
function stream(
  lane: string,
  protocols: string[],
): Promise<{ status: number; protocol?: string; first?: unknown }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${address.replace('http', 'ws')}/api/lanes/${lane}/stream`, protocols);
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.on('message', (data) => {
      resolve({ status: 101, protocol: ws.protocol, first: JSON.parse(String(data)) });
      ws.close();
    });
    ws.on('error', () => undefined);
  });
}

const STATUS = { state: 'idle', light: { color: 'green', pattern: 'steady' }, at: '2026-11-22T08:00:00Z' };

beforeEach(async () => {
  h = await startHarness({ DEMO: '1' });
  address = await h.built.app.listen({ port: 0, host: '127.0.0.1' });
});
afterEach(async () => {
  await h.close();
});

describe('lane stream authentication', () => {
  it("admits the lane's own device and an admin, answering the relay protocol without echoing the token", async () => {
    const token = await enrol('L01');
    const own = await stream('L01', ['lane-relay.v1', `bearer.${token}`]);
    expect(own.status).toBe(101);
    expect(own.protocol).toBe('lane-relay.v1');
    expect(own.first).toEqual({ kind: 'hello', lane: 'L01', lastSeq: 0 });
    expect((await stream('L01', ['lane-relay.v1', `bearer.${ADMIN_TOKEN}`])).status).toBe(101);
  });

  it("refuses no token, an unknown one, another lane's device and a guide, before the upgrade", async () => {
    const other = await enrol('L02');
    const guide = await userToken(h, 'guide');
    expect((await stream('L01', ['lane-relay.v1'])).status).toBe(401);
    expect((await stream('L01', ['lane-relay.v1', 'bearer.nope'])).status).toBe(401);
    expect((await stream('L01', ['lane-relay.v1', `bearer.${other}`])).status).toBe(403);
    expect((await stream('L01', ['lane-relay.v1', `bearer.${guide}`])).status).toBe(403);
  });

  it('reads the token from the protocol list only', () => {
    expect(protocolToken('lane-relay.v1, bearer.abc_-9')).toBe('abc_-9');
    expect(protocolToken(['lane-relay.v1', 'bearer.x'])).toBe('x');
    expect(protocolToken('lane-relay.v1')).toBeUndefined();
    expect(protocolToken(undefined)).toBeUndefined();
  });
});

describe('lane status and alerts authentication', () => {
  it("takes a status only with the lane's device token, with clear errors otherwise", async () => {
    const token = await enrol('L01');
    const other = await enrol('L02');
    const put = (headers: Record<string, string>, lane = 'L01') =>
      h.built.app.inject({ method: 'PUT', url: `/api/lanes/${lane}/status`, headers, payload: STATUS });
    expect((await put(bearer(token))).statusCode).toBe(204);
    const none = await put({});
    expect(none.statusCode).toBe(401);
    expect(none.json().message).toMatch(/token/);
    const foreign = await put(bearer(other));
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toMatchObject({ error: 'wrong-lane' });
    const bad = await put(bearer(token), '..%2Fx');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'bad-lane' });
  });

  it('shows lane alerts and server alerts to guides only; a guide acknowledges a lane alert', async () => {
    const token = await enrol('L01');
    const guide = await userToken(h, 'guide');
    const raised = await h.built.app.inject({
      method: 'POST',
      url: '/api/lanes/L01/alerts',
      headers: bearer(token),
      payload: { kind: 'kiosk-storage', message: 'storage full: 2 unsynced clips deleted' },
    });
    expect(raised.statusCode).toBe(201);
    const invalid = await h.built.app.inject({
      method: 'POST',
      url: '/api/lanes/L01/alerts',
      headers: bearer(token),
      payload: { kind: 'Bad Kind', message: '' },
    });
    expect(invalid.statusCode).toBe(422);
    expect((await h.built.app.inject({ url: '/api/guide/alerts', headers: bearer(token) })).statusCode).toBe(
      403,
    );
    const list = await h.built.app.inject({ url: '/api/guide/alerts', headers: bearer(guide) });
    expect(list.json().alerts).toEqual([
      expect.objectContaining({
        lane: 'L01',
        kind: 'kiosk-storage',
        message: 'storage full: 2 unsynced clips deleted',
      }),
    ]);
    h.built.evidence.alerts.raise('low-disk', 'disk below 5 GiB');
    const both = (await h.built.app.inject({ url: '/api/guide/alerts', headers: bearer(guide) })).json();
    expect(both.alerts.map((a: { kind: string }) => a.kind).sort()).toEqual(['kiosk-storage', 'low-disk']);
    const id = (raised.json() as { id: string }).id;
    const ack = await h.built.app.inject({
      method: 'DELETE',
      url: `/api/guide/alerts/${id}`,
      headers: bearer(guide),
    });
    expect(ack.statusCode).toBe(204);
    const after = (await h.built.app.inject({ url: '/api/guide/alerts', headers: bearer(guide) })).json();
    expect(after.alerts.map((a: { kind: string }) => a.kind)).toEqual(['low-disk']);
  });

  it('refuses the lane list and the guide stream without a guide token', async () => {
    const token = await enrol('L01');
    expect((await h.built.app.inject({ url: '/api/lanes' })).statusCode).toBe(401);
    expect((await h.built.app.inject({ url: '/api/lanes', headers: bearer(token) })).statusCode).toBe(403);
    expect((await h.built.app.inject({ url: '/api/guide/stream' })).statusCode).toBe(401);
    const guide = await userToken(h, 'guide');
    expect((await h.built.app.inject({ url: '/api/lanes', headers: bearer(guide) })).statusCode).toBe(200);
  });

  it('takes the documented demo guide login in demo mode only', async () => {
    expect(
      (await h.built.app.inject({ url: '/api/lanes', headers: bearer(DEMO_GUIDE_TOKEN) })).statusCode,
    ).toBe(200);
    const strict = await startHarness({ DEMO: '0' });
    try {
      const res = await strict.built.app.inject({ url: '/api/lanes', headers: bearer(DEMO_GUIDE_TOKEN) });
      expect(res.statusCode).toBe(401);
    } finally {
      await strict.close();
    }
  });
});
