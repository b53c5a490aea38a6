import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStoredAuditChain } from '../store/auditChain.ts';
import { FileBlobStore } from '../store/fileBlobStore.ts';
import { openStoreDb } from '../store/openEvidenceStore.ts';
import { fakeSha, sampleRecord } from '../store/sampleRecord.testkit.ts';
import { SqlEvidenceStore } from '../store/sqlEvidenceStore.ts';
import {
  makeTempDir,
  openTestStore,
  TEST_DATABASE_URL,
  PG_SKIP_MESSAGE,
  type TestStore,
} from '../store/storeBackends.testkit.ts';
import { ArchiveReader } from './archive.ts';
import { createBackup } from './createBackup.ts';
import { restoreBackup, RestoreRefusedError } from './restoreBackup.ts';
import { snapshotStore } from './storeSnapshot.testkit.ts';
import { BackupVerifyError, verifyArchive } from './verifyArchive.ts';

const run = promisify(execFile);
const hex = (c: string) => c.repeat(64);

/** A store with a bit of everything: people, a device, codes, records with clips, holds, audit. */
async function populate(t: TestStore): Promise<FileBlobStore> {
  const { store } = t;
  const blobs = new FileBlobStore(path.join(t.dataDir, 'blobs'));
  await store.createPrincipal({ id: 'usr_admin', kind: 'user', role: 'admin', name: '店长 Li' }, hex('a'));
  await store.createPrincipal(
    { id: 'dev_L01', kind: 'device', role: 'device', lane: 'L01', name: 'K1' },
    hex('b'),
  );
  await store.createEnrolmentCode(hex('c'), 'L02', '2099-01-01T00:00:00.000Z');
  await store.createEnrolmentCode(hex('d'), 'L03', '2099-01-01T00:00:00.000Z');
  await store.consumeEnrolmentCode(hex('d'), '2026-11-01T00:00:00.000Z');
  for (let i = 1; i <= 3; i++) {
    const clipData = Buffer.from(`encrypted clip ${i} `.repeat(1000 * i));
    const sha256 = createHash('sha256').update(clipData).digest('hex');
    const clip = {
      clipId: `c${i}`,
      mime: 'video/webm',
      bytes: clipData.length,
      sha256,
      startMs: 0,
      endMs: 9,
      faceBlur: true,
      wrappedKey: 'AA==',
      keyId: 'k1',
    };
    await store.upsertRecord(
      sampleRecord({ txn: `T-${i}`, flagged: i === 2, clip }),
      `2026-11-0${i}T10:00:00.123Z`,
    );
    const tmp = path.join(t.dataDir, `up-${i}`);
    await fs.writeFile(tmp, clipData);
    await blobs.putFile(tmp, sha256);
    await store.attachClip(`T-${i}`, sha256, clipData.length);
    await store.appendAudit({
      at: `2026-11-0${i}T10:00:01Z`,
      actor: 'dev_L01',
      action: 'clip.upload',
      target: `T-${i}`,
      detail: { sha256, bytes: clipData.length },
    });
  }
  const square = [
    { x: 0.1, y: 0.1 },
    { x: 0.4, y: 0.1 },
    { x: 0.4, y: 0.4 },
    { x: 0.1, y: 0.4 },
  ];
  await store.putLaneZones(
    'L01',
    {
      v: 1,
      updatedAt: '2026-11-01T07:00:00.000Z',
      zones: { pickup: square, scanner: square, bagging: square },
    },
    'dev_L01',
    '2026-11-01T07:00:01.000Z',
  );
  await store.setHold('T-3', true);
  await store.setHold('T-2', false, '2026-11-05T08:00:00.000Z');
  await store.appendAudit({
    at: '2026-11-06T09:00:00Z',
    actor: 'usr_admin',
    action: 'clip.view',
    target: 'T-2',
    detail: { range: [0, 99], 说明: '复核' },
  });
  return blobs;
}

/** A fresh, empty, unmigrated PGlite store, as the restore command gets it. */
async function emptyPglite(): Promise<{ store: SqlEvidenceStore; blobs: FileBlobStore; dataDir: string }> {
  const dataDir = await makeTempDir('restore');
  const store = new SqlEvidenceStore(await openStoreDb({ dataDir }));
  return { store, blobs: new FileBlobStore(path.join(dataDir, 'blobs')), dataDir };
}

/** Copies an archive with one byte of the chosen entry's body flipped. */
async function tamper(file: string, pick: (kind: string, index: number) => boolean): Promise<string> {
  const reader = await ArchiveReader.open(file);
  let offset = -1;
  let i = 0;
  for await (const e of reader.entries()) if (offset < 0 && pick(e.header.kind, i++)) offset = e.offset + 1;
  await reader.close();
  const bytes = await fs.readFile(file);
  bytes[offset] = bytes[offset]! ^ 0x01;
  const out = `${file}.tampered-${offset}`;
  await fs.writeFile(out, bytes);
  return out;
}

async function verifyFile(file: string) {
  const reader = await ArchiveReader.open(file);
  try {
    return await verifyArchive(reader);
  } finally {
    await reader.close();
  }
}

describe('backup and restore (PGlite)', () => {
  let source: TestStore;
  let sourceBlobs: FileBlobStore;
  let work = '';
  let archive = '';
  let target: Awaited<ReturnType<typeof emptyPglite>>;

  beforeAll(async () => {
    work = await makeTempDir('backup');
    [source, target] = await Promise.all([openTestStore('pglite'), emptyPglite()]);
    sourceBlobs = await populate(source);
    archive = path.join(work, 'store.lcb');
  }, 60_000);
  afterAll(async () => {
    await source?.dispose();
    await target?.store.close();
    await fs.rm(work, { recursive: true, force: true });
    if (target) await fs.rm(target.dataDir, { recursive: true, force: true });
  });

  it('restores every row, clip and audit entry into a fresh store, and the chain verifies', async () => {
    const manifest = await createBackup({ store: source.store, blobs: sourceBlobs, file: archive });
    expect(manifest.problems).toEqual([]);
    expect(manifest.blobs).toHaveLength(3);
    expect(manifest.audit).toMatchObject({ entries: 4, chain: { ok: true, count: 4 } });
    await expect(createBackup({ store: source.store, blobs: sourceBlobs, file: archive })).rejects.toThrow(
      /exists/,
    );

    const result = await restoreBackup({
      ...target,
      file: archive,
      tempDir: path.join(target.dataDir, 'tmp'),
    });
    expect(result).toMatchObject({
      schemaVersion: 2,
      clipsWritten: 3,
      rows: { principals: 2, enrolment_codes: 2, records: 3, audit: 4, lane_zones: 1 },
    });
    expect(result.audit).toMatchObject({ ok: true, count: 4 });

    expect(await snapshotStore(target.store, target.blobs)).toEqual(
      await snapshotStore(source.store, sourceBlobs),
    );
    // And through the interface: what the routes will see.
    expect(await target.store.getRecord('T-2')).toEqual(await source.store.getRecord('T-2'));
    expect(await target.store.listAudit({ limit: 10 })).toEqual(await source.store.listAudit({ limit: 10 }));
    expect((await target.store.findPrincipalByTokenHash(hex('b')))?.lane).toBe('L01');
    expect(await target.store.consumeEnrolmentCode(hex('d'), '2026-11-02T00:00:00Z')).toBeNull();
    expect((await verifyStoredAuditChain(target.store)).ok).toBe(true);
  }, 30_000);

  it('refuses a non-empty store unless forced; forced, it replaces rows and stray clips', async () => {
    await target.store.appendAudit({
      at: '2026-12-01T00:00:00Z',
      actor: 'x',
      action: 'y',
      target: 'z',
      detail: {},
    });
    const stray = path.join(target.dataDir, 'stray');
    await fs.writeFile(stray, 'stray');
    await target.blobs.putFile(stray, fakeSha(7));
    const opts = { ...target, file: archive, tempDir: path.join(target.dataDir, 'tmp') };
    await expect(restoreBackup(opts)).rejects.toBeInstanceOf(RestoreRefusedError);
    const forced = await restoreBackup({ ...opts, force: true });
    expect(forced).toMatchObject({ clipsAlreadyPresent: 3, clipsRemoved: 1, audit: { ok: true, count: 4 } });
    expect(await target.blobs.has(fakeSha(7))).toBe(false);
    expect(await snapshotStore(target.store, target.blobs)).toEqual(
      await snapshotStore(source.store, sourceBlobs),
    );
  }, 30_000);

  it('detects a flipped byte in rows, a clip or the manifest, and a truncated archive', async () => {
    expect((await verifyFile(archive)).chain.ok).toBe(true);
    const cases: [string, (kind: string, i: number) => boolean, RegExp][] = [
      ['rows', (k) => k === 'rows', /part 0: content does not match/],
      ['clip', (k) => k === 'blob', /clip [0-9a-f]{64}: content does not match/],
      ['manifest', (k) => k === 'manifest', /manifest does not match/],
    ];
    for (const [label, pick, message] of cases) {
      const bad = await tamper(archive, pick);
      await expect(verifyFile(bad), label).rejects.toThrow(message);
    }
    const full = await fs.readFile(archive);
    const truncated = path.join(work, 'truncated.lcb');
    await fs.writeFile(truncated, full.subarray(0, full.length - 100));
    await expect(verifyFile(truncated)).rejects.toThrow(/runs past the end|truncated/);
  });

  it('writes nothing when verification fails, even when forced', async () => {
    const before = await snapshotStore(target.store, target.blobs);
    const bad = await tamper(archive, (k, i) => k === 'blob' && i > 5);
    const opts = { ...target, file: bad, tempDir: path.join(target.dataDir, 'tmp'), force: true };
    await expect(restoreBackup(opts)).rejects.toBeInstanceOf(BackupVerifyError);
    expect(await snapshotStore(target.store, target.blobs)).toEqual(before);
  });

  it('refuses an archive whose audit chain was already broken at the source, unless forced', async () => {
    await source.store.db.exec(`ALTER TABLE audit DISABLE TRIGGER audit_append_only;
      UPDATE audit SET actor = 'forger' WHERE seq = 2;
      ALTER TABLE audit ENABLE TRIGGER audit_append_only;`);
    const broken = path.join(work, 'broken.lcb');
    const manifest = await createBackup({ store: source.store, blobs: sourceBlobs, file: broken });
    expect(manifest.problems).toEqual([expect.stringMatching(/audit chain broken at seq 2/)]);
    const opts = { ...target, file: broken, tempDir: path.join(target.dataDir, 'tmp'), force: false };
    await target.store.db.exec('TRUNCATE principals, enrolment_codes, records, audit, lane_zones');
    for await (const h of target.blobs.list()) await target.blobs.remove(h);
    await expect(restoreBackup(opts)).rejects.toThrow(/audit chain is broken at seq 2/);
    const forced = await restoreBackup({ ...opts, force: true });
    expect(forced.audit).toMatchObject({ ok: false, brokenAt: 2 });
  }, 30_000);

  it('runs as commands: backup refuses while the server holds the database, then round-trips', async () => {
    const cli = (script: string, args: string[], dataDir: string) =>
      run(process.execPath, ['--import', 'tsx', `sync-server/src/backup/${script}`, ...args], {
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
      }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
      );
    const file = path.join(work, 'cli.lcb');
    const locked = await cli('backup.ts', ['--out', file], source.dataDir);
    expect(locked.code).toBe(1);
    expect(locked.out).toMatch(/open in another process/);

    await source.store.close();
    const backup = await cli('backup.ts', ['--out', file], source.dataDir);
    expect(backup.out).toMatch(/problem: audit chain broken at seq 2/); // left by the previous test
    expect(backup.code).toBe(2);
    // Into the existing target (reopening a data dir is fast; a new one costs PGlite's initdb).
    await target.store.close();
    await fs.rm(path.join(target.dataDir, 'blobs'), { recursive: true, force: true });
    const restored = await cli('restore.ts', ['--in', file, '--force'], target.dataDir);
    expect(restored.code).toBe(0);
    expect(restored.out).toMatch(/rows: principals 2, enrolment_codes 2, records 3, audit 4/);
    expect(restored.out).toMatch(/clips: 3 written/);
  }, 90_000);
});

describe.skipIf(!TEST_DATABASE_URL)(
  TEST_DATABASE_URL
    ? 'backup and restore (PostgreSQL → PGlite and PostgreSQL)'
    : `backup and restore: ${PG_SKIP_MESSAGE}`,
  () => {
    let source: TestStore;
    let pgTarget: TestStore;
    let work = '';
    let target: Awaited<ReturnType<typeof emptyPglite>>;
    beforeAll(async () => {
      work = await makeTempDir('backup-pg');
      [source, pgTarget, target] = await Promise.all([
        openTestStore('postgres'),
        openTestStore('postgres'),
        emptyPglite(),
      ]);
    }, 60_000);
    afterAll(async () => {
      await source?.dispose();
      await pgTarget?.dispose();
      await target?.store.close();
      await fs.rm(work, { recursive: true, force: true });
      if (target) await fs.rm(target.dataDir, { recursive: true, force: true });
    });

    it('a PostgreSQL backup restores identically into PGlite and into another PostgreSQL schema', async () => {
      const sourceBlobs = await populate(source);
      const file = path.join(work, 'pg.lcb');
      const manifest = await createBackup({ store: source.store, blobs: sourceBlobs, file });
      expect(manifest).toMatchObject({ source: 'postgres', problems: [] });
      const expected = await snapshotStore(source.store, sourceBlobs);

      await restoreBackup({ ...target, file, tempDir: path.join(target.dataDir, 'tmp') });
      expect(await snapshotStore(target.store, target.blobs)).toEqual(expected);
      expect((await verifyStoredAuditChain(target.store)).ok).toBe(true);

      const pgBlobs = new FileBlobStore(path.join(pgTarget.dataDir, 'blobs'));
      await restoreBackup({
        store: pgTarget.store,
        blobs: pgBlobs,
        file,
        tempDir: path.join(pgTarget.dataDir, 'tmp'),
        force: true,
      });
      expect(await snapshotStore(pgTarget.store, pgBlobs)).toEqual(expected);
    }, 60_000);
  },
);
