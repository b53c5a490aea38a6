import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  auditLog,
  bearer,
  deviceToken,
  makeRecord,
  startHarness,
  userToken,
  type Harness,
} from './testing/harness.ts';

let h: Harness;
let lp: string;
let guide: string;
let device: string;
beforeAll(async () => {
  h = await startHarness();
  lp = await userToken(h, 'lossPrevention');
  guide = await userToken(h, 'guide');
  device = await deviceToken(h, 'L01');
  await h.services.store.upsertRecord(
    { ...makeRecord('L01', 'O-1'), flagged: true },
    new Date().toISOString(),
  );
});
afterAll(() => h.close());

const call = (method: 'GET' | 'POST', url: string, token: string) =>
  h.built.app.inject({ method, url, headers: bearer(token) });

describe('order review', () => {
  it('lets reviewers read a record, auditing each view, and refuses devices', async () => {
    for (const token of [ADMIN_TOKEN, lp, guide]) {
      const res = await call('GET', '/api/orders/O-1', token);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        record: { txn: 'O-1', lane: 'L01', memberRefMasked: '••••5678' },
        hold: false,
      });
    }
    const views = (await auditLog(h)).filter((e) => e.action === 'record.view');
    expect(views.map((e) => e.detail.role)).toEqual(['admin', 'lossPrevention', 'guide']);
    expect((await call('GET', '/api/orders/O-1', device)).statusCode).toBe(403);
    expect((await call('GET', '/api/orders/missing', lp)).json()).toMatchObject({ error: 'not-found' });
    expect((await call('GET', '/api/orders/..%2F..%2Fetc', lp)).json()).toMatchObject({ error: 'bad-txn' });
  });

  it('holds and resolves evidence (admin and loss prevention only)', async () => {
    expect((await call('POST', '/api/orders/O-1/hold', guide)).statusCode).toBe(403);
    const held = await call('POST', '/api/orders/O-1/hold', lp);
    expect(held.statusCode).toBe(200);
    expect(held.json()).toMatchObject({ hold: true });
    const resolved = await call('POST', '/api/orders/O-1/resolve', ADMIN_TOKEN);
    expect(resolved.json()).toMatchObject({ hold: false, resolvedAt: expect.any(String) });
    const actions = (await auditLog(h)).map((e) => e.action);
    expect(actions).toContain('record.hold');
    expect(actions).toContain('record.resolve');
    expect((await call('POST', '/api/orders/none/hold', lp)).statusCode).toBe(404);
  });
});
