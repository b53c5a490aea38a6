import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { decryptClip, sha256Hex, unwrapClipKey } from '../core/evidence/clipCipher.ts';
import { KioskDb, type ClipRow, type RecordRow } from './db.ts';
import { EvidenceVault, type VaultDeps } from './evidenceVault.ts';
import {
  blobBytes,
  contains,
  freshDb,
  HOUR,
  plainClip,
  sampleRecord,
  serverPair,
  T0,
  type ServerPair,
} from './evidence.testkit.ts';

let server: ServerPair;
beforeAll(async () => {
  server = await serverPair();
});

const dbs: KioskDb[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

function setup(overrides: Partial<VaultDeps> = {}) {
  const db = freshDb('vault');
  dbs.push(db);
  const alerts: string[] = [];
  const deps: VaultDeps = {
    getServerKey: async () => server.handle,
    now: () => T0,
    estimate: async () => ({ usage: 0, quota: 10e9 }),
    onAlert: (m) => alerts.push(m),
    // The real thresholds are 512 MiB / 1 GiB; tests work in kilobytes.
    retention: { lowFreeBytes: 0, targetFreeBytes: 0 },
    ...overrides,
  };
  return { db, alerts, vault: new EvidenceVault(db, deps) };
}

const clipOf = (n: number, seed = 1) => ({
  bytes: plainClip(n, seed),
  mime: 'video/webm',
  startMs: T0 - 60_000,
  endMs: T0,
  faceBlur: true,
});

/** A row as the sync agent leaves it once the server confirmed everything (or, unsynced, before). */
async function seedSynced(
  db: KioskDb,
  txn: string,
  syncedAt: number,
  size: number,
  flagged = false,
  synced = true,
) {
  const rec = { ...sampleRecord(txn, { at: syncedAt, flagged }) };
  const row: RecordRow = {
    txn,
    lane: 'L1',
    recordedAt: rec.recordedAt,
    flagged,
    syncState: synced ? 'synced' : 'pending',
    clipId: `c-${txn}`,
    record: rec,
  };
  if (synced) {
    row.syncedAt = syncedAt;
    row.recordStoredAt = syncedAt;
  }
  const clip: ClipRow = {
    clipId: `c-${txn}`,
    txn,
    bytes: new Blob([new Uint8Array(size)]),
    size,
    sha256: '0'.repeat(64),
    mime: 'video/webm',
    startMs: 0,
    endMs: 1,
    wrappedKey: 'AAAA',
    keyId: 'k',
    uploadState: synced ? 'uploaded' : 'pending',
  };
  await db.records.put(row);
  await db.clips.put(clip);
}

describe('EvidenceVault.saveEvidence', () => {
  it('stores record, encrypted clip and two outbox entries; all survive reopening the database', async () => {
    const { db, vault } = setup();
    const sealed = await vault.saveEvidence(sampleRecord('T1'), clipOf(200_000));
    expect(sealed.clip).toMatchObject({ mime: 'video/webm', faceBlur: true, keyId: server.handle.keyId });
    db.close();

    const again = new KioskDb(db.name);
    dbs.push(again);
    const row = await again.records.get('T1');
    expect(row).toMatchObject({ syncState: 'pending', clipId: sealed.clip!.clipId, flagged: false });
    expect(row!.record).toEqual(sealed);
    const outbox = await again.outbox.toArray();
    expect(outbox.map((e) => [e.kind, e.ref])).toEqual([
      ['record', 'T1'],
      ['clip', sealed.clip!.clipId],
    ]);
  });

  it('never writes the plaintext; the wrapped key opens the stored clip only with the server private key', async () => {
    const { db, vault } = setup();
    const plain = plainClip(150_000, 9);
    const sealed = await vault.saveEvidence(sampleRecord('T2'), { ...clipOf(0), bytes: plain });
    const clip = await db.clips.get(sealed.clip!.clipId);
    const stored = await blobBytes(clip!.bytes);

    expect(contains(stored, new TextEncoder().encode('PLAINTEXT-CLIP-MARKER'))).toBe(false);
    expect(contains(stored, plain.subarray(5000, 5064))).toBe(false);
    expect(stored.length).toBe(sealed.clip!.bytes);
    expect(await sha256Hex(stored)).toBe(sealed.clip!.sha256);

    const key = await unwrapClipKey(sealed.clip!.wrappedKey, server.privateKey);
    expect(await decryptClip(stored, key)).toEqual(plain);
    const stranger = await serverPair();
    await expect(unwrapClipKey(sealed.clip!.wrappedKey, stranger.privateKey)).rejects.toThrow();
  });

  it('saving the same txn twice keeps the first sealed record and queues nothing more', async () => {
    const { db, vault } = setup();
    const first = await vault.saveEvidence(sampleRecord('T3'), clipOf(1000));
    const second = await vault.saveEvidence(sampleRecord('T3'), clipOf(1000, 2));
    expect(second.clip!.clipId).toBe(first.clip!.clipId);
    expect(await db.outbox.count()).toBe(2);
    expect(await db.clips.count()).toBe(1);
  });

  it('stores the order at close and attaches the clip later as a newer seal the server will take', async () => {
    let now = T0;
    const { db, vault } = setup({ now: () => now });
    const record = sampleRecord('T10', { at: T0 });
    await vault.saveEvidence(record);
    // The sync agent already delivered the clip-less version.
    await db.outbox.clear();
    await db.records.update('T10', { recordStoredAt: T0 + 1 });

    now = T0 + 3_000;
    const sealed = await vault.attachClip('T10', clipOf(2000));
    expect(sealed.clip).toBeDefined();
    expect(Date.parse(sealed.recordedAt)).toBe(T0 + 3_000);
    const row = await db.records.get('T10');
    expect(row).toMatchObject({
      syncState: 'pending',
      clipId: sealed.clip!.clipId,
      recordedAt: sealed.recordedAt,
    });
    expect(row!.recordStoredAt).toBeUndefined();
    expect((await db.outbox.toArray()).map((e) => [e.kind, e.ref])).toEqual([
      ['record', 'T10'],
      ['clip', sealed.clip!.clipId],
    ]);
    await expect(vault.attachClip('NOPE', clipOf(10))).rejects.toThrow(/no record for transaction NOPE/);
  });

  it('a newer seal replaces the record but keeps the stored clip; an older seal changes nothing', async () => {
    const { db, vault } = setup();
    const first = await vault.saveEvidence(sampleRecord('T11', { at: T0 }), clipOf(1000));
    const later = { ...sampleRecord('T11', { at: T0 + 60_000, flagged: true }) };
    const resealed = await vault.saveEvidence(later, clipOf(1000, 3));
    expect(resealed.flagged).toBe(true);
    expect(resealed.clip).toEqual(first.clip);
    expect(await db.clips.count()).toBe(1);
    expect((await db.outbox.toArray()).filter((e) => e.kind === 'record')).toHaveLength(1);
    expect((await db.records.get('T11'))!.record).toEqual(resealed);

    const older = await vault.saveEvidence(sampleRecord('T11', { at: T0 - 1 }));
    expect(older).toEqual(resealed);
  });

  it('without a server key keeps the record (clip-less, still queued) and raises the alert', async () => {
    const { db, vault, alerts } = setup({
      getServerKey: () => Promise.reject(new Error('the kiosk is not enrolled')),
    });
    const saved = await vault.saveEvidence(sampleRecord('T4'), clipOf(1000));
    expect(saved.clip).toBeUndefined();
    expect(await db.clips.count()).toBe(0);
    expect(await db.records.get('T4')).toMatchObject({ clipDropped: expect.stringMatching(/not enrolled/) });
    expect((await db.outbox.toArray()).map((e) => e.kind)).toEqual(['record']);
    expect(alerts).toEqual([expect.stringMatching(/T4: clip not kept: no server key/)]);
  });

  it('on QuotaExceededError runs retention, retries once and then stores the clip', async () => {
    const { db, vault, alerts } = setup({ now: () => T0 + 100 * HOUR });
    await seedSynced(db, 'OLD', T0, 50_000);
    const add = vi
      .spyOn(db.clips, 'add')
      .mockRejectedValueOnce(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    const sealed = await vault.saveEvidence(sampleRecord('T5', { at: T0 + 100 * HOUR }), clipOf(10_000));
    expect(add).toHaveBeenCalledTimes(2);
    expect(sealed.clip).toBeDefined();
    expect(await db.records.get('OLD')).toBeUndefined();
    expect(await db.clips.get('c-OLD')).toBeUndefined();
    expect(await db.clips.get(sealed.clip!.clipId)).toBeDefined();
    expect(alerts).toEqual([]);
  });

  it('when the retry also hits the quota, keeps the record without its clip, never deletes flagged evidence, alerts', async () => {
    const { db, vault, alerts } = setup({ retention: { lowFreeBytes: 1, targetFreeBytes: 1_000_000 } });
    await seedSynced(db, 'FLAG', T0 - 500 * HOUR, 50_000, true, false);
    vi.spyOn(db.clips, 'add').mockRejectedValue(new DOMException('full', 'QuotaExceededError'));
    const saved = await vault.saveEvidence(sampleRecord('T6'), clipOf(10_000));
    expect(saved.clip).toBeUndefined();
    expect(await db.records.get('T6')).toMatchObject({
      syncState: 'pending',
      clipDropped: expect.stringMatching(/storage full/),
    });
    expect(await db.records.get('FLAG')).toBeDefined();
    expect(await db.clips.get('c-FLAG')).toBeDefined();
    expect(alerts).toEqual([
      expect.stringMatching(/only flagged, unsynced evidence is left/),
      expect.stringMatching(/T6: clip not kept: storage full/),
    ]);
  });

  it('when the estimate says full, the emergency rule drops the oldest unflagged unsynced clip, never a flagged one', async () => {
    const now = T0 + 10 * HOUR;
    // usage follows the clips actually stored, as the browser's estimate would (roughly).
    const holder: { db?: KioskDb } = {};
    const estimate = async () => {
      let usage = 0;
      await holder.db!.clips.each((c) => (usage += c.size));
      return { usage, quota: 60_000 };
    };
    const ctx = setup({ now: () => now, estimate });
    const db = (holder.db = ctx.db);
    const flagged = await ctx.vault.saveEvidence(
      sampleRecord('FLAGGED', { at: T0, flagged: true }),
      clipOf(20_000),
    );
    const oldest = await ctx.vault.saveEvidence(sampleRecord('OLDEST', { at: T0 + HOUR }), clipOf(20_000));
    const newer = await ctx.vault.saveEvidence(sampleRecord('NEWER', { at: T0 + 2 * HOUR }), clipOf(5_000));
    expect(ctx.alerts).toEqual([]);

    const latest = await ctx.vault.saveEvidence(sampleRecord('LATEST', { at: now }), clipOf(20_000));
    expect(latest.clip).toBeDefined();
    expect(await db.clips.get(flagged.clip!.clipId)).toBeDefined();
    expect(await db.clips.get(newer.clip!.clipId)).toBeDefined();
    expect(await db.clips.get(oldest.clip!.clipId)).toBeUndefined();
    const kept = await db.records.get('OLDEST');
    // The record stays and is still queued; the server will get it without clip metadata.
    expect(kept).toMatchObject({ syncState: 'pending', clipDropped: expect.stringMatching(/emergency/) });
    expect(kept!.record.clip).toBeUndefined();
    expect(await db.outbox.where('[kind+ref]').equals(['clip', oldest.clip!.clipId]).count()).toBe(0);
    expect(ctx.alerts).toEqual([expect.stringMatching(/1 unsynced order video\(s\) deleted/)]);
  });
});

describe('EvidenceVault under quota pressure: records are kept', () => {
  it('a record write that hits the quota frees clips (oldest unflagged unsynced, never flagged) and is stored', async () => {
    const { db, vault, alerts } = setup({ retention: { lowFreeBytes: 1, targetFreeBytes: 1_000_000 } });
    await seedSynced(db, 'OLD', T0 - 5 * HOUR, 50_000, false, false);
    await seedSynced(db, 'FLAG', T0 - 9 * HOUR, 50_000, true, false);
    const add = vi
      .spyOn(db.records, 'add')
      .mockRejectedValueOnce(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    const saved = await vault.saveEvidence(sampleRecord('R1'));
    expect(add).toHaveBeenCalledTimes(2);
    expect(saved.txn).toBe('R1');
    expect(await db.records.get('R1')).toMatchObject({ syncState: 'pending' });
    expect(await db.records.get('OLD')).toMatchObject({ clipDropped: expect.stringMatching(/emergency/) });
    expect(await db.clips.get('c-OLD')).toBeUndefined();
    expect(await db.clips.get('c-FLAG')).toBeDefined();
    expect(alerts).toEqual([expect.stringMatching(/unsynced order video\(s\) deleted/)]);
  });

  it('when nothing may be deleted, says so clearly and leaves the other evidence alone', async () => {
    const { db, vault, alerts } = setup({ retention: { lowFreeBytes: 1, targetFreeBytes: 1_000_000 } });
    await seedSynced(db, 'FLAG', T0 - 9 * HOUR, 50_000, true, false);
    vi.spyOn(db.records, 'add').mockRejectedValue(new DOMException('full', 'QuotaExceededError'));
    await expect(vault.saveEvidence(sampleRecord('R2'))).rejects.toThrow(
      /R2: order record not stored: storage full/,
    );
    expect(await db.clips.get('c-FLAG')).toBeDefined();
    expect(alerts.at(-1)).toMatch(/order record not stored/);
  });
});

describe('EvidenceVault housekeeping', () => {
  it('routine retention deletes what the server confirmed over 72 h ago and never unsynced evidence', async () => {
    const now = T0 + 1000 * HOUR;
    const { db, vault, alerts } = setup({ now: () => now });
    await seedSynced(db, 'EXPIRED', now - 73 * HOUR, 10);
    await seedSynced(db, 'YOUNG', now - 71 * HOUR, 10);
    // Flagged evidence the server holds follows the 72 h rule too: the server keeps it until resolved.
    await seedSynced(db, 'FLAGGED-SYNCED', now - 900 * HOUR, 10, true);
    await seedSynced(db, 'FLAGGED-UNSYNCED', now - 900 * HOUR, 10, true, false);
    await vault.saveEvidence(sampleRecord('UNSYNCED', { at: T0 }), clipOf(100));
    await vault.runRetention();
    expect((await db.records.toCollection().primaryKeys()).sort()).toEqual([
      'FLAGGED-UNSYNCED',
      'UNSYNCED',
      'YOUNG',
    ]);
    expect(await db.clips.get('c-EXPIRED')).toBeUndefined();
    expect(await db.clips.get('c-FLAGGED-UNSYNCED')).toBeDefined();
    expect(alerts).toEqual([]);
  });

  it('asks for persistent storage once and records a refusal', async () => {
    const persist = vi.fn(async () => false);
    const { db, vault } = setup({ persist });
    expect(await vault.requestPersistence()).toBe(false);
    expect(await vault.requestPersistence()).toBe(false);
    expect(persist).toHaveBeenCalledTimes(1);
    expect(await db.getMeta('persist')).toEqual({ persisted: false, askedAt: T0 });
    expect(await vault.storageEstimate()).toEqual({ usage: 0, quota: 10e9, persisted: false });
  });

  it('records a browser that throws on persist() as not persisted, with the reason', async () => {
    const { db, vault } = setup({ persist: () => Promise.reject(new Error('not allowed')) });
    expect(await vault.requestPersistence()).toBe(false);
    expect(await db.getMeta('persist')).toMatchObject({ persisted: false, error: 'not allowed' });
  });
});
