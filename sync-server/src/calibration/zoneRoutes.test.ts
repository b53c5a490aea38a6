import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Point } from '../../../src/core/lane/zones.ts';
import {
  ADMIN_TOKEN,
  auditLog,
  bearer,
  deviceToken,
  startHarness,
  userToken,
  type Harness,
} from '../evidence/testing/harness.ts';
import { ZONES_BODY_LIMIT } from './zoneRoutes.ts';

const rect = (x0: number, y0: number, x1: number, y1: number): Point[] => [
  { x: x0, y: y0 },
  { x: x1, y: y0 },
  { x: x1, y: y1 },
  { x: x0, y: y1 },
];

const zones = (updatedAt = '2026-11-22T08:00:00.000Z') => ({
  v: 1,
  updatedAt,
  updatedBy: 'whoever the body says',
  zones: {
    pickup: rect(0.05, 0.5, 0.3, 0.95),
    scanner: rect(0.35, 0.4, 0.6, 0.7),
    bagging: rect(0.65, 0.4, 0.95, 0.8),
  },
});

let h: Harness;
let deviceA: string;
let deviceB: string;
let guide: string;
let lp: string;
beforeAll(async () => {
  h = await startHarness();
  deviceA = await deviceToken(h, 'L01');
  deviceB = await deviceToken(h, 'L02');
  guide = await userToken(h, 'guide');
  lp = await userToken(h, 'lossPrevention');
  // The embedded database (EVIDENCE_TEST_STORE=pglite) takes seconds to open.
}, 60_000);
afterAll(() => h?.close());

const put = (lane: string, token: string | null, payload: unknown) =>
  h.built.app.inject({
    method: 'PUT',
    url: `/api/lanes/${lane}/zones`,
    headers: token ? bearer(token) : {},
    payload: payload as object,
  });
const get = (lane: string, token: string | null) =>
  h.built.app.inject({ method: 'GET', url: `/api/lanes/${lane}/zones`, headers: token ? bearer(token) : {} });

describe('lane zones routes', () => {
  it('answers 404 for a lane never calibrated (204 when the kiosk asks ifAbsent=empty)', async () => {
    const res = await get('L01', ADMIN_TOKEN);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'no-zones', message: 'Lane L01 has not been calibrated yet.' });
    const quiet = await h.built.app.inject({
      method: 'GET',
      url: '/api/lanes/L01/zones?ifAbsent=empty',
      headers: bearer(deviceA),
    });
    expect(quiet.statusCode).toBe(204);
    expect(quiet.body).toBe('');
  });

  it("stores the lane device's zones, says who stored them (by id), and audits it", async () => {
    const res = await put('L01', deviceA, zones());
    expect(res.statusCode).toBe(200);
    const device = (await h.services.store.listPrincipals()).find((p) => p.lane === 'L01')!;
    const body = res.json() as { updatedBy: string; zones: { updatedBy: string; zones: object } };
    expect(body.updatedBy).toBe(device.id);
    expect(body.zones.updatedBy).toBe(device.id);
    expect(body.zones.zones).toEqual(zones().zones);

    for (const token of [deviceA, ADMIN_TOKEN, guide, lp]) {
      const read = await get('L01', token);
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({
        lane: 'L01',
        updatedBy: device.id,
        zones: { zones: zones().zones },
      });
    }
    const entry = (await auditLog(h)).find((e) => e.action === 'lane.zones.set');
    expect(entry).toMatchObject({
      actor: device.id,
      target: 'L01',
      detail: { points: { pickup: 4, scanner: 4, bagging: 4 } },
    });
  });

  it("refuses another lane's device, for writing and reading, and people who are not admins", async () => {
    const write = await put('L01', deviceB, zones('2026-11-23T00:00:00Z'));
    expect(write.statusCode).toBe(403);
    expect(write.json()).toMatchObject({ error: 'wrong-lane' });
    expect((await get('L01', deviceB)).statusCode).toBe(403);
    expect((await put('L01', guide, zones('2026-11-23T00:00:00Z'))).statusCode).toBe(403);
    expect((await put('L01', lp, zones('2026-11-23T00:00:00Z'))).statusCode).toBe(403);
    expect((await put('L01', null, zones())).statusCode).toBe(401);
    expect((await get('L01', 'not-a-token')).statusCode).toBe(401);
    // Nothing changed.
    expect((await get('L01', ADMIN_TOKEN)).json()).toMatchObject({
      zones: { updatedAt: '2026-11-22T08:00:00.000Z' },
    });
  });

  it('refuses an invalid calibration with the validator messages, per zone', async () => {
    const bad = zones('2026-11-23T00:00:00Z');
    bad.zones.scanner = rect(0.4, 0.4, 0.42, 0.42);
    const res = await put('L01', ADMIN_TOKEN, { ...bad, zones: { ...bad.zones, bagging: undefined } });
    expect(res.statusCode).toBe(400);
    const body = res.json() as {
      error: string;
      message: string;
      problems: { zone: string; message: string }[];
    };
    expect(body.error).toBe('invalid-zones');
    expect(body.problems.map((p) => p.zone)).toEqual(['scanner', 'bagging']);
    expect(body.message).toMatch(/Scanner zone is too small.*Bagging zone is missing/);
    const notObject = await put('L01', ADMIN_TOKEN, [1, 2]);
    expect(notObject.statusCode).toBe(400);
    expect(notObject.json()).toMatchObject({ message: 'The calibration must be a JSON object.' });
    const broken = await h.built.app.inject({
      method: 'PUT',
      url: '/api/lanes/L01/zones',
      headers: { ...bearer(ADMIN_TOKEN), 'content-type': 'application/json' },
      payload: '{"v": 1, "zones": ',
    });
    expect(broken.statusCode).toBe(400);
  });

  it('refuses a body over the size limit and a malformed lane id', async () => {
    const huge = { ...zones('2026-11-23T00:00:00Z'), padding: 'x'.repeat(ZONES_BODY_LIMIT) };
    expect((await put('L01', ADMIN_TOKEN, huge)).statusCode).toBe(413);
    const res = await put('L0%2F1', ADMIN_TOKEN, zones());
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad-lane' });
  });

  it('lets an admin replace the zones, but never with an older drawing (an offline kiosk catching up)', async () => {
    const newer = await put('L01', ADMIN_TOKEN, zones('2026-11-24T00:00:00Z'));
    expect(newer.statusCode).toBe(200);
    expect(newer.json()).toMatchObject({ updatedBy: 'bootstrap-admin' });
    const stale = await put('L01', deviceA, zones('2026-11-23T00:00:00Z'));
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      error: 'stale-zones',
      current: { zones: { updatedAt: '2026-11-24T00:00:00.000Z' } },
    });
  });
});
