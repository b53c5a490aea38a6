import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackup } from '../backup/createBackup.ts';
import { restoreBackup } from '../backup/restoreBackup.ts';
import { FileBlobStore } from '../store/fileBlobStore.ts';
import { loadMigrations, migrate } from '../store/migrate.ts';
import { openStoreDb } from '../store/openEvidenceStore.ts';
import { SqlEvidenceStore } from '../store/sqlEvidenceStore.ts';
import { makeTempDir } from '../store/storeBackends.testkit.ts';

/**
 * Migration 002 added lane_zones. A store still at schema 1 (new code, server not started yet: a
 * backup never migrates) must back up, and its backup restore, without that table.
 */
describe('backups taken before lane zones existed (PGlite)', () => {
  const dirs: string[] = [];
  const stores: SqlEvidenceStore[] = [];
  const open = async (label: string) => {
    const dataDir = await makeTempDir(label);
    dirs.push(dataDir);
    const store = new SqlEvidenceStore(await openStoreDb({ dataDir }));
    stores.push(store);
    return { store, blobs: new FileBlobStore(path.join(dataDir, 'blobs')), dataDir };
  };
  afterAll(async () => {
    for (const s of stores) await s.close().catch(() => undefined);
    for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
  });

  it('backs up a schema-1 store and restores it, migrating the target to the current schema', async () => {
    const source = await open('zones-v1');
    await migrate(source.store.db, await loadMigrations(), { upTo: 1 });
    await source.store.createPrincipal(
      { id: 'dev_L01', kind: 'device', role: 'device', lane: 'L01', name: 'K1' },
      'b'.repeat(64),
    );
    const file = path.join(source.dataDir, 'v1.lcb');
    const manifest = await createBackup({ store: source.store, blobs: source.blobs, file });
    expect(manifest.schemaVersion).toBe(1);
    expect(manifest.tables.lane_zones).toEqual({ rows: 0, parts: [] });

    const target = await open('zones-restore');
    const result = await restoreBackup({ ...target, file, tempDir: path.join(target.dataDir, 'tmp') });
    const latest = (await loadMigrations()).at(-1)!.version;
    expect(result.schemaVersion).toBe(latest);
    expect(result.rows).toMatchObject({ principals: 1, lane_zones: 0 });
    expect(await target.store.getLaneZones('L01')).toBeNull();
  }, 240_000);
});
