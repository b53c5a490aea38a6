import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyStoredAuditChain } from './auditChain.ts';
import { FileBlobStore } from './fileBlobStore.ts';
import { runRetention } from './retentionJob.ts';
import { sampleRecord } from './sampleRecord.testkit.ts';
import { BACKENDS, openTestStore, type TestStore } from './storeBackends.testkit.ts';
import { createHash } from 'node:crypto';

const now = new Date('2026-11-22T00:00:00.000Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
const config = { retentionDays: 90, lowDiskFreeBytes: 1000, emergencyTargetFreeBytes: 2000 };
const plenty = async () => 1_000_000;

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(backend.title('runRetention'), () => {
    let t: TestStore;
    let blobs: FileBlobStore;
    beforeAll(async () => {
      t = await openTestStore(backend.name);
    }, 60_000);
    afterAll(async () => {
      await t?.dispose();
    });
    beforeEach(async () => {
      await t.reset();
      const root = path.join(t.dataDir, 'blobs');
      await fs.rm(root, { recursive: true, force: true });
      blobs = new FileBlobStore(root);
    });

    /** A record received `ageDays` ago with a real clip file of `bytes` bytes. */
    async function put(txn: string, ageDays: number, bytes: number, opts: { flagged?: boolean } = {}) {
      await t.store.upsertRecord(sampleRecord({ txn, flagged: opts.flagged ?? false }), daysAgo(ageDays));
      if (bytes === 0) return '';
      const data = Buffer.alloc(bytes, txn);
      const sha256 = createHash('sha256').update(data).digest('hex');
      const tmp = path.join(t.dataDir, `upload-${txn}`);
      await fs.writeFile(tmp, data);
      await blobs.putFile(tmp, sha256);
      await t.store.attachClip(txn, sha256, bytes);
      return sha256;
    }

    it('deletes expired records and their clips, keeps held, flagged and young ones, and audits each', async () => {
      const oldClip = await put('old', 120, 300);
      await put('old-held', 120, 300);
      await put('old-flagged', 100, 300, { flagged: true });
      const youngClip = await put('young', 10, 300);
      await t.store.setHold('old-held', true);

      const report = await runRetention(t.store, blobs, config, now, plenty);
      expect(report).toMatchObject({
        deleted: 1,
        kept: 2,
        emergency: false,
        lowDisk: false,
        freedBytes: 300,
      });
      expect(report.alert).toBeUndefined();
      expect(await t.store.getRecord('old')).toBeNull();
      expect(await blobs.has(oldClip)).toBe(false);
      expect(await blobs.has(youngClip)).toBe(true);
      for (const txn of ['old-held', 'old-flagged', 'young'])
        expect(await t.store.getRecord(txn)).not.toBeNull();

      const audit = await t.store.listAudit({ limit: 10 });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: 'retention', action: 'record.delete', target: 'old' });
      expect(audit[0]?.detail).toMatchObject({ reason: 'expired', clipSha256: oldClip, clipBytes: 300 });
      expect((await verifyStoredAuditChain(t.store)).ok).toBe(true);

      // A second run finds nothing more to do.
      expect((await runRetention(t.store, blobs, config, now, plenty)).deleted).toBe(0);
    });

    it('on low disk deletes the oldest unprotected clips until the target is free, and reports the breach', async () => {
      await put('no-clip', 80, 0);
      await put('a', 60, 400);
      await put('b', 50, 400, { flagged: true });
      await put('c', 40, 400);
      await put('d', 30, 400);
      await put('e', 20, 400);
      // 900 free, target 2000: needs 1100 → a, c, d (b is flagged, no-clip frees nothing).
      const report = await runRetention(t.store, blobs, config, now, async () => 900);
      expect(report).toMatchObject({ emergency: true, lowDisk: true, emergencyDeleted: 3, deleted: 3 });
      expect(report.deletedWithinRetention).toBe(3);
      expect(report.alert).toMatch(/younger than 90 days/);
      const left = (await t.store.listRecords({ limit: 10 })).map((r) => r.record.txn).sort();
      expect(left).toEqual(['b', 'e', 'no-clip']);
      expect(await blobs.usage()).toEqual({ files: 2, bytes: 800 });
      const actions = (await t.store.listAudit({ limit: 10 })).map((e) => [
        e.target,
        e.detail.reason ?? e.action,
      ]);
      expect(actions).toEqual([
        ['a', 'emergency'],
        ['c', 'emergency'],
        ['d', 'emergency'],
        ['storage', 'retention.alert'],
      ]);
    });

    it('alerts when deleting everything deletable still leaves the disk short', async () => {
      await put('a', 60, 100);
      await put('held', 70, 5000);
      await t.store.setHold('held', true);
      const report = await runRetention(t.store, blobs, config, now, async () => 10);
      expect(report.emergencyDeleted).toBe(1);
      expect(report.alert).toMatch(/frees 100 of the 1990 bytes needed/);
      expect(await t.store.getRecord('held')).not.toBeNull();
    });

    it('refuses a retention period below 90 days unless explicitly allowed', async () => {
      await put('x', 40, 10);
      await expect(runRetention(t.store, blobs, { retentionDays: 30 }, now, plenty)).rejects.toThrow(
        /90-day/,
      );
      expect(await t.store.getRecord('x')).not.toBeNull();
      const report = await runRetention(
        t.store,
        blobs,
        { ...config, retentionDays: 30, allowBelowMinimum: true },
        now,
        plenty,
      );
      expect(report.deleted).toBe(1);
    });
  });
}
