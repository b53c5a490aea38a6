import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { SYNC_API } from '../core/evidence/syncApi.ts';
import { sampleRecord, T0 } from '../storage/evidence.testkit.ts';
import { agentFor, BASE, cleanup, clip, saveMany, setup } from './agent.testkit.ts';
import { fakeFetch, fakeTus, storeAll, tusHttpError, type FakeUpload } from './fakes.testkit.ts';

afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

describe('SyncAgent clips', () => {
  it('uploads a clip only after its record is stored, with tus metadata, token and chunk size', async () => {
    const { db, time, vault } = await setup();
    const sealed = await vault.saveEvidence(sampleRecord('TC1'), clip());
    const order: string[] = [];
    const { fetch } = fakeFetch((url, init) => {
      order.push('record');
      return storeAll(url, init);
    });
    const tus = fakeTus((u) => {
      order.push('clip');
      u.opts.onSuccess();
    });
    const { agent } = agentFor(db, time, fetch, tus);
    agent.start();
    await agent.idle();
    expect(order).toEqual(['record', 'clip']);
    const [u] = tus.uploads as [FakeUpload];
    expect(u.opts).toMatchObject({
      endpoint: `${BASE}${SYNC_API.uploads}`,
      uploadUrl: null,
      metadata: { lane: 'L1', txn: 'TC1', clipId: sealed.clip!.clipId, sha256: sealed.clip!.sha256 },
      headers: { authorization: 'Bearer tok-1' },
      chunkSize: 1024 * 1024,
      retryDelays: null,
    });
    expect(u.file.size).toBe(sealed.clip!.bytes);
    expect(await db.records.get('TC1')).toMatchObject({ syncState: 'synced', syncedAt: T0 });
    expect(await db.clips.get(sealed.clip!.clipId)).toMatchObject({ uploadState: 'uploaded' });
    expect(agent.status()).toMatchObject({ pendingClips: 0, pendingBytes: 0, pendingRecords: 0 });
  });

  it('does not touch the clip while its record cannot be sent', async () => {
    const { db, time, vault } = await setup();
    await vault.saveEvidence(sampleRecord('TC2'), clip());
    const { fetch } = fakeFetch(() => {
      throw new TypeError('offline');
    });
    const { agent, tus } = agentFor(db, time, fetch);
    agent.start();
    await agent.idle();
    expect(tus.uploads).toHaveLength(0);
    expect(agent.status()).toMatchObject({
      pendingRecords: 1,
      pendingClips: 1,
      pendingBytes: 3000 + 29 + 16,
    });
  });

  it('resumes an interrupted upload from the URL stored in IndexedDB after a reload', async () => {
    const { db, time, vault } = await setup();
    const sealed = await vault.saveEvidence(sampleRecord('TC3'), clip());
    const { fetch } = fakeFetch(storeAll);
    // First page life: the server creates the upload, one chunk lands, then the network drops.
    const first = agentFor(
      db,
      time,
      fetch,
      fakeTus((u) => {
        u.handle.url = `${BASE}/api/uploads/abc123`;
        u.opts.onUploadUrlAvailable();
        u.opts.onChunkComplete(1024, 1024, 3045);
        u.opts.onError(new Error('tus: failed to upload chunk at offset 1024'));
      }),
    );
    first.agent.start();
    await first.agent.idle();
    expect(await db.clips.get(sealed.clip!.clipId)).toMatchObject({
      uploadState: 'pending',
      uploadUrl: `${BASE}/api/uploads/abc123`,
    });
    expect((await db.records.get('TC3'))!.syncState).toBe('pending');
    await first.agent.stop();

    // After the reload a new agent passes the stored URL; tus asks the server for its offset.
    const second = agentFor(
      db,
      time,
      fetch,
      fakeTus((u) => {
        u.handle.url = u.opts.uploadUrl;
        u.opts.onUploadUrlAvailable();
        u.opts.onSuccess();
      }),
    );
    second.agent.start();
    await second.agent.syncNow();
    expect(second.tus.uploads.map((u) => u.opts.uploadUrl)).toEqual([`${BASE}/api/uploads/abc123`]);
    expect((await db.records.get('TC3'))!.syncState).toBe('synced');
  });

  it('fails a clip the server refuses (e.g. checksum) with its message and forgets the partial upload', async () => {
    const { db, time, vault } = await setup();
    const sealed = await vault.saveEvidence(sampleRecord('TC4'), clip());
    const { fetch } = fakeFetch(storeAll);
    const tus = fakeTus((u) => {
      u.handle.url = `${BASE}/api/uploads/bad`;
      u.opts.onUploadUrlAvailable();
      u.opts.onError(
        tusHttpError(460, JSON.stringify({ error: 'checksum', message: 'sha256 does not match' })),
      );
    });
    const { agent } = agentFor(db, time, fetch, tus);
    agent.start();
    await agent.idle();
    const row = await db.clips.get(sealed.clip!.clipId);
    expect(row!.uploadUrl).toBeUndefined();
    expect(row!.uploadState).toBe('pending');
    expect(await db.records.get('TC4')).toMatchObject({ syncState: 'pending', recordStoredAt: T0 });
    expect(agent.status()).toMatchObject({
      failedItems: 1,
      lastError: expect.stringMatching(/HTTP 460: sha256 does not match/),
    });
  });

  it('sends the record again when the server says it has none for the clip, then the clip', async () => {
    const { db, time, vault } = await setup();
    await vault.saveEvidence(sampleRecord('TC7'), clip());
    const { fetch, calls } = fakeFetch(storeAll);
    let lost = true;
    const tus = fakeTus((u) => {
      if (lost) {
        lost = false;
        u.opts.onError(
          tusHttpError(409, JSON.stringify({ error: 'record-missing', message: 'No record for TC7 yet' })),
        );
      } else u.opts.onSuccess();
    });
    const { agent } = agentFor(db, time, fetch, tus);
    agent.start();
    await agent.idle();
    expect(calls).toHaveLength(1);
    expect(await db.records.get('TC7')).toMatchObject({ syncState: 'pending' });
    expect((await db.records.get('TC7'))!.recordStoredAt).toBeUndefined();
    expect(await db.outbox.where('[kind+ref]').equals(['record', 'TC7']).count()).toBe(1);

    await agent.syncNow();
    expect(calls).toHaveLength(2);
    expect(tus.uploads).toHaveLength(2);
    expect((await db.records.get('TC7'))!.syncState).toBe('synced');
    expect(agent.status().failedItems).toBe(0);
  });

  it('retries a busy upload (423) later instead of failing it, and stops on 403', async () => {
    const { db, time, vault } = await setup();
    await vault.saveEvidence(sampleRecord('TC5'), clip());
    const { fetch } = fakeFetch(storeAll);
    let status = 423;
    const tus = fakeTus((u) => u.opts.onError(tusHttpError(status)));
    const { agent } = agentFor(db, time, fetch, tus);
    agent.start();
    await agent.idle();
    expect(agent.status().failedItems).toBe(0);
    expect(time.timers.map((t) => t.ms)).toEqual([1500]);
    status = 403;
    time.advance(1500);
    await agent.idle();
    expect(tus.uploads).toHaveLength(2);
    expect(agent.status()).toMatchObject({ enrolled: false, failedItems: 0 });
    expect(time.timers).toHaveLength(0);
  });

  it('stop() aborts the upload in flight and keeps it resumable', async () => {
    const { db, time, vault } = await setup();
    const sealed = await vault.saveEvidence(sampleRecord('TC6'), clip());
    const { fetch } = fakeFetch(storeAll);
    const tus = fakeTus((u) => {
      u.handle.url = `${BASE}/api/uploads/slow`;
      u.opts.onUploadUrlAvailable(); // ...and never finishes
    });
    const { agent } = agentFor(db, time, fetch, tus);
    agent.start();
    while (tus.uploads.length === 0) await new Promise((r) => setTimeout(r, 1));
    await agent.stop();
    expect(tus.uploads[0]!.handle.aborted).toBe(true);
    expect(await db.clips.get(sealed.clip!.clipId)).toMatchObject({
      uploadState: 'pending',
      uploadUrl: `${BASE}/api/uploads/slow`,
    });
  });
});

describe('SyncAgent enrolment state', () => {
  it('does nothing and reports not enrolled when there is no device token', async () => {
    const { db, time, vault } = await setup({ token: null });
    await saveMany(vault, 1);
    const { fetch, calls } = fakeFetch(storeAll);
    const { agent } = agentFor(db, time, fetch);
    agent.start();
    await agent.idle();
    expect(calls).toHaveLength(0);
    expect(agent.status()).toMatchObject({ enrolled: false, pendingRecords: 1 });
  });
});
