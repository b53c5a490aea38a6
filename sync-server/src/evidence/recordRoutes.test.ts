import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, deviceToken, makeRecord, startHarness, userToken, type Harness } from './testing/harness.ts';

let h: Harness;
let l01: string;
let l02: string;
beforeAll(async () => {
  h = await startHarness();
  l01 = await deviceToken(h, 'L01');
  l02 = await deviceToken(h, 'L02');
});
afterAll(() => h.close());

const sync = (token: string, records: unknown) =>
  h.built.app.inject({
    method: 'POST',
    url: '/api/sync/records',
    headers: bearer(token),
    payload: { records },
  });

describe('POST /api/sync/records', () => {
  it('stores a batch and is idempotent when the same batch is retried', async () => {
    const batch = [makeRecord('L01', 'T-100'), makeRecord('L01', 'T-101')];
    const first = await sync(l01, batch);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ stored: ['T-100', 'T-101'], rejected: [] });
    const retry = await sync(l01, batch);
    expect(retry.json()).toEqual({ stored: ['T-100', 'T-101'], rejected: [] });
    expect(
      (await h.services.store.listRecords({ lane: 'L01', limit: 100 })).map((r) => r.record.txn).sort(),
    ).toEqual(['T-100', 'T-101']);
  });

  it("refuses another lane's records with 403, storing nothing from the batch", async () => {
    const res = await sync(l02, [makeRecord('L02', 'T-200'), makeRecord('L01', 'T-201')]);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'wrong-lane', message: expect.stringContaining('L01') });
    expect(await h.services.store.getRecord('T-200')).toBeNull();
  });

  it('refuses to overwrite a txn that another lane already stored', async () => {
    await sync(l01, [makeRecord('L01', 'T-300')]);
    const res = await sync(l02, [{ ...makeRecord('L02', 'T-300'), recordedAt: '2026-11-22T09:00:00.000Z' }]);
    expect(res.json()).toEqual({
      stored: [],
      rejected: [{ txn: 'T-300', error: expect.stringContaining('another lane') }],
    });
    expect((await h.services.store.getRecord('T-300'))?.record.lane).toBe('L01');
  });

  it('rejects invalid records one by one and stores the rest', async () => {
    const res = await sync(l01, [
      makeRecord('L01', 'T-400'),
      { ...makeRecord('L01', 'T-401'), paymentRef: '6222021234567891234' },
      { ...makeRecord('L01', 'T-402'), total: 'lots' },
    ]);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { stored: string[]; rejected: { txn: string; error: string }[] };
    expect(body.stored).toEqual(['T-400']);
    expect(body.rejected.map((r) => r.txn)).toEqual(['T-401', 'T-402']);
    expect(body.rejected[0]!.error).toMatch(/record\.paymentRef: clear member or payment data/);
    expect(await h.services.store.getRecord('T-401')).toBeNull();
  });

  it('requires a device token and a well-formed batch of at most 100', async () => {
    expect((await sync('bogus', [])).statusCode).toBe(401);
    const guide = await userToken(h, 'guide');
    expect((await sync(guide, [makeRecord('L01', 'T-500')])).statusCode).toBe(403);
    const many = Array.from({ length: 101 }, (_, i) => makeRecord('L01', `T-6${i}`));
    const tooMany = await sync(l01, many);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json()).toMatchObject({ error: 'too-many' });
    const res = await h.built.app.inject({
      method: 'POST',
      url: '/api/sync/records',
      headers: bearer(l01),
      payload: { rows: [] },
    });
    expect(res.json()).toMatchObject({ error: 'invalid' });
  });
});
