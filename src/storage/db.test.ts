import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { describeOpenError, KioskDb, openKioskDb, SCHEMA, SCHEMA_VERSION } from './db.ts';

const opened: Dexie[] = [];
let n = 0;
const uniqueName = () => `db-test-${++n}-${Math.random().toString(36).slice(2)}`;

afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

describe('kiosk database', () => {
  it('opens at the latest schema version with its tables and their indexes', async () => {
    const db = await openKioskDb(uniqueName());
    opened.push(db);
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(db.tables.map((t) => t.name).sort()).toEqual([
      'clips',
      'meta',
      'outbox',
      'pieceKeys',
      'pieces',
      'records',
    ]);
    expect(db.pieces.schema.primKey.auto).toBe(true);
    expect(db.pieces.schema.indexes.map((i) => i.name)).toEqual(['txn']);
    expect(db.records.schema.primKey.name).toBe('txn');
    expect(db.records.schema.indexes.map((i) => i.name).sort()).toEqual(['recordedAt', 'syncState']);
    expect(db.outbox.schema.primKey.auto).toBe(true);
    expect(db.outbox.schema.indexes.map((i) => i.name)).toContain('[kind+ref]');
  });

  it('keeps meta values typed and persisted across a reopen', async () => {
    const name = uniqueName();
    const db = await openKioskDb(name);
    await db.setMeta('sync', { lastSuccessAt: 42 });
    db.close();
    const again = await openKioskDb(name);
    opened.push(again);
    expect(await again.getMeta('sync')).toEqual({ lastSuccessAt: 42 });
    expect(await again.getMeta('device')).toBeUndefined();
  });

  it('version 2 (checkpoint pieces) opens a version-1 database on disk and keeps every row', async () => {
    const name = uniqueName();
    const v1 = new KioskDb(name, {}, SCHEMA.slice(0, 1));
    await v1.open();
    expect(v1.verno).toBe(1);
    await v1.outbox.add({ kind: 'record', ref: 'T1', attempts: 0, nextAttemptAt: 0 });
    await v1.setMeta('sync', { lastSuccessAt: 7 });
    v1.close();

    const v2 = await openKioskDb(name);
    opened.push(v2);
    expect(v2.verno).toBe(2);
    expect(await v2.outbox.count()).toBe(1);
    expect(await v2.getMeta('sync')).toEqual({ lastSuccessAt: 7 });
    expect(await v2.pieces.count()).toBe(0);
  });

  it('a future version adds a store and its upgrade sees the version-1 data (the documented pattern)', async () => {
    const name = uniqueName();
    const v1 = await openKioskDb(name);
    await v1.outbox.add({ kind: 'record', ref: 'T1', attempts: 0, nextAttemptAt: 0 });
    v1.close();

    const v2 = new KioskDb(name, {}, [
      ...SCHEMA,
      {
        version: SCHEMA_VERSION + 1,
        stores: { notes: '++id, ref' },
        upgrade: async (tx) => {
          const refs = (await tx.table('outbox').toArray()).map((e: { ref: string }) => e.ref);
          await tx.table('notes').bulkAdd(refs.map((ref) => ({ ref })));
        },
      },
    ]);
    opened.push(v2);
    await v2.open();
    expect(v2.verno).toBe(SCHEMA_VERSION + 1);
    expect(await v2.table('notes').toArray()).toEqual([{ id: 1, ref: 'T1' }]);
    expect(await v2.outbox.count()).toBe(1);
  });

  it('an older app (after a rollback) still opens a database a newer one wrote, keeping its rows', async () => {
    // Dexie 4 reopens at the installed version instead of failing with VersionError, and adds the
    // stores this version needs; nothing on disk is dropped.
    const name = uniqueName();
    const newer = new Dexie(name);
    newer.version(SCHEMA_VERSION + 5).stores({ records: 'txn, syncState', later: 'id' });
    await newer.open();
    await newer.table('records').put({ txn: 'T-new', syncState: 'pending' });
    newer.close();
    const db = await openKioskDb(name);
    opened.push(db);
    expect(await db.records.get('T-new')).toMatchObject({ syncState: 'pending' });
    expect(await db.outbox.count()).toBe(0);
    expect([...db.backendDB().objectStoreNames]).toContain('later');
  });

  it('maps version, missing-IndexedDB, quota and unknown failures to clear messages', () => {
    const newer = describeOpenError({ name: 'VersionError', message: 'requested version is less' });
    expect(newer.reason).toBe('newer-version');
    expect(newer.message).toMatch(/newer app version.*Nothing was deleted/s);
    const missing = describeOpenError({ name: 'MissingAPIError', message: 'IndexedDB API missing' });
    expect(missing.reason).toBe('unavailable');
    expect(missing.message).toMatch(/IndexedDB is not available/);
    const wrapped = describeOpenError({
      name: 'OpenFailedError',
      inner: { name: 'QuotaExceededError', message: 'x' },
    });
    expect(wrapped.reason).toBe('quota');
    expect(describeOpenError(new Error('boom')).message).toBe('Could not open the evidence database: boom');
  });
});
