import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type { BlobStore } from '../store/evidenceStore.ts';
import type { SqlEvidenceStore } from '../store/sqlEvidenceStore.ts';
import { TABLES } from './tables.ts';

/**
 * Everything a store holds, in a form that compares equal across backends: every row of every
 * table (timestamps as ISO strings, whatever the session time zone) and every clip file's hash.
 */
export async function snapshotStore(store: SqlEvidenceStore, blobs: BlobStore) {
  const tables: Record<string, Record<string, unknown>[]> = {};
  for (const t of TABLES) {
    const { rows } = await store.db.query<{ j: string }>(
      `SELECT row_to_json(x)::text AS j FROM ${t.name} x ORDER BY x.${t.key}`,
    );
    tables[t.name] = rows.map((r) => {
      const row = JSON.parse(r.j) as Record<string, unknown>;
      for (const [k, v] of Object.entries(row)) {
        if (k.endsWith('_at') && typeof v === 'string') row[k] = new Date(v).toISOString();
      }
      return row;
    });
  }
  const files: Record<string, string> = {};
  for await (const sha256 of blobs.list()) {
    files[sha256] = createHash('sha256')
      .update(await fs.readFile(blobs.path(sha256)))
      .digest('hex');
  }
  return { tables, files };
}
