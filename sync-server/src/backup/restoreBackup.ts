import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { verifyStoredAuditChain, type ChainCheck } from '../store/auditChain.ts';
import type { BlobStore } from '../store/evidenceStore.ts';
import { loadMigrations, migrate, schemaVersion } from '../store/migrate.ts';
import type { SqlEvidenceStore } from '../store/sqlEvidenceStore.ts';
import { ArchiveReader, sha256Hex, type Entry } from './archive.ts';
import { countRows, importRows, TABLES, truncateAll, type TableName } from './tables.ts';
import { verifyArchive } from './verifyArchive.ts';

/**
 * Restores an archive into a store: verify everything first (verifyArchive.ts), then write clip
 * files, then all rows in ONE transaction (a failure leaves the database as it was), then migrate to
 * the current schema and verify the audit chain as stored. A non-empty target is refused unless
 * `force`, which replaces its rows and removes clip files the backup does not have. `force` also
 * accepts an archive whose audit chain is broken (restoring the evidence as it is).
 */
export class RestoreRefusedError extends Error {
  override name = 'RestoreRefusedError';
}

export interface RestoreResult {
  schemaVersion: number;
  rows: Record<TableName, number>;
  clipsWritten: number;
  clipsAlreadyPresent: number;
  /** Clip files the backup marked corrupt and did not restore. */
  clipsSkipped: number;
  clipsRemoved: number;
  audit: ChainCheck;
}

async function isEmpty(store: SqlEvidenceStore, blobs: BlobStore): Promise<boolean> {
  if (Object.values(await countRows(store.db)).some((n) => n > 0)) return false;
  for await (const _ of blobs.list()) return false;
  return true;
}

export async function restoreBackup(opts: {
  store: SqlEvidenceStore;
  blobs: BlobStore;
  file: string;
  /** Scratch directory for clips being written; best on the blob store's filesystem. */
  tempDir: string;
  force?: boolean;
}): Promise<RestoreResult> {
  const { store, blobs, file, tempDir, force = false } = opts;
  const reader = await ArchiveReader.open(file);
  try {
    const verified = await verifyArchive(reader);
    const { manifest } = verified;
    if (!verified.chain.ok && !force) {
      throw new RestoreRefusedError(
        `the backup's audit chain is broken at seq ${verified.chain.brokenAt} (${verified.chain.reason}); ` +
          'restore with --force to keep the evidence as it is',
      );
    }
    const migrations = await loadMigrations();
    const known = migrations.at(-1)?.version ?? 0;
    if (manifest.schemaVersion > known) {
      throw new RestoreRefusedError(
        `the backup has schema ${manifest.schemaVersion}; this server knows up to ${known}`,
      );
    }
    await migrate(store.db, migrations, { upTo: manifest.schemaVersion });
    const targetVersion = await schemaVersion(store.db);
    if (targetVersion !== manifest.schemaVersion) {
      throw new RestoreRefusedError(
        `the target store is at schema ${targetVersion}, the backup at ${manifest.schemaVersion}: restore into an empty DATA_DIR/database`,
      );
    }
    if (!(await isEmpty(store, blobs)) && !force) {
      throw new RestoreRefusedError('the target store is not empty; use --force to replace its contents');
    }

    const result: RestoreResult = {
      schemaVersion: 0,
      rows: Object.fromEntries(TABLES.map((t) => [t.name, 0])) as Record<TableName, number>,
      clipsWritten: 0,
      clipsAlreadyPresent: 0,
      clipsSkipped: manifest.blobs.filter((b) => !b.ok).length,
      clipsRemoved: 0,
      audit: { ok: true, count: 0, head: null },
    };
    await restoreClips(reader, verified.blobs, blobs, tempDir, result);

    await store.db.transaction(async (tx) => {
      if (force) await truncateAll(tx);
      for (const table of TABLES) {
        for (const entry of verified.rows[table.name]) {
          const body = await reader.readBody(entry);
          // The file could have changed since it was verified.
          if (sha256Hex(body) !== entry.header.sha256)
            throw new Error(`${table.name}: archive changed during restore`);
          const lines = body.length === 0 ? [] : body.toString('utf8').split('\n');
          if (lines.length > 0) result.rows[table.name] += await importRows(tx, table.name, lines);
        }
      }
    });

    if (force) {
      const keep = new Set(verified.blobs.map((e) => e.header.sha256));
      const extra: string[] = [];
      for await (const sha256 of blobs.list()) if (!keep.has(sha256)) extra.push(sha256);
      for (const sha256 of extra) await blobs.remove(sha256);
      result.clipsRemoved = extra.length;
    }
    await migrate(store.db, migrations);
    result.schemaVersion = await schemaVersion(store.db);
    result.audit = await verifyStoredAuditChain(store);
    if (verified.chain.ok && !result.audit.ok) {
      throw new Error(`the audit chain does not verify after restore: seq ${result.audit.brokenAt}`);
    }
    return result;
  } finally {
    await reader.close();
  }
}

async function restoreClips(
  reader: ArchiveReader,
  entries: readonly Entry[],
  blobs: BlobStore,
  tempDir: string,
  result: RestoreResult,
): Promise<void> {
  await fs.mkdir(tempDir, { recursive: true });
  for (const entry of entries) {
    const { sha256 } = entry.header;
    if (await blobs.has(sha256)) {
      result.clipsAlreadyPresent++;
      continue;
    }
    const tmp = path.join(tempDir, `restore-${randomBytes(8).toString('hex')}`);
    const out = await fs.open(tmp, 'w');
    try {
      const actual = await reader.hashBody(entry, async (chunk) => {
        await out.write(chunk);
      });
      await out.close();
      if (actual !== sha256) throw new Error(`clip ${sha256}: archive changed during restore`);
      await blobs.putFile(tmp, sha256);
      result.clipsWritten++;
    } finally {
      await out.close().catch(() => undefined);
      await fs.rm(tmp, { force: true });
    }
  }
}
