import type { ChainCheck } from '../store/auditChain.ts';
import type { AuditEntry } from '../store/evidenceStore.ts';
import type { TableName } from './tables.ts';

/** The archive's table of contents: the last entry, listing every other entry and its SHA-256. */
export interface BackupManifest {
  format: 'lane-companion-backup';
  version: 1;
  createdAt: string;
  source: 'pglite' | 'postgres';
  /** Highest migration applied in the source; restore migrates the target to exactly this first. */
  schemaVersion: number;
  tables: Record<TableName, { rows: number; parts: { rows: number; bytes: number; sha256: string }[] }>;
  /** In archive order. `ok: false`: the file did not match its name when backed up; restore skips it. */
  blobs: { sha256: string; bytes: number; ok: boolean }[];
  audit: { entries: number; chain: ChainCheck };
  /** Anything a person should look at: missing or corrupt clips, a broken audit chain. */
  problems: string[];
}

/** An audit row as row_to_json writes it, back to the shape the chain is computed over. */
export function auditRowToEntry(row: Record<string, unknown>): AuditEntry {
  return {
    seq: Number(row.seq),
    at: new Date(String(row.at)).toISOString(),
    actor: String(row.actor),
    action: String(row.action),
    target: String(row.target),
    detail: (row.detail ?? {}) as Record<string, unknown>,
    prevHash: String(row.prev_hash),
    hash: String(row.hash),
  };
}
