import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  bearer,
  startHarness,
  tamperAudit,
  userToken,
  type Harness,
} from './testing/harness.ts';

let h: Harness;
let lp: string;
beforeAll(async () => {
  h = await startHarness();
  lp = await userToken(h, 'lossPrevention');
  await userToken(h, 'guide');
});
afterAll(() => h.close());

const audit = (token: string, query = '') =>
  h.built.app.inject({ method: 'GET', url: `/api/audit${query}`, headers: bearer(token) });

describe('GET /api/audit', () => {
  it('is for admins only', async () => {
    expect((await audit(lp)).statusCode).toBe(403);
    expect((await audit('nope')).statusCode).toBe(401);
  });

  it('returns entries in order, pages by seq, and verifies the chain', async () => {
    const res = await audit(ADMIN_TOKEN);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { entries: { seq: number; action: string }[]; verified: boolean };
    expect(body.verified).toBe(true);
    expect(body.entries.map((e) => e.seq)).toEqual([1, 2]);
    expect(body.entries.every((e) => e.action === 'user.create')).toBe(true);
    const page = (await audit(ADMIN_TOKEN, '?sinceSeq=1&limit=1')).json() as typeof body;
    expect(page.entries.map((e) => e.seq)).toEqual([2]);
    expect((await audit(ADMIN_TOKEN, '?limit=0')).statusCode).toBe(400);
  });

  it('reports a tampered entry as unverified, naming where the chain breaks', async () => {
    await tamperAudit(h.services.store, 1);
    const body = (await audit(ADMIN_TOKEN)).json();
    expect(body).toMatchObject({ verified: false, brokenAt: 1 });
  });
});
