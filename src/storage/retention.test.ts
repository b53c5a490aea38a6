import 'fake-indexeddb/auto';
import type { ClipMeta } from '../core/evidence/record.ts';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskDb, RecordRow } from './db.ts';
import { applyRetentionPlan, collectRetentionItems, withoutClip } from './retention.ts';
import { freshDb, HOUR, sampleRecord, T0 } from './evidence.testkit.ts';

const dbs: KioskDb[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

async function seed(db: KioskDb, txn: string, p: Partial<RecordRow> = {}, clipSize = 100) {
  const row: RecordRow = {
    txn,
    lane: 'L1',
    recordedAt: new Date(T0).toISOString(),
    flagged: false,
    syncState: 'pending',
    clipId: `c-${txn}`,
    record: { ...sampleRecord(txn) },
    ...p,
  };
  await db.records.put(row);
  await db.clips.put({
    clipId: `c-${txn}`,
    txn,
    bytes: new Blob([new Uint8Array(clipSize)]),
    size: clipSize,
    sha256: '0'.repeat(64),
    mime: 'video/webm',
    startMs: 0,
    endMs: 1,
    wrappedKey: 'AAAA',
    keyId: 'k',
    uploadState: p.syncState === 'synced' ? 'uploaded' : 'pending',
  });
  await db.outbox.add({ kind: 'clip', ref: `c-${txn}`, attempts: 0, nextAttemptAt: 0 });
}

describe('retention applier', () => {
  it('describes each record by its clip size, seal time and confirmation time', async () => {
    const db = freshDb('ret');
    dbs.push(db);
    await seed(db, 'S', { syncState: 'synced', syncedAt: T0 + HOUR }, 300);
    await seed(db, 'U', { flagged: true }, 200);
    const items = await collectRetentionItems(db);
    expect(items).toEqual([
      {
        id: 'S',
        sealedAt: new Date(T0).toISOString(),
        flagged: false,
        bytes: 300,
        syncedAt: new Date(T0 + HOUR).toISOString(),
      },
      { id: 'U', sealedAt: new Date(T0).toISOString(), flagged: true, bytes: 200 },
    ]);
  });

  it('deletes synced victims whole, strips only the clip of unsynced ones, and re-checks every row', async () => {
    const db = freshDb('ret');
    dbs.push(db);
    await seed(db, 'EARLY', { syncState: 'synced', syncedAt: T0 });
    await seed(db, 'DROP');
    await seed(db, 'NOW-SYNCED', { syncState: 'synced', syncedAt: T0 });
    await seed(db, 'NOT-SYNCED');
    await seed(db, 'FLAGGED', { flagged: true });
    await applyRetentionPlan(
      db,
      {
        victims: [
          { id: 'EARLY', reason: 'emergency-synced' },
          { id: 'DROP', reason: 'emergency-unsynced' },
          // Stale plan entries: the rows changed since the plan was made, or were never eligible.
          { id: 'NOW-SYNCED', reason: 'emergency-unsynced' },
          { id: 'NOT-SYNCED', reason: 'synced-expired' },
          { id: 'FLAGGED', reason: 'emergency-unsynced' },
        ],
        freedBytes: 200,
        guideAlert: true,
      },
      T0,
    );
    expect(await db.records.get('EARLY')).toBeUndefined();
    expect(await db.clips.get('c-EARLY')).toBeUndefined();
    const dropped = await db.records.get('DROP');
    expect(dropped).toMatchObject({ syncState: 'pending', clipDropped: expect.stringMatching(/emergency/) });
    expect(dropped!.clipId).toBeUndefined();
    expect(await db.clips.get('c-DROP')).toBeUndefined();
    expect(await db.outbox.where('[kind+ref]').equals(['clip', 'c-DROP']).count()).toBe(0);
    for (const kept of ['NOW-SYNCED', 'NOT-SYNCED', 'FLAGGED']) {
      expect(await db.clips.get(`c-${kept}`)).toBeDefined();
    }
  });

  it('a record the server already has, once its clip is gone, has nothing left to send', () => {
    const row: RecordRow = {
      txn: 'T',
      lane: 'L1',
      recordedAt: '',
      flagged: false,
      syncState: 'pending',
      recordStoredAt: T0,
      clipId: 'c',
      record: { ...sampleRecord('T'), clip: { clipId: 'c' } as ClipMeta },
    };
    const stored = withoutClip(row, 'why', T0 + 5);
    expect(stored).toMatchObject({ syncState: 'synced', syncedAt: T0 + 5, clipDropped: 'why' });
    expect(stored.record.clip).toBeDefined();
    const unsent = withoutClip({ ...row, recordStoredAt: undefined }, 'why', T0 + 5);
    expect(unsent.syncState).toBe('pending');
    expect(unsent.record.clip).toBeUndefined();
  });
});
