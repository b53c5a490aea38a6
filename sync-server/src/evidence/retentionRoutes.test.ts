import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  bearer,
  retentionReport,
  startHarness,
  userToken,
  type Harness,
} from './testing/harness.ts';

let h: Harness;
let guide: string;
beforeAll(async () => {
  h = await startHarness();
  guide = await userToken(h, 'guide');
});
afterAll(() => h.close());

const run = (token: string) =>
  h.built.app.inject({ method: 'POST', url: '/api/admin/retention/run', headers: bearer(token) });
const alerts = async (token: string) =>
  (await h.built.app.inject({ method: 'GET', url: '/api/alerts', headers: bearer(token) })).json() as {
    alerts: { kind: string; message: string }[];
  };

describe('retention and alerts', () => {
  it('runs retention on demand for admins, returns the report and audits the run', async () => {
    h.retentionReport = retentionReport({ deleted: 3 });
    expect((await run(guide)).statusCode).toBe(403);
    const res = await run(ADMIN_TOKEN);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ...retentionReport({ deleted: 3 }), expiredUploads: 0 });
    const entries = await h.services.store.listAudit({ limit: 100 });
    expect(entries.at(-1)).toMatchObject({ action: 'retention.run', detail: { deleted: 3 } });
    expect((await alerts(guide)).alerts).toEqual([]);
  });

  it('raises a low-disk alert for the guide wall, and clears it once space is back', async () => {
    h.retentionReport = retentionReport({
      lowDisk: true,
      emergency: true,
      freeBytesBefore: 1024,
      alert: 'Only 1 KiB free after deleting every deletable clip.',
    });
    await run(ADMIN_TOKEN);
    const raised = await alerts(guide);
    expect(raised.alerts).toHaveLength(1);
    expect(raised.alerts[0]).toMatchObject({
      kind: 'low-disk',
      message: 'Only 1 KiB free after deleting every deletable clip.',
    });
    h.retentionReport = retentionReport({});
    await run(ADMIN_TOKEN);
    expect((await alerts(guide)).alerts).toEqual([]);
  });
});
