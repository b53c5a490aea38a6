import fs from 'node:fs/promises';
import { verifyAuditChain, type ChainCheck } from '../store/auditChain.ts';
import type { BlobStore } from '../store/evidenceStore.ts';
import { schemaVersion } from '../store/migrate.ts';
import type { SqlEvidenceStore } from '../store/sqlEvidenceStore.ts';
import { ArchiveWriter } from './archive.ts';
import { auditRowToEntry, type BackupManifest } from './manifest.ts';
import { exportRows, TABLES } from './tables.ts';

/**
 * Writes a backup of a store (every table's rows, every clip file) to one archive file (archive.ts).
 * The rows come from one REPEATABLE READ snapshot, so they are consistent even while a PostgreSQL
 * store keeps taking writes; clip files are copied after it (a clip deleted in between is reported
 * as missing). With PGlite the server must be stopped first: its database lock refuses a second
 * opener. The audit chain is verified on the way; a broken chain is backed up anyway (it is evidence)
 * and reported.
 */
export async function createBackup(opts: {
  store: SqlEvidenceStore;
  blobs: BlobStore;
  file: string;
  now?: Date;
}): Promise<BackupManifest> {
  const { store, blobs, file } = opts;
  const writer = await ArchiveWriter.create(file);
  try {
    const manifest: BackupManifest = {
      format: 'lane-companion-backup',
      version: 1,
      createdAt: (opts.now ?? new Date()).toISOString(),
      source: store.db.kind,
      schemaVersion: 0,
      tables: {
        principals: { rows: 0, parts: [] },
        enrolment_codes: { rows: 0, parts: [] },
        records: { rows: 0, parts: [] },
        audit: { rows: 0, parts: [] },
        lane_zones: { rows: 0, parts: [] },
      },
      blobs: [],
      audit: { entries: 0, chain: { ok: true, count: 0, head: null } },
      problems: [],
    };
    const referenced = new Map<string, string>(); // clip sha256 → txn

    await store.db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      manifest.schemaVersion = await schemaVersion(tx);
      let chain: ChainCheck = { ok: true, count: 0, head: null };
      for (const table of TABLES) {
        const entry = manifest.tables[table.name];
        for await (const rows of exportRows(tx, table)) {
          const body = Buffer.from(rows.join('\n'), 'utf8');
          const { sha256 } = await writer.addBuffer(
            { kind: 'rows', table: table.name, part: entry.parts.length, rows: rows.length },
            body,
          );
          entry.parts.push({ rows: rows.length, bytes: body.length, sha256 });
          entry.rows += rows.length;
          if (table.name === 'records') {
            for (const r of rows) {
              const row = JSON.parse(r) as { txn: string; clip_sha256: string | null };
              if (row.clip_sha256) referenced.set(row.clip_sha256, row.txn);
            }
          }
          if (table.name === 'audit' && chain.ok) {
            const entries = rows.map((r) => auditRowToEntry(JSON.parse(r) as Record<string, unknown>));
            const page = verifyAuditChain(entries, chain.head);
            chain = page.ok ? { ok: true, count: chain.count + page.count, head: page.head } : page;
          }
        }
      }
      manifest.audit = { entries: manifest.tables.audit.rows, chain };
      if (!chain.ok) manifest.problems.push(`audit chain broken at seq ${chain.brokenAt}: ${chain.reason}`);
    });

    for await (const sha256 of blobs.list()) {
      const stat = await fs.stat(blobs.path(sha256)).catch(() => null);
      if (!stat) continue; // removed since listed
      const actual = await writer.addFile(sha256, blobs.path(sha256), stat.size);
      const ok = actual === sha256;
      manifest.blobs.push({ sha256, bytes: stat.size, ok });
      if (!ok) manifest.problems.push(`clip file ${sha256} does not match its hash (corrupt on disk)`);
      referenced.delete(sha256);
    }
    for (const [sha256, txn] of referenced) manifest.problems.push(`clip ${sha256} of ${txn} is missing`);

    await writer.addBuffer({ kind: 'manifest' }, Buffer.from(JSON.stringify(manifest), 'utf8'));
    await writer.finish();
    return manifest;
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
