import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { SYNC_API } from '../core/evidence/syncApi.ts';
import { FAILED_AT_NEVER } from '../storage/db.ts';
import { sampleRecord, T0 } from '../storage/evidence.testkit.ts';
import { agentFor, BASE, cleanup, clip, saveMany, setup } from './agent.testkit.ts';
import { fakeFetch, fakeTus, json, storeAll } from './fakes.testkit.ts';

afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

describe('SyncAgent records', () => {
  it('sends records in idempotent batches of at most 50 with the device token, then marks them synced', async () => {
    const { db, time, vault } = await setup();
    await saveMany(vault, 120);
    const { fetch, calls } = fakeFetch(storeAll);
    const { agent } = agentFor(db, time, fetch);
    agent.start();
    await agent.idle();

    expect(calls.map((c) => (c.body as { records: unknown[] }).records.length)).toEqual([50, 50, 20]);
    expect(calls[0]!.url).toBe(`${BASE}${SYNC_API.records}`);
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer tok-1');
    expect(await db.records.where('syncState').equals('synced').count()).toBe(120);
    expect(await db.outbox.count()).toBe(0);
    expect(agent.status()).toMatchObject({ pendingRecords: 0, lastSuccessAt: T0, enrolled: true });
    expect(time.timers).toHaveLength(0);
  });

  it('marks nothing synced before a 2xx, backs off with jitter, then resends the same records', async () => {
    const { db, time, vault } = await setup();
    await saveMany(vault, 2);
    const { fetch, calls } = fakeFetch((url, init, n) => {
      if (n === 1) throw new TypeError('Failed to fetch');
      return storeAll(url, init);
    });
    const { agent } = agentFor(db, time, fetch);
    agent.start();
    await agent.idle();

    expect(await db.records.where('syncState').equals('pending').count()).toBe(2);
    const entries = await db.outbox.toArray();
    // attempt 1: step 2 s, half fixed + 0.5 × half random = 1.5 s
    expect(entries.map((e) => [e.attempts, e.nextAttemptAt - T0])).toEqual([
      [1, 1500],
      [1, 1500],
    ]);
    expect(time.timers.map((t) => t.ms)).toEqual([1500]);
    expect(agent.status()).toMatchObject({ online: false, lastError: expect.stringMatching(/unreachable/) });

    time.advance(1499);
    expect(calls).toHaveLength(1);
    time.advance(1);
    await agent.idle();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body).toEqual(calls[0]!.body);
    expect(await db.records.where('syncState').equals('synced').count()).toBe(2);
    expect(agent.status().online).toBe(true);
  });

  it('keeps doubling the delay while the server stays down, capped at 5 minutes', async () => {
    const { db, time, vault } = await setup();
    await saveMany(vault, 1);
    const { fetch } = fakeFetch(() => json(503, { error: 'down', message: 'maintenance' }));
    const { agent } = agentFor(db, time, fetch);
    agent.start();
    await agent.idle();
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = time.timers[0]!;
      delays.push(t.ms);
      time.advance(t.ms);
      await agent.idle();
    }
    expect(delays).toEqual([1500, 3000, 6000, 12000, 24000, 48000, 96000, 192000, 225000, 225000]);
    expect(agent.status().lastError).toMatch(/HTTP 503: maintenance/);
    expect(agent.status().online).toBe(true);
  });

  it('honours Retry-After on 429', async () => {
    const { db, time, vault } = await setup();
    await saveMany(vault, 1);
    const { fetch } = fakeFetch(() => json(429, { message: 'slow down' }, { 'retry-after': '40' }));
    const { agent } = agentFor(db, time, fetch);
    agent.start();
    await agent.idle();
    expect(time.timers.map((t) => t.ms)).toEqual([40_000]);
  });

  it('stops on 401 without retrying until the kiosk is enrolled again', async () => {
    const { db, time, vault } = await setup();
    await saveMany(vault, 3);
    const { fetch, calls } = fakeFetch((url, init) => {
      const auth = (init.headers as Record<string, string>).authorization;
      return auth === 'Bearer tok-2' ? storeAll(url, init) : json(401, { message: 'token revoked' });
    });
    const { agent } = agentFor(db, time, fetch);
    agent.start();
    await agent.idle();
    expect(calls).toHaveLength(1);
    expect(time.timers).toHaveLength(0);
    expect(agent.status()).toMatchObject({
      enrolled: false,
      lastError: expect.stringMatching(/device not enrolled or revoked \(HTTP 401: token revoked\)/),
    });
    agent.kick();
    await agent.idle();
    time.advance(3_600_000);
    expect(calls).toHaveLength(1);

    await db.setMeta('device', { deviceId: 'dev-2', lane: 'L1', token: 'tok-2', enrolledAt: '' });
    agent.kick();
    await agent.idle();
    expect(calls).toHaveLength(2);
    expect(agent.status()).toMatchObject({ enrolled: true, pendingRecords: 0 });
  });

  it('isolates a record the server refuses: the rest go through, it is failed with the server message', async () => {
    const { db, time, vault } = await setup();
    await saveMany(vault, 5);
    const { fetch, calls } = fakeFetch((url, init) => {
      const { records } = JSON.parse(init.body as string) as { records: { txn: string }[] };
      if (records.some((r) => r.txn === 'T002'))
        return json(400, { message: 'lines[0] needs line, gtin and name' });
      return storeAll(url, init);
    });
    const { agent } = agentFor(db, time, fetch);
    agent.start();
    await agent.idle();
    expect(calls.length).toBeGreaterThan(2);
    expect(await db.records.where('syncState').equals('synced').primaryKeys()).toEqual([
      'T000',
      'T001',
      'T003',
      'T004',
    ]);
    const failed = await db.outbox.where('nextAttemptAt').equals(FAILED_AT_NEVER).toArray();
    expect(failed).toMatchObject([{ ref: 'T002', lastError: expect.stringMatching(/needs line, gtin/) }]);
    expect(agent.status()).toMatchObject({ failedItems: 1, pendingRecords: 1 });
    expect(time.timers).toHaveLength(0);
  });

  it('refuses records of another lane (403 wrong-lane) one by one without stopping the device', async () => {
    const { db, time, vault } = await setup();
    await vault.saveEvidence(sampleRecord('OLD-LANE', { lane: 'L9' }));
    await vault.saveEvidence(sampleRecord('MINE'));
    const { fetch } = fakeFetch((url, init) => {
      const { records } = JSON.parse(init.body as string) as { records: { lane: string }[] };
      if (records.some((r) => r.lane !== 'L1'))
        return json(403, { error: 'wrong-lane', message: 'not your lane' });
      return storeAll(url, init);
    });
    const { agent } = agentFor(db, time, fetch);
    agent.start();
    await agent.idle();
    expect((await db.records.get('MINE'))!.syncState).toBe('synced');
    expect(agent.status()).toMatchObject({
      enrolled: true,
      failedItems: 1,
      lastError: expect.stringMatching(/not your lane/),
    });
  });

  it('a clip attached while the clip-less record is in flight waits for the record that names it', async () => {
    const { db, time, vault } = await setup();
    await vault.saveEvidence(sampleRecord('RS', { at: T0 }));
    const order: string[] = [];
    const { fetch } = fakeFetch(async (url, init, n) => {
      const { records } = JSON.parse(init.body as string) as { records: { clip?: unknown }[] };
      order.push(records[0]!.clip ? 'record+clipmeta' : 'record');
      if (n === 1) {
        time.advance(5_000);
        await vault.attachClip('RS', clip());
      }
      // The new version is not confirmed at first (the server answered without it).
      if (n === 2) return json(200, { stored: [], rejected: [] });
      return storeAll(url, init);
    });
    const tus = fakeTus((u) => {
      order.push('clip');
      u.opts.onSuccess();
    });
    const { agent } = agentFor(db, time, fetch, tus);
    agent.start();
    await agent.idle();
    // Uploading now would be refused: the only version the server confirmed names no clip.
    expect(order).toEqual(['record', 'record+clipmeta']);
    expect(tus.uploads).toHaveLength(0);
    time.advance(time.timers[0]!.ms);
    await agent.idle();
    expect(order).toEqual(['record', 'record+clipmeta', 'record+clipmeta', 'clip']);
    expect(await db.records.get('RS')).toMatchObject({ syncState: 'synced' });
    expect(await db.outbox.count()).toBe(0);
  });

  it('treats per-record rejections as failed and unconfirmed records as not synced', async () => {
    const { db, time, vault } = await setup();
    await saveMany(vault, 3);
    const { fetch } = fakeFetch(() =>
      json(200, { stored: ['T000'], rejected: [{ txn: 'T001', error: 'bad lane' }] }),
    );
    const { agent } = agentFor(db, time, fetch);
    agent.start();
    await agent.idle();
    expect((await db.records.get('T000'))!.syncState).toBe('synced');
    expect((await db.records.get('T001'))!.syncState).toBe('pending');
    expect((await db.records.get('T002'))!.syncState).toBe('pending');
    const t2 = await db.outbox.where('[kind+ref]').equals(['record', 'T002']).first();
    expect(t2).toMatchObject({ attempts: 1, lastError: 'the server did not confirm these records' });
    expect(agent.status().lastError).toMatch(/T001 refused: bad lane/);

    // "Sync now" requeues the refused record too.
    const retried: string[] = [];
    const second = agentFor(db, time, async (url, init) => {
      retried.push(
        ...(JSON.parse(init!.body as string) as { records: { txn: string }[] }).records.map((r) => r.txn),
      );
      return storeAll(url, init!);
    });
    second.agent.start();
    await second.agent.syncNow();
    expect(retried.sort()).toEqual(['T001', 'T002']);
    expect(second.agent.status()).toMatchObject({ pendingRecords: 0, failedItems: 0 });
  });

  it('when the network comes back, waiting items go at once but refused ones stay refused', async () => {
    const { db, time, vault } = await setup();
    await saveMany(vault, 2);
    let up = false;
    const { fetch, calls } = fakeFetch((url, init) => {
      if (!up) throw new TypeError('offline');
      const { records } = JSON.parse(init.body as string) as { records: { txn: string }[] };
      if (records.some((r) => r.txn === 'T001')) return json(422, { message: 'no' });
      return storeAll(url, init);
    });
    const { agent } = agentFor(db, time, fetch);
    agent.start();
    await agent.idle();
    for (let i = 0; i < 5; i++) {
      time.advance(time.timers[0]!.ms);
      await agent.idle();
    }
    expect(agent.status()).toMatchObject({ pendingRecords: 2, failedItems: 0, online: false });

    up = true;
    const before = calls.length;
    await agent.syncNow({ includeFailed: false });
    expect(calls.length).toBeGreaterThan(before);
    expect(agent.status()).toMatchObject({ pendingRecords: 1, failedItems: 1, online: true });
    const sent = calls.length;
    await agent.syncNow({ includeFailed: false });
    expect(calls.length).toBe(sent);
  });
});
